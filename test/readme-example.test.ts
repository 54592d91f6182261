// README's "Use it from code" example runs as written, in a project where trainpool is installed
// (here linked into a fresh folder's node_modules), and its config file example is valid.
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkSettings } from '../src/api/settings.js';
import { root, tempDir } from './support/helpers.js';

const readme = readFileSync(join(root, 'README.md'), 'utf8');

/** The first code block of a kind under a heading. */
function block(heading: string, lang: string): string {
  const section = readme.slice(readme.indexOf(`\n## ${heading}\n`));
  const found = new RegExp('```' + lang + '\\n([\\s\\S]*?)```').exec(section);
  if (!found) throw new Error(`README: no ${lang} block under "${heading}"`);
  return found[1]!;
}

describe('README', () => {
  it('"Use it from code" runs as written', async () => {
    const dir = tempDir('trainpool-readme-');
    mkdirSync(join(dir, 'node_modules'));
    symlinkSync(root, join(dir, 'node_modules/trainpool'), 'dir');
    writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n');
    writeFileSync(join(dir, 'example.mjs'), block('Use it from code', 'js'));
    const out = await new Promise<{ code: number; stdout: string; stderr: string }>((done) =>
      execFile(process.execPath, ['example.mjs'], { cwd: dir }, (error, stdout, stderr) =>
        done({ code: error ? 1 : 0, stdout, stderr }),
      ),
    );
    expect(out.stderr).toBe('');
    expect(out.code).toBe(0);
    const lines = out.stdout.trim().split('\n');
    expect(lines.filter((l) => l.startsWith('done: '))).toHaveLength(3);
    for (const id of ['logistic-regression', 'knn', 'random-forest'])
      expect(lines).toContainEqual(expect.stringMatching(new RegExp(`^${id}: cv 0\\.\\d{3}, test 0\\.\\d{3}$`)));
    expect(lines.at(-1)).toBe("[ 'pear', 'plum' ]");
    expect(existsSync(join(dir, 'results'))).toBe(true);
  });

  it('the config file example holds only known keys and valid values', () => {
    expect(() => checkSettings(JSON.parse(block('Config file', 'json')), 'README')).not.toThrow();
  });
});

// README's commands that name a split or folds file run in a fresh clone: the files they name
// ship with it (test/fixtures/), and so do those of `train --help`'s examples.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { root, runCli, train } from './support/helpers.js';

const commands = (text: string, prefix: string) =>
  text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.startsWith(prefix) && /--(split|folds)-file/.test(line))
    .map((line) =>
      line
        .slice(prefix.length)
        .replace(/\s+#.*$/, '')
        .trim()
        .split(/\s+/),
    );

describe('commands naming reference files', () => {
  it('in README run as written', async () => {
    const found = commands(readFileSync(join(root, 'README.md'), 'utf8'), 'npm run train -- ');
    expect(found.length).toBeGreaterThanOrEqual(2);
    for (const args of found) {
      const run = await train([...args, '--models', 'knn']);
      expect(run.stderr, args.join(' ')).toBe('');
      expect(run.code).toBe(0);
    }
  });

  it("in train --help's examples run as written", async () => {
    const help = await runCli('train', ['--help']);
    const found = commands(help.stdout, 'trainpool train ');
    expect(found).toHaveLength(1);
    const run = await train([...found[0]!, '--models', 'knn']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
  });
});

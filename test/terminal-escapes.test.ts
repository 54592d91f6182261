// Terminal output never carries escape sequences (or other control characters) from data raw:
// `inspect`'s tables and an error line naming a column show them written out (\x1b), and a long
// name is shortened in inspect's table instead of widening every row to 5,000 characters.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempDir } from './support/helpers.js';
import { writeHostileCsv } from './support/hostile-names.js';

const CONTROL = /[\x00-\x09\x0b-\x1f\x7f-\x9f]/;

describe('names with escape sequences on a terminal', () => {
  it('inspect writes them out and keeps its table narrow', async () => {
    const run = await runCli('inspect', ['--dataset', writeHostileCsv(tempDir())]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).not.toMatch(CONTROL);
    expect(run.stdout).toContain('\\x1b[31mred\\x1b[0m');
    expect(run.stdout).toContain('\\x1b[2Jz');
    expect(run.stdout).toContain('line\\nbreak');
    const table = run.stdout.split('\n').slice(3);
    for (const line of table) expect(line.length, line.slice(0, 80)).toBeLessThanOrEqual(160);
  });

  it("an error line naming a column writes the column's escapes out", async () => {
    const file = join(tempDir(), 'bad.csv');
    writeFileSync(file, 'a,"\x1b[2Jb",label\n1,2,x\n1,oops,y\n');
    const run = await runCli('train', ['--dataset', file, '--results-dir', tempDir()]);
    expect(run.code).toBe(2);
    expect(run.stderr).not.toMatch(CONTROL);
    expect(run.stderr).toContain('column "\\x1b[2Jb"');
    expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
  });
});

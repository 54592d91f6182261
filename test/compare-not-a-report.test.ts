// compare (and every command that reads a run) given a file that is not a trainpool report says
// so and nothing more: it never echoes the file's content, whatever the file holds.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempDir } from './support/helpers.js';

const SECRET = 'hunter2-s3cr3t';

describe('compare <file> on a file that is not a report', () => {
  it.each([
    ['a text file', `password=${SECRET}\nanother line\n`],
    ['a JSON object', JSON.stringify({ token: SECRET, [SECRET]: 1 })],
    ['a JSON array', JSON.stringify([SECRET])],
    ['a JSON string', JSON.stringify(SECRET)],
    ['JSON cut short', `{"token": "${SECRET}", "more": [1, 2`],
    [
      'binary bytes',
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, ...Buffer.from(SECRET)]).toString('latin1'),
    ],
  ])('%s', async (_name, content) => {
    const file = join(tempDir(), 'file.json');
    writeFileSync(file, content, 'latin1');
    const run = await runCli('compare', ['--no-html', file, file]);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    const lines = run.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^compare: error: cannot read run .*file\.json: (not a trainpool report|not valid JSON)/);
    expect(run.stderr).not.toContain(SECRET);
    expect(run.stderr).not.toContain('password');
    expect(run.stderr).not.toContain('token');
  });
});

// Text is decoded strictly: bytes that are not UTF-8 are an error naming the line and column,
// never decoded to U+FFFD (which made Latin-1 "café" and "cafè" one class).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempDir, train } from './support/helpers.js';

const latin1 = (text: string) => Buffer.from(text, 'latin1');
const dir = tempDir();
const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, latin1(text));
  return path;
};
const rows = (label: (i: number) => string, quote = false) =>
  Array.from({ length: 30 }, (_, i) => `${i},${(i * 7) % 11},${quote ? `"${label(i)}"` : label(i)}`).join('\n');
const three = (i: number) => ['café', 'cafè', 'tea'][i % 3]!;
const hint = 're-encode it as UTF-8 (e.g. iconv -f latin1 -t utf-8)';

describe('invalid UTF-8 is an error naming line and column', () => {
  it('a Latin-1 label column: train refuses it instead of merging two classes', async () => {
    const path = file('labels.csv', `x,y,drink\n${rows(three)}\n`);
    const run = await train(['--dataset', path]);
    expect(run.stderr).toBe(
      `train: error: ${path}:2: column "drink": not valid UTF-8 (byte 0xe9 at byte 4 of the field); ${hint}\n`,
    );
    expect(run.code).toBe(2);
    expect(run.runs).toEqual([]);
  });

  it('the same in quoted fields (read by csv-parse) and in inspect', async () => {
    const path = file('quoted.csv', `x,y,drink\n${rows(three, true)}\n`);
    const run = await runCli('inspect', ['--dataset', path]);
    expect(run.stderr).toBe(
      `inspect: error: ${path}:2: column "drink": not valid UTF-8 (byte 0xe9 at byte 4 of the field); ${hint}\n`,
    );
    expect(run.code).toBe(2);
  });

  it('a later line is named by its number', async () => {
    const path = file('late.csv', `x,y,drink\n${rows((i) => (i === 20 ? 'cafè' : i % 2 ? 'tea' : 'milk'))}\n`);
    const run = await runCli('inspect', ['--dataset', path]);
    expect(run.stderr).toBe(
      `inspect: error: ${path}:22: column "drink": not valid UTF-8 (byte 0xe8 at byte 4 of the field); ${hint}\n`,
    );
  });

  it('in the header', async () => {
    const path = file('header.csv', `x,größe,drink\n${rows((i) => (i % 2 ? 'tea' : 'milk'))}\n`);
    const run = await runCli('inspect', ['--dataset', path]);
    expect(run.stderr).toBe(
      `inspect: error: ${path}:1: column 2 of the header: not valid UTF-8 (byte 0xf6 at byte 3 of the field); ${hint}\n`,
    );
  });

  it('the same text in UTF-8 reads as three classes', async () => {
    const path = join(dir, 'utf8.csv');
    writeFileSync(path, `x,y,drink\n${rows(three)}\n`);
    const run = await runCli('inspect', ['--dataset', path, '--json']);
    expect(run.code).toBe(0);
    expect((JSON.parse(run.stdout) as { classes: { name: string }[] }).classes.map((c) => c.name)).toEqual([
      'cafè',
      'café',
      'tea',
    ]);
  });
});

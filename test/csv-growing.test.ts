// A CSV file that grows while it is read is refused with one line, never an uncaught crash.
import { appendFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCsv } from '../src/data/csv.js';
import { UsageError } from '../src/errors.js';
import { tempDir } from './support/helpers.js';

const rows = (n: number, from = 0) =>
  Array.from({ length: n }, (_, i) => `${(from + i) % 97},${(from + i) % 89},${(from + i) % 2 ? 'a' : 'b'}`).join(
    '\n',
  ) + '\n';

describe('a CSV that grows while it is read', () => {
  it('is refused as changed while read, with a UsageError naming the file', async () => {
    const path = join(tempDir(), 'growing.csv');
    writeFileSync(path, `x,y,label\n${rows(20_000)}`);
    let settled = false;
    const reading = readCsv(path, 'growing.csv', 'growing', { missing: 'error' }).then(
      () => undefined,
      (e: unknown) => e,
    );
    void reading.finally(() => (settled = true));
    // Another process appending as fast as it can: 40 MB in 256 KB writes, between our reads.
    const block = rows(20_000, 20_000);
    let written = 0;
    await new Promise<void>((done) => {
      const append = () => {
        if (settled || written > 40e6) return done();
        appendFileSync(path, block);
        written += block.length;
        setImmediate(append);
      };
      setImmediate(append);
    });
    const error = await reading;
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toMatch(
      /^growing\.csv: the file changed while it was read \(\d+ bytes when opened, \d+ now\); read it again once it is written completely$/,
    );
  });
});

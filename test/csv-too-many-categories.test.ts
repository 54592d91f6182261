// A text column with more distinct values than --max-categories (default 1,000) is refused,
// naming the column, instead of one-hot encoding it into a matrix that cannot be allocated.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixture, runCli, tempDir, train } from './support/helpers.js';

const dir = tempDir();
/** An id column of `distinct` values over `rows` rows (0.9 MB at 50,000), a number and a label. */
function idFile(name: string, rows: number, distinct: number): string {
  const path = join(dir, name);
  const lines = Array.from(
    { length: rows },
    (_, i) => `u${String(i % distinct).padStart(6, '0')},${(i * 37) % 101},${i % 2 ? 'a' : 'b'}`,
  );
  writeFileSync(path, `id,x,label\n${lines.join('\n')}\n`);
  return path;
}
const ids = idFile('ids.csv', 50_000, 50_000);
const refusal = (path: string) =>
  `${path}:1002: column "id": more than 1000 distinct values ("u001000" is the 1001st); one-hot encoding makes a feature of each value: drop the column (an id or free text?) or raise --max-categories`;

describe('a text column with too many categories', () => {
  it('train refuses it, naming the column, exit 2, nothing written', async () => {
    const run = await train(['--dataset', ids]);
    expect(run.stderr).toBe(`train: error: ${refusal(ids)}\n`);
    expect(run.code).toBe(2);
    expect(run.runs).toEqual([]);
  });

  it('inspect refuses it the same way', async () => {
    const run = await runCli('inspect', ['--dataset', ids]);
    expect(run.stderr).toBe(`inspect: error: ${refusal(ids)}\n`);
    expect(run.code).toBe(2);
  });

  it('--max-categories raises the bound', async () => {
    const some = idFile('some.csv', 3_000, 1_500);
    expect((await runCli('inspect', ['--dataset', some])).code).toBe(2);
    const run = await runCli('inspect', ['--dataset', some, '--max-categories', '2000', '--json']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect((JSON.parse(run.stdout) as { features: number }).features).toBe(1_501);
  });

  it('raised so far that the one-hot matrix cannot be allocated: one line, not a RangeError', async () => {
    const run = await runCli('inspect', ['--dataset', ids, '--max-categories', '100000']);
    expect(run.stderr).toMatch(
      new RegExp(
        `^inspect: error: ${ids}: one-hot encoding "id" \\(50000 values\\) makes 50,000 rows x 50,001 features, \\d+\\.\\d GiB; too large: drop the column or lower --max-categories\\n$`,
      ),
    );
    expect(run.code).toBe(2);
  });

  it('predict refuses a run whose recorded column has more categories than the bound', async () => {
    const trained = await train(['--dataset', fixture('csv/categorical.csv'), '--models', 'knn']);
    expect(trained.code).toBe(0);
    const reportPath = join(trained.resultsDir, trained.runs[0]!, 'report.json');
    const report = JSON.parse(readFileSync(reportPath, 'utf8')) as {
      dataset: { encoding: { columns: { name: string; categories?: string[] }[] } };
    };
    report.dataset.encoding.columns[1]!.categories = Array.from({ length: 50_000 }, (_, i) => `c${i}`);
    writeFileSync(reportPath, JSON.stringify(report));
    const run = await runCli('predict', [
      ...['--results-dir', trained.resultsDir, '--run', 'latest', '--model', 'knn'],
      ...['--input', fixture('csv/categorical.csv')],
    ]);
    expect(run.stderr).toBe(
      `predict: error: ${fixture('csv/categorical.csv')}: the run encodes column "colour" as 50000 categories, more than 1000; if that is right, raise --max-categories\n`,
    );
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
  });
});

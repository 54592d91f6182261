// Bar: with the 1,000,000-row file, the peak memory of a training run (one fast model) at
// --threads 2 is within 15% of the same run at --threads 1: the workers share the data set's
// memory rather than each holding a copy.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { BenchSection } from './section.js';
import { generateCsv, mb, measureCommand, seconds } from './csv-support.js';
import { median } from '../src/ml/stats.js';

// Fit and predict in one pass over the rows: the bench measures the data's memory, not a model's.
const NEAREST_CENTROID = `
function model(means = []) {
  return {
    fit(X, y) {
      const sums = new Map();
      X.forEach((row, i) => {
        const s = sums.get(y[i]) ?? { n: 0, sum: new Array(row.length).fill(0) };
        s.n += 1;
        row.forEach((v, j) => (s.sum[j] += v));
        sums.set(y[i], s);
      });
      means = [...sums].map(([label, s]) => ({ label, mean: s.sum.map((v) => v / s.n) }));
    },
    predict(X) {
      return X.map((row) => {
        let best = 0, bestDistance = Infinity;
        for (const { label, mean } of means) {
          let d = 0;
          for (let j = 0; j < row.length; j++) d += (row[j] - mean[j]) ** 2;
          if (d < bestDistance) { bestDistance = d; best = label; }
        }
        return best;
      });
    },
    toJSON: () => ({ means }),
  };
}
export default [{
  id: 'nearest-centroid',
  description: 'Predicts the class whose mean is nearest (bench model)',
  params: {},
  create: () => model(),
  load: (json) => model(json.means),
}];
`;

const section: BenchSection = {
  id: 'csv-threads-memory',
  title: 'Shared data: peak memory of a training run at --threads 2 vs --threads 1',
  async run({ log, scratch, quick }) {
    const rows = quick ? 100_000 : 1_000_000;
    const repeats = quick ? 1 : 2;
    const file = await generateCsv(scratch, rows);
    const module = join(scratch, 'nearest-centroid.mjs');
    await writeFile(module, NEAREST_CENTROID);
    const args = (threads: number) => [
      '--dataset',
      file.path,
      '--model-module',
      module,
      '--models',
      'nearest-centroid',
      '--threads',
      String(threads),
      '--results-dir',
      join(scratch, 'results'),
      '--quiet',
    ];
    const runs: Record<1 | 2, { wallMs: number; peakRss: number }[]> = { 1: [], 2: [] };
    for (let i = 0; i < repeats; i++) {
      for (const threads of [1, 2] as const) {
        const run = await measureCommand(scratch, 'train', args(threads));
        if (run.code !== 0) throw new Error(`train --threads ${threads} failed: ${run.stderr}`);
        runs[threads].push(run);
      }
    }
    const one = median(runs[1].map((r) => r.peakRss));
    const two = median(runs[2].map((r) => r.peakRss));
    const numericBytes = rows * file.features * 8;
    log(`${rows} rows (numeric data ${mb(numericBytes)}), model nearest-centroid`);
    log(`--threads 1: peak RSS ${mb(one)} (${seconds(median(runs[1].map((r) => r.wallMs)))})`);
    log(`--threads 2: peak RSS ${mb(two)} (${seconds(median(runs[2].map((r) => r.wallMs)))})`);
    log(
      `threads 2 / threads 1: ${(two / one).toFixed(3)} (bar: <= 1.15; a copy per worker would add ${mb(numericBytes)})`,
    );
    return {
      rows,
      numericBytes,
      repeats,
      peakRssThreads1: one,
      peakRssThreads2: two,
      ratio: two / one,
      wallMsThreads1: median(runs[1].map((r) => r.wallMs)),
      wallMsThreads2: median(runs[2].map((r) => r.wallMs)),
    };
  },
};

export default section;

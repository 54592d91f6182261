// Bar: two data sets loaded concurrently take measurably less wall time than one after the other.
// Loading overlaps in two ways: while one file waits for the disk the other is parsed (async
// I/O, which shows when the files are not in the page cache), and a second large file is parsed
// on a thread of its own (which shows when a second core is free). The section measures both
// cases, and how much a second thread gains on this machine right now, since other processes
// may be using the cores.
import { execFile } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { loadDataset, loadDatasets, resolveDatasetSpec } from '../src/data/load.js';
import type { BenchSection } from './section.js';
import { generateCsv, mb, seconds } from './csv-support.js';
import { median } from '../src/ml/stats.js';

/** Evicts a file from the page cache (GNU dd's nocache), so that reading it waits for the disk. */
const evict = (path: string) =>
  new Promise<boolean>((done) => execFile('dd', [`if=${path}`, 'iflag=nocache', 'count=0'], (error) => done(!error)));

/** Wall time of `threads` threads each spinning the same loop: 2 x one / two is the cores free. */
async function spin(threads: number): Promise<number> {
  const code = `let x = 0; for (let i = 0; i < 1e8; i++) x += i % 7; require('node:worker_threads').parentPort.postMessage(x);`;
  const started = performance.now();
  await Promise.all(
    Array.from(
      { length: threads },
      () => new Promise((done) => new Worker(code, { eval: true }).once('message', done)),
    ),
  );
  return performance.now() - started;
}

const section: BenchSection = {
  id: 'csv-concurrent',
  title: 'Two data sets: loaded concurrently vs one after the other',
  async run({ log, scratch, quick }) {
    const rows = quick ? 100_000 : 500_000;
    const repeats = quick ? 2 : 3;
    const files = await Promise.all([generateCsv(scratch, rows, 10, 1), generateCsv(scratch, rows, 10, 2)]);
    const specs = files.map((f) => resolveDatasetSpec(f.path));
    const freeCores = (2 * (await spin(1))) / (await spin(2));
    log(
      `two files of ${rows} rows, ${mb(files[0]!.bytes)} each; ${availableParallelism()} cores, of which ~${freeCores.toFixed(1)} free now (two spinning threads vs one)`,
    );
    const canEvict = await evict(files[0]!.path);
    const figures: Record<string, unknown> = { rows, fileBytes: files[0]!.bytes, repeats, freeCores };
    for (const cache of canEvict ? (['cold', 'warm'] as const) : (['warm'] as const)) {
      const sequential: number[] = [];
      const concurrent: number[] = [];
      for (let i = 0; i < repeats; i++) {
        if (cache === 'cold') await Promise.all(files.map((f) => evict(f.path)));
        let started = performance.now();
        for (const spec of specs) await loadDataset(spec, { missing: 'error' }, 'never');
        sequential.push(performance.now() - started);
        if (cache === 'cold') await Promise.all(files.map((f) => evict(f.path)));
        started = performance.now();
        await loadDatasets(specs, { missing: 'error' });
        concurrent.push(performance.now() - started);
      }
      const one = median(sequential);
      const both = median(concurrent);
      log(
        `${cache === 'cold' ? 'files not in the page cache' : 'files in the page cache    '}: one after the other ${seconds(one)}, concurrently ${seconds(both)}: ${(one / both).toFixed(2)}x`,
      );
      figures[cache] = { sequentialMs: one, concurrentMs: both, speedup: one / both };
    }
    if (!canEvict) log('(GNU dd with iflag=nocache not available: the cold-cache case was not measured)');
    return figures;
  },
};

export default section;

// Bar: three data sets from a server that answers each request after 300 ms are fetched
// concurrently in less than 1.5x the time of a single fetch (the seeds' asyncio.gather point),
// measured side by side with fetching them one after another. Each measurement starts from a
// cold cache, and the server is a real node:http one on loopback.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { mkdtemp } from 'node:fs/promises';
import { loadDataset, loadDatasets, resolveDatasetSpec } from '../src/data/load.js';
import { DEFAULT_SOURCES, remoteOptions } from '../src/data/sources.js';
import { median } from '../src/ml/stats.js';
import { projectRoot } from '../src/paths.js';
import { send, startDataServer } from '../test/support/data-server.js';
import type { BenchSection } from './section.js';

const DELAY_MS = 300;
const FILES = ['datasets/iris.csv', 'test/fixtures/csv/wine.csv', 'test/fixtures/csv/digits.csv'];

const section: BenchSection = {
  id: 'fetch',
  title: `Three downloads from a server answering after ${DELAY_MS} ms: concurrently vs one after another`,
  async run({ log, scratch, quick }) {
    const server = await startDataServer(DELAY_MS);
    const repeats = quick ? 3 : 7;
    try {
      const sizes: number[] = [];
      for (const file of FILES) {
        const bytes = readFileSync(join(projectRoot, file));
        sizes.push(bytes.length);
        server.route(`/${file.split('/').pop()}`, send(bytes, { 'content-type': 'text/csv' }));
      }
      const specs = FILES.map((f) => resolveDatasetSpec(server.url(`/${f.split('/').pop()}`)));
      const options = async () => ({
        ...remoteOptions(DEFAULT_SOURCES, specs),
        cacheRoot: await mkdtemp(join(scratch, 'cache-')),
      });
      const csv = { missing: 'error' as const };
      const single: number[] = [];
      const sequential: number[] = [];
      const concurrent: number[] = [];
      for (let i = 0; i < repeats; i++) {
        let remote = await options();
        let started = performance.now();
        await loadDataset(specs[0]!, csv, 'never', undefined, remote);
        single.push(performance.now() - started);
        remote = await options();
        started = performance.now();
        for (const spec of specs) await loadDataset(spec, csv, 'never', undefined, remote);
        sequential.push(performance.now() - started);
        remote = await options();
        started = performance.now();
        await loadDatasets(specs, csv, 'never', remote);
        concurrent.push(performance.now() - started);
      }
      const one = median(single);
      const after = median(sequential);
      const together = median(concurrent);
      log(
        `files: ${FILES.map((f, i) => `${f.split('/').pop()} ${(sizes[i]! / 1e3).toFixed(0)} kB`).join(', ')}; median of ${repeats}, cold cache each time`,
      );
      log(
        `one download ${one.toFixed(0)} ms; three one after another ${after.toFixed(0)} ms; three concurrently ${together.toFixed(0)} ms`,
      );
      log(
        `concurrently / one download: ${(together / one).toFixed(2)}x (bar: under 1.5x); one after another / concurrently: ${(after / together).toFixed(2)}x`,
      );
      return {
        delayMs: DELAY_MS,
        repeats,
        singleMs: one,
        sequentialMs: after,
        concurrentMs: together,
        concurrentOverSingle: together / one,
        speedup: after / together,
      };
    } finally {
      await server.close();
    }
  },
};

export default section;

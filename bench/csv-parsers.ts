// What the fast path buys: the same file read with csv-parse for every record (the library path
// every quoted record takes) and with the fast path, in this process, side by side.
import { readCsv } from '../src/data/csv.js';
import type { BenchSection } from './section.js';
import { generateCsv, mb, seconds } from './csv-support.js';
import { median } from '../src/ml/stats.js';

const section: BenchSection = {
  id: 'csv-parsers',
  title: 'CSV parse paths: byte-level fast path vs csv-parse for every record',
  async run({ log, scratch, quick }) {
    const rows = quick ? 100_000 : 1_000_000;
    const file = await generateCsv(scratch, rows);
    log(`${rows} rows, ${mb(file.bytes)}`);
    const times: Record<'auto' | 'csv-parse', number[]> = { auto: [], 'csv-parse': [] };
    let hashes = new Set<string>();
    for (let i = 0; i < (quick ? 1 : 2); i++) {
      for (const parser of ['auto', 'csv-parse'] as const) {
        const started = performance.now();
        const table = await readCsv(file.path, file.path, 'bench', { missing: 'error', parser });
        times[parser].push(performance.now() - started);
        hashes = new Set([...hashes, table.dataset.sha256]);
      }
    }
    const fast = median(times.auto);
    const library = median(times['csv-parse']);
    log(
      `fast path: ${seconds(fast)}   csv-parse: ${seconds(library)}   csv-parse / fast path: ${(library / fast).toFixed(1)}x`,
    );
    if (hashes.size !== 1) throw new Error('the two paths read different data');
    return { rows, fileBytes: file.bytes, fastPathMs: fast, csvParseMs: library, ratio: library / fast };
  },
};

export default section;

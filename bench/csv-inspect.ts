// Bar: `npm run inspect` on a 1,000,000-row, 10-feature, 3-class CSV (~100 MB) takes no more time
// than pandas.read_csv on the same file, side by side, with peak memory under 3x the numeric data.
import type { BenchSection } from './section.js';
import { findPython, generateCsv, mb, measureCommand, measurePandas, seconds } from './csv-support.js';
import { median } from '../src/ml/stats.js';

const section: BenchSection = {
  id: 'csv-inspect',
  title: 'CSV loading: npm run inspect vs pandas.read_csv on the same file',
  async run({ log, scratch, quick }) {
    const rows = quick ? 100_000 : 1_000_000;
    const repeats = quick ? 1 : 3;
    const file = await generateCsv(scratch, rows);
    const numericBytes = rows * file.features * 8;
    log(
      `generated ${rows} rows x ${file.features} features + label: ${mb(file.bytes)} (numeric data ${mb(numericBytes)})`,
    );
    const python = await findPython('pandas');
    const inspect: { wallMs: number; peakRss: number }[] = [];
    const pandas: { readCsvMs: number; wallMs: number; peakRss: number }[] = [];
    let unavailable: string | undefined;
    // Interleaved, so that both meet the same machine load.
    for (let i = 0; i < repeats; i++) {
      const run = await measureCommand(scratch, 'inspect', ['--dataset', file.path]);
      if (run.code !== 0) throw new Error(`inspect failed: ${run.stderr}`);
      inspect.push(run);
      const p = await measurePandas(python, file.path);
      if (p.available) pandas.push(p);
      else unavailable = p.reason;
    }
    const inspectMs = median(inspect.map((r) => r.wallMs));
    const inspectRss = Math.max(...inspect.map((r) => r.peakRss));
    log(
      `npm run inspect (whole process):  ${seconds(inspectMs)}  peak RSS ${mb(inspectRss)} = ${(inspectRss / numericBytes).toFixed(2)}x the numeric data (bar: < 3x)`,
    );
    const figures: Record<string, unknown> = {
      rows,
      features: file.features,
      fileBytes: file.bytes,
      numericBytes,
      repeats,
      inspectWallMs: inspectMs,
      inspectPeakRss: inspectRss,
      peakRssOverNumeric: inspectRss / numericBytes,
    };
    if (unavailable !== undefined || pandas.length === 0) {
      log(`pandas: ${unavailable ?? 'not measured'}`);
      figures['pandas'] = { available: false, reason: unavailable };
      return figures;
    }
    const readCsvMs = median(pandas.map((p) => p.readCsvMs));
    const pandasWallMs = median(pandas.map((p) => p.wallMs));
    log(
      `pandas.read_csv (the call alone):  ${seconds(readCsvMs)}  (whole python process ${seconds(pandasWallMs)}, peak RSS ${mb(Math.max(...pandas.map((p) => p.peakRss)))})`,
    );
    log(`inspect / read_csv: ${(inspectMs / readCsvMs).toFixed(2)}x the time (bar: <= 1)`);
    figures['pandas'] = {
      available: true,
      readCsvMs,
      wallMs: pandasWallMs,
      peakRss: Math.max(...pandas.map((p) => p.peakRss)),
    };
    figures['inspectOverReadCsv'] = inspectMs / readCsvMs;
    return figures;
  },
};

export default section;

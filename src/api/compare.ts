// `compareRuns(a, b)`: what `trainpool compare` computes for two runs, as data: per-model metric
// deltas (B minus A), the settings that differ, and whether the two are like for like.
import { resolve } from 'node:path';
import { defaultResultsDir } from '../paths.js';
import { compareReports, type Comparison } from '../results/compare.js';
import { resolveRun } from '../results/read.js';
import type { Report } from '../results/report.js';

export interface CompareOptions {
  /** Where run ids are looked up (default: results/ of the working directory's project). */
  resultsDir?: string;
}

/**
 * Compares run B with run A. Each is a report (as `train` returned it) or a run reference, as
 * `trainpool compare` takes: a run id or its unique start, `latest`, a run folder or a report.json.
 */
export async function compareRuns(
  a: string | Report,
  b: string | Report,
  options: CompareOptions = {},
): Promise<Comparison> {
  const dir = resolve(options.resultsDir ?? defaultResultsDir());
  const report = async (x: string | Report) => (typeof x === 'string' ? (await resolveRun(x, dir)).report : x);
  return compareReports(await report(a), await report(b));
}

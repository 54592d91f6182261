// What a run keeps in its folder to be resumed: run.json, written (durably) before its first task,
// holds everything that decides its tasks (the data set, the models, the split and folds, seeds,
// preprocessing) as the run resolved them, so that `train --resume <run>` rebuilds the same tasks
// whatever defaults have changed since, and finds their results in the journal by key.
import { isAbsolute, resolve } from 'node:path';
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import type { CsvOptions } from '../data/csv.js';
import type { DatasetSpec } from '../data/load.js';
import { UsageError } from '../errors.js';
import type { Preprocessing } from '../ml/estimator.js';
import type { ParamSetting } from '../models/registry.js';
import { shownUrl } from '../data/url.js';
import { shown } from '../paths.js';

export const RUN_FILE = 'run.json';

const savedRunSchema = z.object({
  version: z.literal(1),
  runId: z.string(),
  createdAt: z.string(),
  /** How many times the run has been resumed so far. */
  resumes: z.number().int().min(0),
  /** The folder relative paths were given in. */
  cwd: z.string(),
  dataset: z.object({ arg: z.string(), path: z.string().optional(), file: z.string().optional(), name: z.string() }),
  datasetSha256: z.string().regex(/^[0-9a-f]{64}$/),
  csv: z.object({
    missing: z.enum(['error', 'drop', 'keep']),
    label: z.string().optional(),
    delimiter: z.string().optional(),
    maxCategories: z.number().int().positive().optional(),
  }),
  /** What decides a download's content: the JSON records' path and a pinned sha256. */
  records: z.string().optional(),
  sha256: z.string().optional(),
  models: z.array(z.string()),
  param: z.array(z.object({ model: z.string(), key: z.string(), value: z.json(), text: z.string() })).optional(),
  modelModule: z.array(z.string()),
  preprocess: z.enum(['standardize', 'minmax', 'none']).optional(),
  seed: z.number().int(),
  testSize: z.number(),
  splitFile: z.string().optional(),
  cv: z.union([z.number().int(), z.literal(true)]).optional(),
  foldsFile: z.string().optional(),
  tune: z.boolean(),
});

export type SavedRun = z.infer<typeof savedRunSchema>;

/** The settings of a run as they are saved: what `train --resume` restores. */
export interface RunSettings {
  seed: number;
  testSize: number;
  splitFile?: string;
  cv?: number | true;
  foldsFile?: string;
  tune?: boolean;
  preprocess?: Preprocessing;
  csv: CsvOptions;
  /** Absolute paths. */
  modelModule: string[];
  param?: ParamSetting[];
  /** The download flags that decide what data a URL gives. */
  sources?: { records?: string; sha256?: string };
}

export function savedRun(
  x: { runId: string; createdAt: Date; resumes: number; spec: DatasetSpec; sha256: string; models: string[] },
  settings: RunSettings,
): SavedRun {
  const csv = settings.csv;
  // A URL as shown, never with the credentials it may carry: run.json is a file on disk.
  const { url, openml: _openml, sha256: _sha256, ...spec } = x.spec;
  return {
    version: 1,
    runId: x.runId,
    createdAt: x.createdAt.toISOString(),
    resumes: x.resumes,
    cwd: process.cwd(),
    dataset: { ...spec, arg: url ? shownUrl(url) : x.spec.arg },
    datasetSha256: x.sha256,
    csv: {
      missing: csv.missing,
      ...(csv.label !== undefined ? { label: csv.label } : {}),
      ...(csv.delimiter !== undefined ? { delimiter: csv.delimiter } : {}),
      ...(csv.maxCategories !== undefined ? { maxCategories: csv.maxCategories } : {}),
    },
    ...(settings.sources?.records !== undefined ? { records: settings.sources.records } : {}),
    ...(x.spec.sha256 !== undefined ? { sha256: x.spec.sha256 } : {}),
    models: x.models,
    ...(settings.param?.length ? { param: settings.param } : {}),
    modelModule: settings.modelModule,
    ...(settings.preprocess ? { preprocess: settings.preprocess } : {}),
    seed: settings.seed,
    testSize: settings.testSize,
    ...(settings.splitFile !== undefined ? { splitFile: settings.splitFile } : {}),
    ...(settings.cv !== undefined ? { cv: settings.cv } : {}),
    ...(settings.foldsFile !== undefined ? { foldsFile: settings.foldsFile } : {}),
    tune: settings.tune === true,
  };
}

/** The saved settings of the run in `dir`; a UsageError naming the file when they cannot be read. */
export async function readSavedRun(dir: string): Promise<SavedRun> {
  const file = resolve(dir, RUN_FILE);
  let value: unknown;
  try {
    value = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(
      code === 'ENOENT'
        ? `${shown(dir)} cannot be resumed: it has no ${RUN_FILE} (written by an older trainpool?)`
        : `${shown(file)}: cannot be read (${(error as Error).message}); the run cannot be resumed`,
    );
  }
  const parsed = savedRunSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new UsageError(
      `${shown(file)}: not a trainpool run file (${issue.path.join('.') || 'the file'}: ${issue.message}); the run cannot be resumed`,
    );
  }
  return parsed.data;
}

/** The settings to run again, with relative paths read from where they were given. */
export function settingsOf(saved: SavedRun): RunSettings {
  const here = (path: string | undefined) =>
    path === undefined || isAbsolute(path) || resolve(path) === resolve(saved.cwd, path)
      ? path
      : resolve(saved.cwd, path);
  const splitFile = here(saved.splitFile);
  const foldsFile = here(saved.foldsFile);
  return {
    seed: saved.seed,
    testSize: saved.testSize,
    ...(splitFile !== undefined ? { splitFile } : {}),
    ...(saved.cv !== undefined ? { cv: saved.cv } : {}),
    ...(foldsFile !== undefined ? { foldsFile } : {}),
    tune: saved.tune,
    ...(saved.preprocess ? { preprocess: saved.preprocess } : {}),
    csv: saved.csv,
    modelModule: saved.modelModule,
    ...(saved.param ? { param: saved.param as ParamSetting[] } : {}),
    sources: {
      ...(saved.records !== undefined ? { records: saved.records } : {}),
      ...(saved.sha256 !== undefined ? { sha256: saved.sha256 } : {}),
    },
  };
}

// The report.json schema, checked on every read: a corrupt, truncated or foreign file is refused
// with one line saying why instead of crashing whatever reads it. A report of an older version is
// first upgraded, one version at a time, so that every report ever written stays readable: a
// change to the report bumps SCHEMA_VERSION and adds the step from the previous version here.
import { z } from 'zod';
import { FAULT_KINDS, STOP_KINDS } from '../execution/protocol.js';
import {
  METRICS,
  TIMINGS,
  type DefinedMetricId,
  type MetricId,
  type NullableMetricId,
  type TimingId,
} from '../ml/metrics.js';
import { SCHEMA_VERSION, type Report } from './report.js';

const summary = z.object({ mean: z.number(), std: z.number(), folds: z.array(z.number()) });
const json = z.record(z.string(), z.unknown());
const failure = z.object({
  kind: z.enum(FAULT_KINDS as [string, ...string[]]),
  name: z.string(),
  message: z.string(),
});
const stop = z.object({ kind: z.enum(STOP_KINDS as [string, ...string[]]), message: z.string() });
/**
 * One entry per metric of the table: null for a metric of probabilities the model cannot have,
 * absent in a report written before the metric existed (so that adding a metric to the table
 * leaves every older report readable as it is).
 */
const perMetric = <T extends z.ZodType>(value: T) =>
  Object.fromEntries(
    METRICS.map((m) => [m.id, (m.nullable ? value.nullable() : value).optional()]),
  ) as unknown as Record<DefinedMetricId, T> & Record<NullableMetricId, z.ZodNullable<T>>;
const cvScores = z.object({ k: z.number().int(), fitMs: summary, ...perMetric(summary) });
const metrics = z.object({
  ...perMetric(z.number()),
  perClass: z.array(
    z.object({ class: z.string(), precision: z.number(), recall: z.number(), f1: z.number(), support: z.number() }),
  ),
  confusionMatrix: z.object({ labels: z.array(z.string()), matrix: z.array(z.array(z.number().int())) }),
});
const probabilities = z.object({ classes: z.number().int().positive(), base64: z.string() });
const measure = z.discriminatedUnion('scope', [
  z.object({ scope: z.enum(['test', 'cv']), id: z.enum(METRICS.map((m) => m.id) as [MetricId, ...MetricId[]]) }),
  z.object({ scope: z.literal('timing'), id: z.enum(TIMINGS.map((t) => t.id) as [TimingId, ...TimingId[]]) }),
]);
const modelBase = {
  id: z.string(),
  description: z.string(),
  library: z.object({ name: z.string(), version: z.string() }).optional(),
  params: json,
  preprocess: z.enum(['standardize', 'minmax', 'none']),
  cv: cvScores.optional(),
  tuning: z
    .object({
      candidates: z.array(
        z.object({
          params: json,
          status: z.enum(['ok', 'failed', 'not-run']),
          cv: cvScores.optional(),
          error: failure.optional(),
          reason: stop.optional(),
        }),
      ),
      best: z.number().int().nullable(),
    })
    .optional(),
  attempts: z.number().int().optional(),
  baseline: z.literal(true).optional(),
};
const model = z.discriminatedUnion('status', [
  z.object({
    ...modelBase,
    status: z.literal('ok'),
    metrics: metrics.optional(),
    predictions: z.array(z.number().int()),
    probabilities: probabilities.nullable().optional(),
    outOfFold: z
      .object({
        predictions: z.array(z.array(z.number().int())),
        probabilities: z.array(probabilities).nullable(),
      })
      .optional(),
    timings: z.object({ fitMs: z.number(), predictMs: z.number() }),
    modelFile: z.string().optional(),
  }),
  z.object({ ...modelBase, status: z.literal('failed'), error: failure.extend({ task: z.string() }) }),
  z.object({ ...modelBase, status: z.literal('not-run'), reason: stop }),
]);

export const reportSchema = z.object({
  schemaVersion: z.literal(SCHEMA_VERSION),
  runId: z.string(),
  createdAt: z.string(),
  status: z.enum(['complete', 'interrupted']),
  dataset: z.object({
    name: z.string(),
    source: z.string(),
    rows: z.number().int(),
    features: z.number().int(),
    featureNames: z.array(z.string()),
    classes: z.array(z.string()),
    classCounts: z.array(z.number().int()),
    sha256: z.string().regex(/^[0-9a-f]{64}$/),
    file: z.string().optional(),
    encoding: z
      .object({
        label: z.string(),
        columns: z.array(
          z.discriminatedUnion('type', [
            z.object({ name: z.string(), type: z.literal('number') }),
            z.object({ name: z.string(), type: z.literal('one-hot'), categories: z.array(z.string()) }),
          ]),
        ),
      })
      .optional(),
    droppedRows: z.number().int().optional(),
    fetch: z
      .object({
        url: z.string(),
        fetchedAt: z.string(),
        etag: z.string().nullable(),
        sha256: z.string().regex(/^[0-9a-f]{64}$/),
        cached: z.boolean(),
      })
      .optional(),
    labels: z.array(z.number().int()).optional(),
  }),
  split: z.object({
    seed: z.number().int(),
    testSize: z.number(),
    stratified: z.boolean(),
    file: z.string().optional(),
    train: z.array(z.number().int()),
    test: z.array(z.number().int()),
  }),
  cv: z
    .object({ k: z.number().int(), file: z.string().optional(), testFolds: z.array(z.array(z.number().int())) })
    .nullable(),
  tune: z.boolean(),
  threads: z.number().int(),
  nodeVersion: z.string(),
  versions: z.record(z.string(), z.string()),
  durationMs: z.number(),
  sortBy: measure.optional(),
  budget: z.object({ seconds: z.number(), graceSeconds: z.number(), ranOut: z.boolean() }).optional(),
  resumed: z.object({ times: z.number().int(), tasksFromJournal: z.number().int() }).optional(),
  // Checked where it is used (`train --from`), by the config file's schema.
  settings: z.record(z.string(), z.unknown()).optional(),
  models: z.array(model),
});

// Fails to compile when a field of Report is missing from the schema or typed differently.
const schemaCoversReport: [Report] extends [z.infer<typeof reportSchema>] ? true : false = true;
void schemaCoversReport;

export class ReportError extends Error {
  override readonly name = 'ReportError';
}

type Json = Record<string, unknown>;

/**
 * Steps from each older version to the next. A step adds nothing the old run did not record: a
 * field new in the later version stays absent (or null).
 */
const UPGRADES: Record<number, (report: Json) => Json> = {
  // 1 -> 2: a model or grid candidate the run stopped was a failure of kind 'aborted'; it is now
  // 'not-run', with that reason. Models gained `library` (absent here: it was not recorded).
  1: (report) => ({
    ...report,
    schemaVersion: 2,
    models: (report['models'] as Json[] | undefined)?.map((model) => {
      const error = model['error'] as Json | undefined;
      const tuning = model['tuning'] as { candidates?: Json[] } | undefined;
      const upgraded: Json = tuning?.candidates
        ? {
            ...model,
            tuning: {
              ...tuning,
              candidates: tuning.candidates.map((c) => {
                const e = c['error'] as Json | undefined;
                if (e?.['kind'] !== 'aborted') return c;
                const { error: _error, ...rest } = c;
                return { ...rest, status: 'not-run', reason: { kind: 'aborted', message: e['message'] } };
              }),
            },
          }
        : model;
      if (model['status'] !== 'failed' || error?.['kind'] !== 'aborted') return upgraded;
      const { error: _error, ...rest } = upgraded;
      return { ...rest, status: 'not-run', reason: { kind: 'aborted', message: error['message'] } };
    }),
  }),
  // 2 -> 3: data sets gained `fetch` (how a download was fetched); a version 2 run read only
  // local data, so it stays absent.
  2: (report) => ({ ...report, schemaVersion: 3 }),
  // 3 -> 4: new metrics (weighted precision/recall/F1, kappa, MCC, ROC AUC, log loss), test
  // probabilities, out-of-fold predictions, every row's label and the leaderboard's sort. Version
  // 3 recorded none of them: they stay absent (readers show such a metric as n/a and sort by the
  // default), never computed after the fact.
  3: (report) => ({ ...report, schemaVersion: 4 }),
  // 4 -> 5: runs gained `budget` (--budget) and `resumed` (--resume); a run of version 4 had
  // neither, so both stay absent.
  4: (report) => ({ ...report, schemaVersion: 5 }),
  // 5 -> 6: reports gained `settings` (what repeats the run, `train --from`); a version 5 report
  // recorded none, so it stays absent.
  5: (report) => ({ ...report, schemaVersion: 6 }),
};

/** The oldest version there is an upgrade from. */
const OLDEST = Math.min(...Object.keys(UPGRADES).map(Number), SCHEMA_VERSION);

/**
 * Why `text` does not parse, in words that never quote it: the file may be anything (the parser's
 * own message shows its first characters).
 */
function notJson(text: string, error: unknown): string {
  const first = text.trimStart()[0];
  if (first !== '{' && first !== '[') return 'not a trainpool report (not JSON)';
  const message = error instanceof Error ? error.message : '';
  const position = /at position (\d+)/.exec(message)?.[1];
  const where = /end of JSON input/.test(message)
    ? 'it ends early'
    : position !== undefined
      ? `at character ${position}`
      : 'it does not parse';
  return `not valid JSON (${where}); the file may be truncated`;
}

/** Parses and validates report.json text (of any version); throws ReportError with a one-line reason. */
export function parseReport(text: string): Report {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ReportError(notJson(text, error));
  }
  let version = (value as { schemaVersion?: unknown } | null)?.schemaVersion;
  if (typeof version === 'number' && version > SCHEMA_VERSION) {
    throw new ReportError(
      `schemaVersion ${version} is newer than this trainpool reads (${SCHEMA_VERSION}); update trainpool`,
    );
  }
  if (typeof version === 'number' && Number.isInteger(version) && version < OLDEST) {
    throw new ReportError(
      `schemaVersion ${version} is older than any trainpool report (the first is ${OLDEST}); it is not a report of this tool`,
    );
  }
  while (typeof version === 'number' && version < SCHEMA_VERSION && UPGRADES[version]) {
    value = UPGRADES[version]!(value as Json);
    version = (value as Json)['schemaVersion'];
  }
  const parsed = reportSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ReportError(`not a trainpool report: ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  return parsed.data as Report;
}

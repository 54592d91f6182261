// The report.json schema, checked on every read: a corrupt, truncated or foreign file is refused
// with one line saying why instead of crashing whatever reads it.
import { z } from 'zod';
import { SCHEMA_VERSION, type Report } from './report.js';

const summary = z.object({ mean: z.number(), std: z.number(), folds: z.array(z.number()) });
const json = z.record(z.string(), z.unknown());
const failure = z.object({
  kind: z.enum(['threw', 'crashed', 'timeout', 'out-of-memory', 'aborted']),
  name: z.string(),
  message: z.string(),
});
const cvScores = z.object({
  k: z.number().int(),
  accuracy: summary,
  balancedAccuracy: summary,
  macroPrecision: summary,
  macroRecall: summary,
  macroF1: summary,
  fitMs: summary,
});
const metrics = z.object({
  accuracy: z.number(),
  balancedAccuracy: z.number(),
  macroPrecision: z.number(),
  macroRecall: z.number(),
  macroF1: z.number(),
  perClass: z.array(
    z.object({ class: z.string(), precision: z.number(), recall: z.number(), f1: z.number(), support: z.number() }),
  ),
  confusionMatrix: z.object({ labels: z.array(z.string()), matrix: z.array(z.array(z.number().int())) }),
});
const modelBase = {
  id: z.string(),
  description: z.string(),
  params: json,
  preprocess: z.enum(['standardize', 'minmax', 'none']),
  cv: cvScores.optional(),
  tuning: z
    .object({
      candidates: z.array(
        z.object({
          params: json,
          status: z.enum(['ok', 'failed']),
          cv: cvScores.optional(),
          error: failure.optional(),
        }),
      ),
      best: z.number().int().nullable(),
    })
    .optional(),
  attempts: z.number().int().optional(),
};
const model = z.discriminatedUnion('status', [
  z.object({
    ...modelBase,
    status: z.literal('ok'),
    metrics: metrics.optional(),
    predictions: z.array(z.number().int()),
    timings: z.object({ fitMs: z.number(), predictMs: z.number() }),
    modelFile: z.string().optional(),
  }),
  z.object({ ...modelBase, status: z.literal('failed'), error: failure.extend({ task: z.string() }) }),
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
  models: z.array(model),
});

// Fails to compile when a field of Report is missing from the schema or typed differently.
const schemaCoversReport: [Report] extends [z.infer<typeof reportSchema>] ? true : false = true;
void schemaCoversReport;

export class ReportError extends Error {
  override readonly name = 'ReportError';
}

/** Parses and validates report.json text; throws ReportError with a one-line reason. */
export function parseReport(text: string): Report {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ReportError(`not valid JSON (${(error as Error).message}); the file may be truncated`);
  }
  const version = (value as { schemaVersion?: unknown } | null)?.schemaVersion;
  if (typeof version === 'number' && version > SCHEMA_VERSION) {
    throw new ReportError(
      `schemaVersion ${version} is newer than this trainpool reads (${SCHEMA_VERSION}); update trainpool`,
    );
  }
  if (typeof version === 'number' && version < SCHEMA_VERSION) {
    throw new ReportError(
      `schemaVersion ${version} is older than this trainpool reads (${SCHEMA_VERSION}) and has no upgrade; rerun that training`,
    );
  }
  const parsed = reportSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ReportError(`not a trainpool report: ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  return parsed.data as Report;
}

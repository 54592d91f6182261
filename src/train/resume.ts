// What a run keeps in its folder to be resumed: run.json, written (durably) before its first task,
// holds the run's resolved settings (the same object its report records, whose keys are those of
// a config file) and its data's sha256, so that `train --resume <run>` rebuilds the same tasks
// whatever defaults have changed since, and finds their results in the journal by key.
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { z } from 'zod';
import { UsageError } from '../errors.js';
import { shown } from '../paths.js';
import type { RunSettings } from '../results/report.js';

export const RUN_FILE = 'run.json';

const savedRunSchema = z.object({
  version: z.literal(1),
  runId: z.string(),
  createdAt: z.string(),
  /** How many times the run has been resumed so far. */
  resumes: z.number().int().min(0),
  datasetSha256: z.string().regex(/^[0-9a-f]{64}$/),
  // Checked where it is used, as settings (api/settings.ts), like a report's.
  settings: z.record(z.string(), z.unknown()),
});

export interface SavedRun {
  version: 1;
  runId: string;
  createdAt: string;
  resumes: number;
  datasetSha256: string;
  settings: RunSettings;
}

export function savedRun(x: {
  runId: string;
  createdAt: Date;
  resumes: number;
  datasetSha256: string;
  settings: RunSettings;
}): SavedRun {
  return { version: 1, ...x, createdAt: x.createdAt.toISOString() };
}

/** The run file of the run in `dir` (settings still to check); a UsageError naming the file when it cannot be read. */
export async function readSavedRun(dir: string): Promise<{ file: string; saved: z.infer<typeof savedRunSchema> }> {
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
  return { file, saved: parsed.data };
}

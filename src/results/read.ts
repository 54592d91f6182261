// Reading the results folder: the one place that finds runs and loads their reports. Every
// report goes through parseReport (the zod schema), so a corrupt, truncated or foreign file is a
// one-line warning and is skipped; it never stops a command that reads many runs. It also finds
// the runs that can be resumed (`resolveResumable`): a staging folder whose process is gone, or a
// run folder that landed incomplete, either holding the run's saved settings.
import { existsSync } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { shown } from '../paths.js';
import { UsageError } from '../errors.js';
import { parseReport, ReportError } from './schema.js';
import type { Report } from './report.js';
import { ownerAlive, STAGING_PREFIX, stagingOwner } from './write.js';

export interface Run {
  /** The run folder's name (normally the report's runId). */
  id: string;
  dir: string;
  report: Report;
}

export interface Skipped {
  /** `warning` for a report that cannot be read, `note` for a run folder that is not finished. */
  level: 'warning' | 'note';
  /** The run folder. */
  dir: string;
  /** One line: what is wrong, naming the file. */
  reason: string;
}

export interface RunScan {
  /** Readable runs, oldest first. */
  runs: Run[];
  skipped: Skipped[];
}


const byTime = (a: Run, b: Run) =>
  a.report.createdAt < b.report.createdAt ? -1 : a.report.createdAt > b.report.createdAt ? 1 : a.id < b.id ? -1 : 1;

/** Reads and validates one report.json; a ReportError or file error names the file. */
export async function readReport(file: string): Promise<Report> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ReportError(
      `${shown(file)}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a folder' : (error as Error).message}`,
    );
  }
  try {
    return parseReport(text);
  } catch (error) {
    if (error instanceof ReportError) throw new ReportError(`${shown(file)}: ${error.message}`);
    throw error;
  }
}

/** The entries of the results folder; a missing one is a UsageError ending with `hint`. */
async function resultsEntries(resultsDir: string, hint: string) {
  try {
    return await readdir(resultsDir, { withFileTypes: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(
      code === 'ENOENT'
        ? `no results folder at ${shown(resultsDir)}${hint}`
        : `cannot read ${shown(resultsDir)}: ${(error as Error).message}`,
    );
  }
}

/** Every run folder in `resultsDir`, with what had to be skipped and why. */
export async function scanRuns(resultsDir: string): Promise<RunScan> {
  const entries = await resultsEntries(resultsDir, `; run \`npm run train\` first, or pass --results-dir`);
  const skipped: Skipped[] = [];
  const found = await Promise.all(
    entries
      .filter((e) => e.isDirectory())
      .sort((a, b) => (a.name < b.name ? -1 : 1))
      .map(async (entry): Promise<Run | undefined> => {
        const dir = join(resultsDir, entry.name);
        if (entry.name.startsWith(STAGING_PREFIX)) {
          skipped.push({
            level: 'note',
            dir,
            reason: `${shown(dir)}: a run still being written, or one that stopped before it finished`,
          });
          return undefined;
        }
        if (entry.name.startsWith('.')) return undefined;
        const file = join(dir, 'report.json');
        try {
          await stat(file);
        } catch {
          skipped.push({ level: 'note', dir, reason: `${shown(dir)}: no report.json (an incomplete run?)` });
          return undefined;
        }
        try {
          return { id: entry.name, dir, report: await readReport(file) };
        } catch (error) {
          if (!(error instanceof ReportError)) throw error;
          skipped.push({ level: 'warning', dir, reason: error.message });
          return undefined;
        }
      }),
  );
  return { runs: found.filter((r): r is Run => r !== undefined).sort(byTime), skipped };
}

/** Prints what scanRuns skipped, one line each, on stderr. */
export function reportSkipped(command: string, skipped: readonly Skipped[]): void {
  for (const s of skipped) process.stderr.write(`${command}: ${s.level}: skipped ${s.reason}\n`);
}

/**
 * Finds the run a command-line argument names, the same way for every command: a run folder or a
 * report.json file (a path), `latest` (the newest readable run), a run id in the results folder,
 * or the start of exactly one run's id. `scan` is the results folder's, when the caller has it.
 */
export async function resolveRun(arg: string, resultsDir: string, scan?: RunScan): Promise<Run> {
  const path = resolve(arg);
  let isFile = false;
  let isDir = false;
  try {
    const s = await stat(path);
    isFile = s.isFile();
    isDir = s.isDirectory();
  } catch {
    // Not a path: an id, a start of one, or `latest`.
  }
  // A bare name that is also a run id in the results folder means that run, wherever we stand.
  const found = scan ?? (isFile || isDir ? undefined : await scanRuns(resultsDir));
  const inResults = found?.runs.find((r) => r.id === arg);
  if (inResults) return inResults;
  if (isFile || isDir) {
    const file = isFile ? path : join(path, 'report.json');
    try {
      return {
        id: isFile ? basename(resolve(path, '..')) : basename(path),
        dir: isFile ? resolve(path, '..') : path,
        report: await readReport(file),
      };
    } catch (error) {
      if (error instanceof ReportError) throw new UsageError(`cannot read run ${arg}: ${error.message}`);
      throw error;
    }
  }
  const runs = found!.runs;
  if (arg === 'latest') {
    const latest = runs.at(-1);
    if (!latest) throw new UsageError(`no readable runs in ${shown(resultsDir)}; run \`npm run train\` first`);
    return latest;
  }
  const skippedHere = found!.skipped.find((s) => basename(s.dir) === arg);
  if (skippedHere) throw new UsageError(`cannot read run ${arg}: ${skippedHere.reason}`);
  const matches = runs.filter((r) => r.id.startsWith(arg));
  if (matches.length === 1) return matches[0]!;
  if (matches.length > 1)
    throw new UsageError(
      `run "${arg}" is ambiguous: ${matches.length} runs start with it (${matches
        .slice(-3)
        .map((r) => r.id)
        .join(', ')}${matches.length > 3 ? ', …' : ''}); give more of the id`,
    );
  const latest = runs
    .slice(-3)
    .map((r) => r.id)
    .reverse();
  throw new UsageError(
    `no run "${arg}" in ${shown(resultsDir)}${latest.length ? ` (latest: ${latest.join(', ')})` : ' (it holds no runs)'}; give a run id or its start, latest, a run folder or a report.json`,
  );
}

/** The file a resumable run keeps its settings in (train/resume.ts writes it). */
const RUN_FILE = 'run.json';

export interface Resumable {
  runId: string;
  /** Where the run is now: its staging folder, or its run folder when it landed incomplete. */
  dir: string;
  landed: boolean;
}

/**
 * Whether a landed run left something to do: it was interrupted, or some model did not run
 * (interrupted, out of budget) or failed by its worker's fault (a crash, a timeout, memory),
 * which running it again may cure. A model that threw would throw again.
 */
export function leftWork(report: Report): boolean {
  return (
    report.status === 'interrupted' ||
    report.models.some((m) => m.status === 'not-run' || (m.status === 'failed' && m.error.kind !== 'threw'))
  );
}

interface Candidate extends Resumable {
  createdAt: string;
  /** Why it cannot be resumed now, when it cannot. */
  blocked?: string;
}

async function createdAtOf(dir: string): Promise<string | undefined> {
  try {
    const value = JSON.parse(await readFile(join(dir, RUN_FILE), 'utf8')) as { createdAt?: unknown };
    return typeof value.createdAt === 'string' ? value.createdAt : undefined;
  } catch {
    return undefined;
  }
}

async function resumableRuns(
  resultsDir: string,
): Promise<{ candidates: Candidate[]; complete: Set<string>; unsaved: Set<string> }> {
  const entries = await resultsEntries(
    resultsDir,
    ': there is no run to resume; pass --results-dir if it is elsewhere',
  );
  const candidates: Candidate[] = [];
  const complete = new Set<string>();
  /** Runs with work left that kept no settings to resume from (written before runs kept them). */
  const unsaved = new Set<string>();
  for (const entry of entries.filter((e) => e.isDirectory())) {
    const dir = join(resultsDir, entry.name);
    const createdAt = await createdAtOf(dir);
    if (entry.name.startsWith(STAGING_PREFIX)) {
      if (createdAt === undefined) continue;
      const owner = await stagingOwner(dir);
      const runId = entry.name.slice(STAGING_PREFIX.length);
      candidates.push({
        runId,
        dir,
        landed: false,
        createdAt,
        ...(owner && ownerAlive(owner)
          ? { blocked: `run ${runId} is still running (process ${owner.pid}); wait for it to end, or stop it` }
          : {}),
      });
      continue;
    }
    if (entry.name.startsWith('.')) continue;
    let report: Report;
    try {
      report = await readReport(join(dir, 'report.json'));
    } catch {
      continue;
    }
    if (!leftWork(report)) complete.add(entry.name);
    else if (createdAt !== undefined && existsSync(join(dir, RUN_FILE)))
      candidates.push({ runId: entry.name, dir, landed: true, createdAt });
    else unsaved.add(entry.name);
  }
  candidates.sort((a, b) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : a.runId < b.runId ? -1 : 1));
  return { candidates, complete, unsaved };
}

/**
 * The run `arg` names for --resume, named as runs are everywhere (an id, the unique start of one,
 * `latest`, a folder), among those that can be resumed. `latest` is the newest that no live
 * process owns. A UsageError says why a named run cannot be resumed.
 */
export async function resolveResumable(arg: string, resultsDir: string): Promise<Resumable> {
  const { candidates, complete, unsaved } = await resumableRuns(resultsDir);
  const pick = ({ runId, dir, landed, blocked }: Candidate): Resumable => {
    if (blocked) throw new UsageError(blocked);
    return { runId, dir, landed };
  };
  if (arg === 'latest') {
    const free = candidates.filter((c) => !c.blocked);
    if (free.length === 0)
      throw new UsageError(
        `no run to resume in ${shown(resultsDir)}: a run stopped by Ctrl-C, a crash, a kill or its --budget can be resumed${candidates.length ? ` (${candidates.length} still running)` : ''}`,
      );
    return pick(free.at(-1)!);
  }
  let id = arg;
  try {
    if ((await stat(resolve(arg))).isDirectory()) id = basename(resolve(arg));
  } catch {
    // Not a folder: an id or the start of one.
  }
  if (id.startsWith(STAGING_PREFIX)) id = id.slice(STAGING_PREFIX.length);
  const exact = candidates.find((c) => c.runId === id);
  if (exact) return pick(exact);
  if (complete.has(id)) throw new UsageError(`run ${id} is complete: there is nothing to resume`);
  if (unsaved.has(id))
    throw new UsageError(
      `run ${id} cannot be resumed: it has no ${RUN_FILE} (written by an older trainpool); start a new run`,
    );
  const matches = candidates.filter((c) => c.runId.startsWith(id));
  if (matches.length === 1) return pick(matches[0]!);
  if (matches.length > 1)
    throw new UsageError(
      `run "${id}" is ambiguous: ${matches.length} resumable runs start with it (${matches
        .slice(-3)
        .map((c) => c.runId)
        .join(', ')}); give more of the id`,
    );
  const latest = candidates
    .slice(-3)
    .map((c) => c.runId)
    .reverse();
  throw new UsageError(
    `no run "${id}" to resume in ${shown(resultsDir)}${latest.length ? ` (resumable: ${latest.join(', ')})` : ''}; give a run id or its start, latest, or a run folder`,
  );
}

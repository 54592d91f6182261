// The run's journal: every finished task's result, appended to journal.ndjson in the run's
// staging folder as it arrives, keyed by a hash of everything the result depends on (the data's
// sha256, the model id, its library or engine and version, params, preprocessing, seed, the rows
// it fits and predicts, whether the model is kept). `train --resume` reads it back and submits only
// the tasks it lacks, so a run stopped by Ctrl-C, a crash, SIGKILL or a power cut costs only the
// tasks that had not finished.
//
// What is kept: results that would come out the same again, those that trained and those whose
// model threw. A worker's fault (crashed, out of memory, timed out: maybe the machine's, not the
// model's) and a task the run stopped are not kept, so a resume runs them again. Each line carries
// a checksum: a line torn by a power cut, or altered, is skipped (its task runs again), and a
// result read back is checked against its task like one from another machine.
//
// The journal also notes each task as it starts ("start"), so that it shows what ran when: no
// task starts after its result was recorded.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { Scheduler } from '../execution/scheduler.js';
import type { Task, TaskResult, TrainTask } from '../execution/protocol.js';
import { resultProblem, toWire, type WireResult } from '../execution/result-check.js';
import { canonicalJson } from '../json.js';
import type { Library } from '../ml/estimator.js';
import { AppendFile } from '../results/write.js';

export const JOURNAL_FILE = 'journal.ndjson';

/** Bumped whenever the key's recipe changes: old journals then simply match nothing. */
const KEY_VERSION = 1;

const rowDigests = new WeakMap<readonly number[], string>();

/** Row lists are shared by every candidate of a grid: each is hashed once. */
function rowsDigest(rows: readonly number[]): string {
  let digest = rowDigests.get(rows);
  if (digest === undefined) {
    digest = createHash('sha256')
      .update(new Uint8Array(Int32Array.from(rows).buffer))
      .digest('hex');
    rowDigests.set(rows, digest);
  }
  return digest;
}

/** The key of a task: the same for the same work in any run, on any backend. */
export function taskKey(task: TrainTask, library: Library): string {
  return createHash('sha256')
    .update(
      canonicalJson({
        v: KEY_VERSION,
        data: task.data.sha256,
        model: task.modelId,
        library,
        params: task.params,
        preprocess: task.preprocess,
        seed: task.seed,
        train: rowsDigest(task.train),
        test: rowsDigest(task.test),
        keepModel: task.keepModel,
      }),
    )
    .digest('hex');
}

type Line =
  | { t: 'session'; at: string; resume: number }
  | { t: 'start'; k: string }
  | { t: 'result'; k: string; r: WireResult };

const checksum = (line: Line) => createHash('sha256').update(canonicalJson(line)).digest('hex').slice(0, 16);

/** Whether running the task again would give this result again, so that it is worth keeping. */
const keepable = (result: TaskResult) =>
  result.status === 'ok' || (result.status === 'failed' && result.error.kind === 'threw');

/** The lines of a journal file that are whole and unaltered; the rest is skipped. */
export function parseJournal(text: string): Line[] {
  const lines: Line[] = [];
  for (const raw of text.split('\n')) {
    if (raw.trim() === '') continue;
    try {
      const { c, ...line } = JSON.parse(raw) as Line & { c?: unknown };
      if (c === checksum(line as Line)) lines.push(line as Line);
    } catch {
      // Torn by a crash mid-line: its task is simply run again.
    }
  }
  return lines;
}

export class Journal {
  private readonly recorded = new Map<string, unknown>();
  private failed = false;

  private constructor(
    private readonly file: AppendFile,
    private readonly warn: (line: string) => void,
  ) {}

  /** Opens the journal at `path` (made if absent), reading what earlier processes recorded. */
  static async open(path: string, resume: number, warn: (line: string) => void): Promise<Journal> {
    const text = await readFile(path, 'utf8').catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return '';
      throw error;
    });
    const journal = new Journal(await AppendFile.open(path), warn);
    for (const line of parseJournal(text)) if (line.t === 'result') journal.recorded.set(line.k, line.r);
    journal.write({ t: 'session', at: new Date().toISOString(), resume });
    return journal;
  }

  /** How many results earlier processes recorded. */
  get size(): number {
    return this.recorded.size;
  }

  /** The recorded result of this task, if there is one that fits it. */
  lookup(task: TrainTask & { key: string }): TaskResult | undefined {
    const value = this.recorded.get(task.key);
    if (value === undefined) return undefined;
    const checked = resultProblem(task, value);
    // A line that does not fit its task (a journal edited by hand) is not believed: the task runs.
    return typeof checked === 'string' ? undefined : checked;
  }

  started(key: string): void {
    this.write({ t: 'start', k: key });
  }

  /** Records a finished task's result, if it is worth keeping and not recorded yet. */
  record(key: string, result: TaskResult): void {
    if (!keepable(result) || this.recorded.has(key)) return;
    // As JSON carries it (probabilities as a plain array), as a lookup reads it back.
    const wire = toWire(result);
    this.recorded.set(key, wire);
    this.write({ t: 'result', k: key, r: wire });
  }

  private write(line: Line): void {
    if (this.failed) return;
    // A journal that cannot be written costs a resume its shortcut, never the run.
    this.file.append(JSON.stringify({ ...line, c: checksum(line) })).catch((error: unknown) => {
      if (this.failed) return;
      this.failed = true;
      this.warn(
        `train: warning: cannot write the run's journal ${this.file.path} (${(error as Error).message}); the run goes on, but a resume would train everything again`,
      );
    });
  }

  /** Waits until everything recorded is on disk. */
  close(): Promise<void> {
    return this.file.close().catch(() => {});
  }
}

/**
 * The scheduler as one data set's models see it: each task gets its key; one whose result the
 * journal holds is answered from it at once, any other goes to the scheduler and its result into
 * the journal. `reused` hears of each task answered from the journal (for progress).
 */
export function journaled(
  scheduler: Scheduler,
  journal: Journal,
  libraries: ReadonlyMap<string, Library>,
  reused: (cost: number) => void,
): Pick<Scheduler, 'submit'> {
  const ours = new WeakSet<Task>();
  scheduler.on((event) => {
    if (event.kind === 'start' && ours.has(event.task) && event.task.kind === 'train' && event.task.key)
      journal.started(event.task.key);
  });
  return {
    submit(task, cost, withdraw) {
      if (task.kind !== 'train') return scheduler.submit(task, cost, withdraw);
      const library = libraries.get(task.modelId);
      if (!library) return scheduler.submit(task, cost, withdraw);
      const keyed = { ...task, key: taskKey(task, library) };
      const recorded = journal.lookup(keyed);
      if (recorded) {
        reused(cost);
        return Promise.resolve(recorded);
      }
      ours.add(keyed);
      return scheduler.submit(keyed, cost, withdraw).then((result) => {
        journal.record(keyed.key, result);
        return result;
      });
    },
  };
}

// What a thread that runs model code (a pool thread, the thread that tries a model module out)
// does about that code beyond its task. What the code prints never reaches the process's stdout,
// where `train --json` writes the report: it goes to the main thread as messages, a line at a
// time, labelled with the model that printed it. A signal the code sends to the process it runs
// in, or to its process group, is refused: it would end every task of the run, not its own.
// What remains possible and is not stopped here: a child process that signals its parent
// (`execSync('kill -9 $PPID')`), a native addon, writing to /proc. Only a process per task would
// stop those, which the BullMQ backend's worker processes come closer to.
import { isMainThread, parentPort } from 'node:worker_threads';

/** A message from a guarded thread to the main thread: lines its code printed. */
export interface OutputMessage {
  trainpoolOutput: string[];
}

export const isOutputMessage = (message: unknown): message is OutputMessage =>
  typeof message === 'object' &&
  message !== null &&
  Array.isArray((message as { trainpoolOutput?: unknown }).trainpoolOutput);

/** Longer lines are cut, and a label's lines beyond the count dropped: a model printing in a loop must not flood stderr. */
const MAX_LINE = 2000;
const MAX_LINES = 1000;

let label = 'worker';
let sent = 0;
const partial = { stdout: '', stderr: '' };

function send(lines: string[]): void {
  const room = MAX_LINES - sent;
  if (lines.length === 0 || room < 0) return;
  const out = lines.slice(0, room).map((line) => `${label}: ${line.slice(0, MAX_LINE)}`);
  if (lines.length > room) out.push(`${label}: (more output dropped: at most ${MAX_LINES} lines are shown)`);
  sent += lines.length > room ? room + 1 : lines.length;
  parentPort?.postMessage({ trainpoolOutput: out } satisfies OutputMessage);
}

/** Names the code now running (a model id), for the lines it prints; flushes what came before. */
export function setOutputLabel(name: string): void {
  flushOutput();
  label = name;
  sent = 0;
}

/** Sends any line left without its newline. */
export function flushOutput(): void {
  send([partial.stdout, partial.stderr].filter((line) => line !== ''));
  partial.stdout = '';
  partial.stderr = '';
}

function capture(stream: 'stdout' | 'stderr'): NodeJS.WriteStream['write'] {
  return ((chunk: string | Uint8Array, encoding?: unknown, callback?: unknown) => {
    const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    const pieces = (partial[stream] + text).split('\n');
    partial[stream] = pieces.pop()!.slice(0, MAX_LINE);
    send(pieces.map((line) => line.replace(/\r$/, '')));
    const done = typeof encoding === 'function' ? encoding : callback;
    if (typeof done === 'function') queueMicrotask(() => (done as () => void)());
    return true;
  }) as NodeJS.WriteStream['write'];
}

/** Installs the guard in this thread (never in the main thread, whose stdout is the report's). */
/** Set in every guarded thread: train() called there (by a module that trains when imported) refuses to run (src/api/train.ts). */
export const MODEL_THREAD = Symbol.for('trainpool.model-thread');

export function guardThread(): void {
  if (isMainThread) throw new Error('guardThread() belongs in a worker thread');
  (globalThis as Record<symbol, unknown>)[MODEL_THREAD] = true;
  process.stdout.write = capture('stdout');
  process.stderr.write = capture('stderr');
  const kill = process.kill.bind(process);
  process.kill = (pid: number, signal?: string | number): true => {
    // Signal 0 only asks whether a process exists.
    if (signal !== 0 && (pid === process.pid || pid <= 0))
      throw new Error(
        `process.kill(${pid}, ${JSON.stringify(signal ?? 'SIGTERM')}) refused: a model may not signal the process that runs it${pid <= 0 ? ' or its process group' : ''}: that would end every task of the run, not only its own`,
      );
    return kill(pid, signal);
  };
}

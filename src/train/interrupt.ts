// Ctrl-C and SIGTERM during a run: the first stops it gracefully (no new tasks, running ones
// aborted, the partial report written), a second one ends the process at once.
import type { ModelReport } from '../results/report.js';

export type InterruptSignal = 'SIGINT' | 'SIGTERM';

/** Shell convention: 128 + the signal's number; the exit status of a run stopped gracefully. */
const EXIT_STATUS: Record<InterruptSignal, number> = { SIGINT: 130, SIGTERM: 143 };

/** Signals this soon after the first are echoes of it (see `catchInterrupts`), not a second one. */
export const SAME_INTERRUPT_MS = 1000;

/** The abort reason of an interrupted run; it becomes the message of every task it stopped. */
export class Interrupted extends Error {
  override readonly name = 'Interrupted';
  constructor(readonly signal: InterruptSignal) {
    super(`the run was interrupted (${signal})`);
  }
}

/** Exit status for a run stopped with this abort reason. */
export function interruptExitStatus(reason: unknown): number {
  return reason instanceof Interrupted ? EXIT_STATUS[reason.signal] : EXIT_STATUS.SIGINT;
}

const hardExitHooks = new Set<() => void>();

/**
 * Runs `hook` (synchronously) if a second signal ends the process at once, e.g. to show the
 * terminal's cursor again; the returned function unregisters it.
 */
export function onHardExit(hook: () => void): () => void {
  hardExitHooks.add(hook);
  return () => hardExitHooks.delete(hook);
}

export interface InterruptHandle {
  /** Aborted, with an `Interrupted` reason, on the first SIGINT or SIGTERM. */
  signal: AbortSignal;
  /** Restores the default handling of both signals. */
  dispose(): void;
}

/**
 * Catches SIGINT and SIGTERM for the rest of the run. `onFirst` is told about the first one; a
 * second one, a second or more later, ends the process immediately, whatever is still running.
 */
export function catchInterrupts(onFirst: (signal: InterruptSignal) => void = () => {}): InterruptHandle {
  const controller = new AbortController();
  const dispose = () => {
    process.off('SIGINT', handler);
    process.off('SIGTERM', handler);
  };
  let first = 0;
  const handler = (signal: InterruptSignal) => {
    // `npm run` forwards the SIGINT that Ctrl-C already sent to the whole process group: two
    // arrive for one key press. Only one that comes later is a second Ctrl-C.
    if (controller.signal.aborted && Date.now() - first < SAME_INTERRUPT_MS) return;
    if (controller.signal.aborted) {
      // Not process.exit(): it waits for every worker thread to stop, and one stuck in a native
      // call (a model in execSync) would keep it waiting. With our handlers gone, Node's default
      // one ends the process at once, by the signal, as shells expect (status 128 + signal).
      dispose();
      for (const hook of hardExitHooks) hook();
      process.kill(process.pid, signal);
      return;
    }
    first = Date.now();
    controller.abort(new Interrupted(signal));
    onFirst(signal);
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return { signal: controller.signal, dispose };
}

/** Whether the interrupt stopped any of this model's tasks. */
export function wasCutShort(report: ModelReport): boolean {
  if (report.status === 'not-run' && report.reason.kind === 'aborted') return true;
  return report.tuning?.candidates.some((c) => c.reason?.kind === 'aborted') ?? false;
}

// A run's progress for code: the same events the console display draws (a run id claimed, tasks
// starting and finishing, a model done with its row, warnings, the stop notice, a report
// complete), as plain objects, handed to a callback or emitted on an event emitter.
import type { ProgressSnapshot } from '../format/progress.js';
import type { ModelReport, Report } from '../results/report.js';
import type { TrainEvent } from '../train/train.js';

/** Counts at the moment of an event, as the status line shows them. */
export type Progress = ProgressSnapshot;

export type ProgressEvent =
  /** A data set's run id is claimed (and its folder, with `resultsDir`), before the first task. */
  | { type: 'run-start'; runId: string; dataset: string; folder?: string }
  | { type: 'task-start'; dataset: string; model: string; progress: Progress }
  | { type: 'task-done'; dataset: string; model: string; status: 'ok' | 'failed' | 'not-run'; progress: Progress }
  /** A model finished on a data set: its report row, as the console prints its line. */
  | { type: 'model-done'; dataset: string; model: ModelReport; progress: Progress }
  | { type: 'warning'; message: string }
  /** What the backend has to say: with `backend: "bullmq"`, the workers it sees, Redis lost and back. */
  | { type: 'note'; message: string }
  /** The signal aborted: no task starts any more, and the reports will hold what finished. */
  | { type: 'stopping'; message: string }
  | { type: 'run-done'; report: Report; folder?: string };

/** A callback, or anything with `emit` (an EventEmitter): it gets `emit(event.type, event)`. */
export type ProgressListener = ((event: ProgressEvent) => void) | { emit(type: string, event: ProgressEvent): unknown };

/**
 * A TrainEvent listener that tells `listener`. An exception thrown by the listener must not break
 * the run from inside the scheduler: the first one is kept and thrown once the run is over.
 */
export function progressSink(listener: ProgressListener | undefined): {
  /** The data sets, once loaded: events of tasks name theirs. */
  datasets(list: readonly { name: string; sha256: string }[]): void;
  onEvent?: (event: TrainEvent) => void;
  note?: (message: string) => void;
  rethrow(): void;
} {
  if (listener === undefined) return { datasets: () => {}, rethrow: () => {} };
  const tell = typeof listener === 'function' ? listener : (e: ProgressEvent) => void listener.emit(e.type, e);
  let datasets: readonly { name: string; sha256: string }[] = [];
  let byHash = new Map<string, string>();
  let failure: { error: unknown } | undefined;
  const send = (event: ProgressEvent) => {
    try {
      tell(event);
    } catch (error) {
      failure ??= { error };
    }
  };
  return {
    datasets: (list) => {
      datasets = list;
      byHash = new Map(list.map((d) => [d.sha256, d.name]));
    },
    note: (message) => send({ type: 'note', message }),
    onEvent: (event) => {
      if (event.kind === 'task-start' || event.kind === 'task-done') {
        if (event.task.kind !== 'train') return;
        const base = {
          dataset: byHash.get(event.task.data.sha256) ?? '',
          model: event.task.modelId,
          progress: event.tracker.snapshot(),
        };
        send(
          event.kind === 'task-start'
            ? { type: 'task-start', ...base }
            : { type: 'task-done', ...base, status: event.result.status },
        );
      } else if (event.kind === 'model-done')
        send({
          type: 'model-done',
          dataset: event.scope ?? datasets[0]?.name ?? '',
          model: event.report,
          progress: event.tracker.snapshot(),
        });
      else {
        const { kind, ...rest } = event;
        send({ type: kind, ...rest } as ProgressEvent);
      }
    },
    rethrow: () => {
      if (failure) throw failure.error;
    },
  };
}

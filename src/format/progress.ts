// Progress text for a run in flight: pure functions of a snapshot.
type Paint = (text: string) => string;
/** The colours used here; picocolors' `Colors` is one. */
export interface Palette {
  dim: Paint;
  green: Paint;
  red: Paint;
}

export interface ProgressSnapshot {
  total: number;
  done: number;
  failed: number;
  models: number;
  modelsDone: number;
  /** Ids of the models with a task running now. */
  running: string[];
  elapsedMs: number;
  etaMs?: number;
}

export const duration = (ms: number): string => {
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const s = Math.round(ms / 1000);
  return s < 3600
    ? `${Math.floor(s / 60)} min ${s % 60} s`
    : `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
};

const plain: Palette = { dim: (s) => s, green: (s) => s, red: (s) => s };

/**
 * One status line: a bar (when `barWidth` is given), tasks done of total, models done, the models
 * running, elapsed time and ETA. With `maxWidth`, the running models are counted rather than
 * named when their names would not fit: a redrawn line must not wrap.
 */
export function formatProgress(s: ProgressSnapshot, c: Palette = plain, barWidth = 0, maxWidth = Infinity): string {
  const line = (running: string) => {
    const parts: string[] = [];
    if (barWidth > 0) {
      const filled = s.total === 0 ? barWidth : Math.round((s.done / s.total) * barWidth);
      parts.push(c.green('█'.repeat(filled)) + c.dim('░'.repeat(barWidth - filled)));
    }
    parts.push(`${s.done}/${s.total} tasks${s.failed ? ` (${c.red(`${s.failed} failed`)})` : ''}`);
    parts.push(`${s.modelsDone}/${s.models} models`);
    parts.push(`running ${running}`);
    parts.push(`${duration(s.elapsedMs)} elapsed`);
    parts.push(s.etaMs === undefined ? 'ETA -' : `ETA ${duration(s.etaMs)}`);
    return parts.join(c.dim(' · '));
  };
  const named = line(s.running.length ? s.running.join(', ') : 'none');
  if (visibleLength(named) <= maxWidth) return named;
  return line(`${s.running.length} model${s.running.length === 1 ? '' : 's'}`);
}

const visibleLength = (text: string) => [...text.replace(/\x1b\[[0-9;]*m/g, '')].length;

/** The short counts after a model's line in plain output. */
export function formatProgressSuffix(s: ProgressSnapshot): string {
  return `[${s.modelsDone}/${s.models} models, ${s.done}/${s.total} tasks, ${duration(s.elapsedMs)}]`;
}

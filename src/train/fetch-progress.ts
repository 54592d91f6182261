// How downloads show while they run, before training starts: on a terminal a status line with
// each download's bytes and rate, redrawn in place, and a line above it as each one ends; off a
// terminal (or under CI) plain lines only, and one every 10 s for a download still going; with
// --quiet nothing. Retries are warnings, on stderr. The modes are the run display's (progress.ts).
import type { FetchEvent } from '../data/fetch.js';
import { type Colors, colors } from '../format/console.js';
import { formatDownload, formatFetchEvent } from '../format/fetch.js';
import { HEARTBEAT_MS, type ProgressMode, progressMode, StatusLine } from './progress.js';

export interface FetchDisplay {
  event(event: FetchEvent): void;
  stop(): void;
}

export function startFetchDisplay(mode: ProgressMode, stream: NodeJS.WriteStream, c: Colors): FetchDisplay {
  if (mode === 'quiet') return { event: () => {}, stop: () => {} };
  const running = new Map<
    string,
    { url: string; received: number; total: number | undefined; ms: number; lastShown: number }
  >();
  // On a terminal the run's own status line (progress.ts), here with the downloads in flight.
  const status =
    mode === 'tty'
      ? new StatusLine(stream, () => {
          const columns = stream.columns ?? 80;
          const parts = [...running.values()].map(formatDownload);
          const line = parts.length === 0 ? '' : `fetching ${parts.join(' · ')}`;
          return c.dim(line.length > columns - 1 ? `${line.slice(0, columns - 2)}…` : line);
        })
      : undefined;
  const print = (line: string, warn: boolean) => {
    const write = () => (warn ? process.stderr : stream).write(`${warn ? line : c.dim(line)}\n`);
    if (status) status.above(write);
    else write();
  };
  return {
    event(event) {
      if (event.kind === 'bytes') {
        const d = running.get(event.url);
        if (!d) return;
        Object.assign(d, { received: event.received, total: event.total, ms: event.ms });
        if (status) status.draw();
        else if (event.ms - d.lastShown >= HEARTBEAT_MS) {
          d.lastShown = event.ms;
          print(`fetch: ${formatDownload(d)}`, false);
        }
        return;
      }
      if (event.kind === 'start')
        running.set(event.url, { url: event.url, received: 0, total: event.total, ms: 0, lastShown: 0 });
      if (event.kind === 'done') running.delete(event.url);
      // A download's start is on the status line on a terminal; elsewhere it gets a line.
      const line = formatFetchEvent(event);
      if (line !== undefined && !(status && event.kind === 'start')) print(line, event.kind === 'retry');
      status?.draw();
    },
    stop() {
      running.clear();
      status?.stop();
    },
  };
}

/** The display of a command whose stdout is its output (inspect, predict): on stderr. */
export function stderrFetchDisplay(quiet: boolean, color: boolean): FetchDisplay {
  const stream = process.stderr;
  return startFetchDisplay(progressMode(stream, quiet), stream, colors(color));
}

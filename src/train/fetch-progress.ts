// How downloads show while they run, before training starts: on a terminal a status line with
// each download's bytes and rate, redrawn in place, and a line above it as each one ends; off a
// terminal (or under CI) plain lines only, and one every 10 s for a download still going; with
// --quiet nothing. Retries are warnings, on stderr. The modes are the run display's (progress.ts).
import type { FetchEvent } from '../data/fetch.js';
import { type Colors, colors } from '../format/console.js';
import { formatDownload, formatFetchEvent } from '../format/fetch.js';
import { type ProgressMode, progressMode } from './progress.js';

export interface FetchDisplay {
  event(event: FetchEvent): void;
  stop(): void;
}

const HEARTBEAT_MS = 10_000;
const CLEAR_LINE = '\r\x1b[2K';

export function startFetchDisplay(mode: ProgressMode, stream: NodeJS.WriteStream, c: Colors): FetchDisplay {
  if (mode === 'quiet') return { event: () => {}, stop: () => {} };
  const running = new Map<
    string,
    { url: string; received: number; total: number | undefined; ms: number; lastShown: number }
  >();
  const tty = mode === 'tty';
  let drawn = '';
  const draw = () => {
    if (!tty) return;
    const columns = stream.columns ?? 80;
    const parts = [...running.values()].map(formatDownload);
    let line = parts.length === 0 ? '' : `fetching ${parts.join(' · ')}`;
    if (line.length > columns - 1) line = `${line.slice(0, columns - 2)}…`;
    if (line === drawn) return;
    drawn = line;
    stream.write(`${CLEAR_LINE}${c.dim(line)}`);
  };
  const print = (line: string, warn: boolean) => {
    if (tty && drawn) stream.write(CLEAR_LINE);
    (warn ? process.stderr : stream).write(`${warn ? line : c.dim(line)}\n`);
    if (tty && drawn) {
      drawn = '';
      draw();
    }
  };
  return {
    event(event) {
      if (event.kind === 'bytes') {
        const d = running.get(event.url);
        if (!d) return;
        Object.assign(d, { received: event.received, total: event.total, ms: event.ms });
        if (tty) draw();
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
      if (line !== undefined && !(tty && event.kind === 'start')) print(line, event.kind === 'retry');
      if (tty) draw();
    },
    stop() {
      running.clear();
      if (tty && drawn) stream.write(CLEAR_LINE);
      drawn = '';
    },
  };
}

/** The display of a command whose stdout is its output (inspect, predict): on stderr. */
export function stderrFetchDisplay(quiet: boolean, color: boolean): FetchDisplay {
  const stream = process.stderr;
  return startFetchDisplay(progressMode(stream, quiet), stream, colors(color));
}

// Download progress text: pure functions of fetch events and of the downloads in flight.
import type { FetchEvent } from '../data/fetch.js';
import { duration as longDuration } from './progress.js';

const duration = (ms: number) => (ms < 1000 ? `${ms.toFixed(0)} ms` : longDuration(ms));

export const megabytes = (bytes: number): string =>
  bytes < 1e6 ? `${(bytes / 1e3).toFixed(1)} kB` : `${(bytes / 1e6).toFixed(bytes < 1e8 ? 1 : 0)} MB`;

const rate = (bytes: number, ms: number) => (ms > 0 ? `${megabytes((bytes * 1000) / ms)}/s` : '-');

/** The line an event leaves in the log, if any (progress ticks leave none). */
export function formatFetchEvent(event: FetchEvent): string | undefined {
  switch (event.kind) {
    case 'wait':
      return `fetch: waiting for another trainpool run that is fetching ${event.url}`;
    case 'start':
      return `fetch: ${event.url} (${event.total === undefined ? 'size not announced' : megabytes(event.total)})`;
    case 'retry':
      return `fetch: ${event.reason}; trying again in ${duration(event.delayMs)} (try ${event.attempt + 1})`;
    case 'done':
      if (event.cached === 'no')
        return `fetch: ${event.url}: ${megabytes(event.bytes)} in ${duration(event.ms)} (${rate(event.bytes, event.ms)})`;
      return `fetch: ${event.url}: the cached copy (${megabytes(event.bytes)}), ${
        event.cached === 'revalidated'
          ? 'not modified on the server'
          : event.cached === 'waited'
            ? 'just fetched by another run'
            : '--offline'
      }`;
    case 'bytes':
      return undefined;
  }
}

/** One download in flight, for the status line or a plain heartbeat. */
export function formatDownload(d: { url: string; received: number; total: number | undefined; ms: number }): string {
  const name = d.url.replace(/^https?:\/\//, '');
  const shortName = name.length > 40 ? `…${name.slice(-39)}` : name;
  const size = d.total === undefined ? megabytes(d.received) : `${megabytes(d.received)} of ${megabytes(d.total)}`;
  return `${shortName} ${size}, ${rate(d.received, d.ms)}`;
}

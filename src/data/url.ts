// URLs as trainpool shows them, the schemes it fetches and where its download cache is; kept apart from http.ts so that a run
// on local files does not load node:http to parse its --dataset arguments.
import { homedir } from 'node:os';
import { join } from 'node:path';
import { UsageError } from '../errors.js';

/** OpenML's server, unless TRAINPOOL_OPENML_URL names a mirror (or a test server). */
export const OPENML_URL = 'https://www.openml.org';

/** A URL as it may be shown and recorded: without user, password or fragment. */
export function shownUrl(url: URL | string): string {
  const u = new URL(url);
  u.username = '';
  u.password = '';
  u.hash = '';
  return u.href;
}

/** The scheme check every URL passes before it is fetched, the first one and each redirect. */
export function checkScheme(url: URL, what: string): void {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UsageError(`${what}: only http: and https: URLs are fetched, not ${url.protocol}`);
  }
}

/** TRAINPOOL_CACHE, else $XDG_CACHE_HOME/trainpool, else ~/.cache/trainpool. */
export function cacheRoot(env = process.env): string {
  if (env['TRAINPOOL_CACHE']) return env['TRAINPOOL_CACHE'];
  if (env['XDG_CACHE_HOME']) return join(env['XDG_CACHE_HOME'], 'trainpool');
  return join(homedir(), '.cache', 'trainpool');
}

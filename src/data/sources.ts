// The download options of a command, from its flags: what every data set of the command that is
// fetched shares (headers, cache, limits). Light on purpose: commands import it at start-up, and a
// run on local files loads nothing of the fetching code.
import { UsageError } from '../errors.js';
import type { FetchEvent } from './fetch.js';
import type { DatasetSpec } from './load.js';
import type { RemoteOptions } from './remote.js';
import { cacheRoot, OPENML_URL } from './url.js';

export interface SourceFlags {
  records?: string;
  header?: string[];
  fetchConcurrency: number;
  offline?: boolean;
  refresh?: boolean;
  sha256?: string;
  fetchTimeout: number;
  fetchRetries: number;
  maxDownloadMb: number;
}

/** The flags' defaults, for callers that take no download flags. */
export const DEFAULT_SOURCES: SourceFlags = {
  fetchConcurrency: 4,
  fetchTimeout: 30,
  fetchRetries: 3,
  maxDownloadMb: 1024,
};

/** The download options the flags ask for; flags that fit none of the data sets are usage errors. */
export function remoteOptions(
  flags: SourceFlags,
  specs: readonly DatasetSpec[],
  onEvent?: (event: FetchEvent) => void,
  signal?: AbortSignal,
): RemoteOptions {
  const remote = specs.filter((s) => s.url || s.openml);
  if (flags.sha256 !== undefined && (remote.length !== 1 || !remote[0]!.url)) {
    throw new UsageError(
      `--sha256 pins the bytes of one URL, and ${remote.length === 0 ? 'no --dataset is a URL' : 'there are several'}; put #sha256=<hex> at the end of each URL instead`,
    );
  }
  const headers: Record<string, string> = {};
  for (const line of flags.header ?? []) {
    const colon = line.indexOf(':');
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return {
    headers,
    offline: flags.offline === true,
    refresh: flags.refresh === true,
    timeoutMs: flags.fetchTimeout * 1000,
    retries: flags.fetchRetries,
    maxBytes: flags.maxDownloadMb * 2 ** 20,
    cacheRoot: cacheRoot(),
    concurrency: flags.fetchConcurrency,
    openmlUrl: process.env['TRAINPOOL_OPENML_URL'] || OPENML_URL,
    ...(flags.records !== undefined ? { records: flags.records } : {}),
    ...(flags.sha256 !== undefined ? { sha256: flags.sha256 } : {}),
    ...(onEvent ? { onEvent } : {}),
    ...(signal ? { signal } : {}),
  };
}

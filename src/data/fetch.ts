// Downloads through the cache: the body is streamed at once into the cache's temporary file, its
// checksums and the reader (nothing is held in memory whole), and lands in the cache only when it
// is complete and every check passed. Each try runs under withRetries (execution/reliability.ts):
// a limit on silence (--fetch-timeout, before the first byte and mid-body), and retries with
// exponential backoff and jitter on network errors, 408, 429 and 5xx, honouring Retry-After.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, rm } from 'node:fs/promises';
import { pipeline, Readable } from 'node:stream';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import { UsageError } from '../errors.js';
import { backoffMs, TimeoutError, withRetries } from '../execution/reliability.js';
import { type ByteSource, streamSource } from './bytes.js';
import { CacheEntry, cacheKey, type Entry, type EntryMeta } from './cache.js';
import { get, HttpStatusError, retryAfterMs } from './http.js';
import { checkScheme, shownUrl } from './url.js';

export interface FetchOptions {
  /** --header values, sent to the URL's origin and part of the cache key. */
  headers: Record<string, string>;
  offline: boolean;
  refresh: boolean;
  /** Longest silence before the first byte or mid-body, per try. */
  timeoutMs: number;
  /** Tries after the first. */
  retries: number;
  /** Most bytes of a download, as served and after decoding. */
  maxBytes: number;
  cacheRoot: string;
  onEvent?: (event: FetchEvent) => void;
  signal?: AbortSignal;
}

/** Backoff's first step and cap, in milliseconds. */
const BACKOFF_BASE_MS = 500;
const BACKOFF_CAP_MS = 30_000;

export type FetchEvent =
  | { kind: 'wait'; url: string }
  | { kind: 'start'; url: string; total: number | undefined }
  | { kind: 'bytes'; url: string; received: number; total: number | undefined; ms: number }
  | { kind: 'retry'; url: string; attempt: number; delayMs: number; reason: string }
  | { kind: 'done'; url: string; bytes: number; ms: number; cached: 'no' | 'revalidated' | 'waited' | 'offline' };

/** What the report records about a download. */
export interface FetchInfo {
  url: string;
  fetchedAt: string;
  etag: string | null;
  sha256: string;
  cached: boolean;
}

export interface Expected {
  /** A pinned sha256 (--sha256, #sha256=), over the bytes as served. */
  sha256?: string;
  /** OpenML's MD5 of the file, over the bytes as served. */
  md5?: string;
}

export interface Served {
  /** The URL that answered, credentials stripped. */
  url: string;
  contentType: string | null;
}

/** Reads a source to its end; a reader that stopped early still lets every check run. */
export type Consume<T> = (source: ByteSource, served: Served) => Promise<T>;

/** A network fault worth another try: the connection failed or closed early. */
class NetworkError extends Error {
  override readonly name = 'NetworkError';
}

const RETRYABLE_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'ECONNABORTED',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);
/** A Retry-After longer than this is taken as "not now": the download fails instead of waiting. */
const MAX_RETRY_AFTER_MS = 5 * 60_000;
const PROGRESS_MS = 100;

const mb = (bytes: number) => `${(bytes / 1e6).toFixed(bytes < 1e7 ? 2 : 1)} MB`;

/** The body decoded as its Content-Encoding says, then gunzipped if it is a .gz file. */
function decoded(chunks: AsyncIterable<Buffer>, encoding: string | null, what: string): AsyncIterable<Buffer> {
  const through = (stream: NodeJS.ReadWriteStream, from: AsyncIterable<Buffer>) =>
    pipeline(Readable.from(from), stream, () => {}) as unknown as AsyncIterable<Buffer>;
  const coding = (encoding ?? 'identity').trim().toLowerCase();
  let body: AsyncIterable<Buffer>;
  if (coding === 'gzip' || coding === 'x-gzip') body = through(createGunzip(), chunks);
  else if (coding === 'deflate') body = through(createInflate(), chunks);
  else if (coding === 'br') body = through(createBrotliDecompress(), chunks);
  else if (coding === 'identity' || coding === '') body = chunks;
  else
    throw new UsageError(
      `${what}: the server sent Content-Encoding "${encoding}", which trainpool does not decode (gzip, deflate and br are)`,
    );
  // A .csv.gz (or any gzip file) served as is: its magic bytes say so.
  return (async function* () {
    const iterator = body[Symbol.asyncIterator]();
    let first = await iterator.next();
    while (!first.done && first.value.length === 0) first = await iterator.next();
    if (first.done) return;
    const rest = (async function* () {
      yield first.value;
      for (let next = await iterator.next(); !next.done; next = await iterator.next()) yield next.value;
    })();
    if (first.value[0] === 0x1f && first.value[1] === 0x8b) yield* through(createGunzip(), rest);
    else yield* rest;
  })();
}

function wrapZlibError(error: unknown, what: string): unknown {
  const code = (error as NodeJS.ErrnoException).code;
  return typeof code === 'string' && code.startsWith('Z_')
    ? new UsageError(`${what}: the compressed data is corrupt (${(error as Error).message})`)
    : error;
}

/** Reads what is left of a source, so that the checks at the end of its stream run. */
async function drain(source: ByteSource): Promise<void> {
  const buf = new Uint8Array(64 * 1024);
  while ((await source.read(buf, 0, buf.length)) > 0);
}

async function hashFile(path: string): Promise<{ sha256: string; md5: string }> {
  const sha = createHash('sha256');
  const md5 = createHash('md5');
  for await (const chunk of createReadStream(path) as AsyncIterable<Buffer>) {
    sha.update(chunk);
    md5.update(chunk);
  }
  return { sha256: sha.digest('hex'), md5: md5.digest('hex') };
}

function mismatch(expected: Expected, got: { sha256: string; md5: string }): string | undefined {
  if (expected.sha256 && expected.sha256 !== got.sha256)
    return `sha256 ${got.sha256}, not the pinned ${expected.sha256}`;
  if (expected.md5 && expected.md5 !== got.md5) return `MD5 ${got.md5}, not OpenML's ${expected.md5}`;
  return undefined;
}

/**
 * Fetches `url` (through the cache) and hands its bytes, decoded, to `consume`. Rejects with a
 * UsageError naming the URL (credentials stripped) and the cache folder; nothing half-written
 * stays in the cache.
 */
export async function fetchAndRead<T>(
  url: URL,
  expected: Expected,
  options: FetchOptions,
  consume: Consume<T>,
): Promise<{ value: T; info: FetchInfo }> {
  const what = shownUrl(url);
  checkScheme(url, what);
  const entry = CacheEntry.of(options.cacheRoot, cacheKey(url, options.headers));
  const emit = (event: FetchEvent) => options.onEvent?.(event);
  const fail = (error: unknown): never => {
    if (error instanceof UsageError) throw new UsageError(`${error.message} (cache: ${entry.dir})`);
    throw error;
  };

  const fromCache = async (cached: Entry, how: 'revalidated' | 'waited' | 'offline') => {
    const started = performance.now();
    const value = await readBody(cached, consume, what);
    emit({ kind: 'done', url: what, bytes: cached.meta.bytes, ms: performance.now() - started, cached: how });
    return { value, info: infoOf(cached.meta, true) };
  };
  /** A cached body that fails its checks is removed (and fetched again when online). */
  const verified = async (cached: Entry | undefined) => {
    if (!cached) return undefined;
    const got = await hashFile(cached.body);
    const wrong =
      got.sha256 !== cached.meta.sha256
        ? `sha256 ${got.sha256}, not ${cached.meta.sha256} as stored`
        : mismatch(expected, got);
    if (wrong === undefined) return cached;
    await entry.remove();
    if (options.offline)
      throw new UsageError(
        `${what}: the cached copy failed its check (${wrong}) and was removed; --offline fetches nothing: run once without it`,
      );
    return undefined;
  };

  if (options.offline) {
    try {
      const cached = await verified(await entry.read());
      if (!cached) throw new UsageError(`${what}: not in the cache; --offline fetches nothing: run once without it`);
      return await fromCache(cached, 'offline');
    } catch (error) {
      return fail(error);
    }
  }

  const waitStarted = new Date().toISOString();
  const { release, waited } = await entry.lock(options.signal, () => emit({ kind: 'wait', url: what }));
  try {
    await entry.sweepLeftovers();
    let cached = options.refresh ? undefined : await verified(await entry.read());
    // Another run fetched it while this one waited for the lock: it is as fresh as can be.
    if (cached && waited && cached.meta.fetchedAt >= waitStarted) return await fromCache(cached, 'waited');
    const result = await download(url, what, entry, cached, expected, options, consume, emit);
    if (result.kind === 'fetched') return { value: result.value, info: infoOf(result.entry.meta, false) };
    cached = await verified(result.entry);
    if (cached) return await fromCache(cached, 'revalidated');
    // Not modified, but the copy failed its check: fetch it whole.
    const again = await download(url, what, entry, undefined, expected, options, consume, emit);
    if (again.kind !== 'fetched') throw new Error('a request without a condition was answered "not modified"');
    return { value: again.value, info: infoOf(again.entry.meta, false) };
  } catch (error) {
    return fail(error);
  } finally {
    await release();
    await entry.removeIfEmpty();
  }
}

function infoOf(meta: EntryMeta, cached: boolean): FetchInfo {
  return { url: meta.url, fetchedAt: meta.fetchedAt, etag: meta.etag, sha256: meta.sha256, cached };
}

async function readBody<T>(cached: Entry, consume: Consume<T>, what: string): Promise<T> {
  const source = streamSource(
    decoded(createReadStream(cached.body) as AsyncIterable<Buffer>, cached.meta.contentEncoding, what),
    Number.MAX_SAFE_INTEGER,
    () => '',
  );
  try {
    const value = await consume(source, { url: cached.meta.finalUrl, contentType: cached.meta.contentType });
    await drain(source);
    return value;
  } catch (error) {
    throw wrapZlibError(error, what);
  }
}

type Downloaded<T> = { kind: 'fetched'; value: T; entry: Entry } | { kind: 'not-modified'; entry: Entry };

async function download<T>(
  url: URL,
  what: string,
  entry: CacheEntry,
  cached: Entry | undefined,
  expected: Expected,
  options: FetchOptions,
  consume: Consume<T>,
  emit: (event: FetchEvent) => void,
): Promise<Downloaded<T>> {
  const conditional: Record<string, string> = {};
  if (cached?.meta.etag) conditional['if-none-match'] = cached.meta.etag;
  if (cached?.meta.lastModified) conditional['if-modified-since'] = cached.meta.lastModified;
  const { outcome } = await withRetries<Downloaded<T>>(
    (signal, _attempt, alive) =>
      tryOnce(url, what, entry, cached, conditional, expected, options, consume, emit, signal, alive),
    {
      timeoutMs: options.timeoutMs,
      idle: true,
      retries: options.retries,
      timeoutMessage: (ms) => `${what}: no data for ${+(ms / 1000).toFixed(3)} s (--fetch-timeout)`,
      retryAfter: (result, attempt) => {
        if (result.ok) return undefined;
        const error = result.error;
        let delay: number | undefined;
        if (error instanceof HttpStatusError) {
          if ((error.retryAfterMs ?? 0) > MAX_RETRY_AFTER_MS) return undefined;
          delay = Math.max(backoffMs(attempt, BACKOFF_BASE_MS, BACKOFF_CAP_MS), error.retryAfterMs ?? 0);
        } else if (error instanceof TimeoutError || error instanceof NetworkError) {
          delay = backoffMs(attempt, BACKOFF_BASE_MS, BACKOFF_CAP_MS);
        }
        if (delay !== undefined)
          emit({ kind: 'retry', url: what, attempt, delayMs: delay, reason: (error as Error).message });
        return delay;
      },
    },
    options.signal,
  );
  if (outcome.ok) return outcome.value;
  const error = outcome.error;
  if (error instanceof UsageError) throw error;
  if (error instanceof HttpStatusError || error instanceof TimeoutError || error instanceof NetworkError) {
    const tries = options.retries + 1;
    throw new UsageError(
      `${error.message}${tries > 1 && !(error instanceof HttpStatusError && (error.retryAfterMs ?? 0) > MAX_RETRY_AFTER_MS) ? ` (after ${tries} tries; --fetch-retries)` : ''}`,
    );
  }
  throw error;
}

function networkError(error: unknown, what: string, signal: AbortSignal): unknown {
  if (signal.aborted && signal.reason instanceof TimeoutError) return signal.reason;
  if (signal.aborted) return signal.reason;
  const code = (error as NodeJS.ErrnoException).code;
  if (code !== undefined && RETRYABLE_CODES.has(code))
    return new NetworkError(`${what}: ${(error as Error).message} (${code})`);
  if (code === 'ENOTFOUND') return new UsageError(`${what}: no such host (${new URL(what).hostname})`);
  return error;
}

async function tryOnce<T>(
  url: URL,
  what: string,
  entry: CacheEntry,
  cached: Entry | undefined,
  conditional: Record<string, string>,
  expected: Expected,
  options: FetchOptions,
  consume: Consume<T>,
  emit: (event: FetchEvent) => void,
  signal: AbortSignal,
  alive: () => void,
): Promise<Downloaded<T>> {
  let response;
  try {
    response = await get(url, { ...options.headers, ...conditional }, signal, what);
  } catch (error) {
    throw networkError(error, what, signal);
  }
  alive();
  const { status, headers, body } = response;
  const header = (name: string) => {
    const value = headers[name];
    return Array.isArray(value) ? (value[0] ?? null) : (value ?? null);
  };
  if (status === 304 && cached) {
    body.resume();
    const changes: Partial<EntryMeta> = {};
    if (header('etag')) changes.etag = header('etag');
    if (header('last-modified')) changes.lastModified = header('last-modified');
    return { kind: 'not-modified', entry: await entry.touch(cached, changes) };
  }
  if (status === 408 || status === 429 || status >= 500) {
    body.resume();
    throw new HttpStatusError(
      status,
      retryAfterMs(header('retry-after') ?? undefined),
      `${what}: HTTP ${status} ${body.statusMessage ?? ''}`.trimEnd(),
    );
  }
  if (status !== 200) {
    body.resume();
    const hint =
      status === 401 || status === 403
        ? '; does it need credentials? pass them with --header "Authorization: ..."'
        : status === 404 || status === 410
          ? '; is the URL right?'
          : '';
    throw new UsageError(`${what}: HTTP ${status} ${body.statusMessage ?? ''}`.trimEnd() + hint);
  }
  const contentType = header('content-type');
  if (contentType && /^\s*text\/html\b/i.test(contentType)) {
    body.resume();
    throw new UsageError(
      `${what}: the server sent an HTML page (Content-Type ${contentType}) where data was expected; is it a download link, or an error or login page?`,
    );
  }
  const lengthHeader = header('content-length');
  const total = lengthHeader !== null && /^\d+$/.test(lengthHeader) ? Number(lengthHeader) : undefined;
  const over = () => `${what}: more than ${mb(options.maxBytes)} (--max-download-mb)`;
  if (total !== undefined && total > options.maxBytes) {
    body.resume();
    throw new UsageError(`${over()}: the server announces ${mb(total)}`);
  }

  const tmp = await entry.temporaryBody();
  const file = await open(tmp, 'w');
  let landed = false;
  try {
    const sha = createHash('sha256');
    const md5 = createHash('md5');
    const started = performance.now();
    let received = 0;
    let shown = 0;
    let digests: { sha256: string; md5: string } | undefined;
    emit({ kind: 'start', url: what, total });
    const raw = async function* (): AsyncGenerator<Buffer> {
      try {
        for await (const chunk of body as AsyncIterable<Buffer>) {
          alive();
          received += chunk.length;
          if (received > options.maxBytes) throw new UsageError(over());
          sha.update(chunk);
          md5.update(chunk);
          await file.write(chunk);
          const now = performance.now();
          if (now - shown >= PROGRESS_MS) {
            shown = now;
            emit({ kind: 'bytes', url: what, received, total, ms: now - started });
          }
          yield chunk;
        }
      } catch (error) {
        if (error instanceof UsageError || error instanceof NetworkError) throw error;
        if (signal.aborted) throw signal.reason;
        // Anything else mid-body is the connection failing: worth another try.
        throw new NetworkError(
          `${what}: the connection closed after ${received} of ${total ?? 'an unknown number of'} bytes`,
        );
      }
      if (total !== undefined && received !== total) {
        throw new NetworkError(
          `${what}: the body ended after ${received} of the ${total} bytes its Content-Length announced`,
        );
      }
      digests = { sha256: sha.digest('hex'), md5: md5.digest('hex') };
      const wrong = mismatch(expected, digests);
      if (wrong) throw new UsageError(`${what}: the download has ${wrong}`);
    };
    const source = streamSource(
      decoded(raw(), header('content-encoding'), what),
      options.maxBytes,
      () => `${over()} once decoded`,
    );
    let value: T;
    try {
      value = await consume(source, { url: shownUrl(response.url), contentType });
      await drain(source);
    } catch (error) {
      throw wrapZlibError(error, what);
    }
    await file.close();
    // The checks ran at the end of the raw stream, which drain() made sure was reached.
    if (!digests) throw new Error(`${what}: the body was not read to its end`);
    const meta: EntryMeta = {
      url: what,
      finalUrl: shownUrl(response.url),
      fetchedAt: new Date().toISOString(),
      etag: header('etag'),
      lastModified: header('last-modified'),
      contentType,
      contentEncoding: header('content-encoding'),
      bytes: received,
      sha256: digests.sha256,
      md5: digests.md5,
      headerNames: Object.keys(options.headers).sort(),
    };
    const landedEntry = await entry.land(tmp, meta);
    landed = true;
    emit({ kind: 'done', url: what, bytes: received, ms: performance.now() - started, cached: 'no' });
    return { kind: 'fetched', value, entry: landedEntry };
  } finally {
    if (!landed) {
      body.destroy();
      await file.close().catch(() => {});
      await rm(tmp, { force: true });
    }
  }
}

// Every scripted fault of a real HTTP server gets its documented outcome, and after each one no
// partial file is left in the cache and no results folder is written.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DataServer, IRIS_CSV, send, serveIris, startDataServer, withEtag } from './support/data-server.js';
import { tempDir, train } from './support/helpers.js';

let server: DataServer;
const cache = tempDir('trainpool-cache-');
const env = { TRAINPOOL_CACHE: cache };
const half = IRIS_CSV.subarray(0, Math.floor(IRIS_CSV.length / 2));
const headers = { 'content-type': 'text/csv', 'content-length': String(IRIS_CSV.length) };

beforeAll(async () => {
  server = await startDataServer();
  serveIris(server);
  server.route('/slow-first-byte', (req, res, n) => setTimeout(() => send(IRIS_CSV)(req, res, n), 1500));
  server.route('/too-slow', (req, res, n) => setTimeout(() => send(IRIS_CSV)(req, res, n), 4000));
  server.route('/stall-once', (req, res, n) => {
    if (n > 1) return send(IRIS_CSV)(req, res, n);
    res.writeHead(200, headers);
    res.write(half); // and nothing more
  });
  server.route('/flaky', (req, res, n) => (n === 1 ? send('oops', {}, 500) : send(IRIS_CSV))(req, res, n));
  server.route('/busy', (req, res, n) =>
    (n === 1 ? send('slow down', { 'retry-after': '1' }, 429) : send(IRIS_CSV))(req, res, n),
  );
  server.route('/truncated', (_req, res) => {
    res.writeHead(200, headers);
    res.write(half, () => res.socket?.destroy());
  });
  server.route('/html', send('<!DOCTYPE html><html><body>Sign in</body></html>', { 'content-type': 'text/html' }));
  server.route('/html-as-text', send('<html><body>Error 500</body></html>', { 'content-type': 'text/plain' }));
  server.route('/loop-a', (_req, res) => res.writeHead(302, { location: '/loop-b' }).end());
  server.route('/loop-b', (_req, res) => res.writeHead(302, { location: '/loop-a' }).end());
  server.route('/missing', send('no', {}, 404));
  server.route('/big', send(Buffer.concat(Array.from({ length: 300 }, () => IRIS_CSV))));
  server.route('/revalidated', withEtag(IRIS_CSV, '"v1"'));
  server.route('/corrupted', withEtag(IRIS_CSV, '"c1"'));
});
afterAll(() => server.close());

/** Files in the cache that are not part of a complete entry: temporary files, locks, orphans. */
function leftovers(): string[] {
  if (!existsSync(cache)) return [];
  const found: string[] = [];
  for (const entry of readdirSync(cache)) {
    const files = readdirSync(join(cache, entry));
    const meta = files.includes('meta.json')
      ? (JSON.parse(readFileSync(join(cache, entry, 'meta.json'), 'utf8')) as { sha256: string })
      : undefined;
    for (const file of files) {
      if (file === 'meta.json' || (meta && file === `body-${meta.sha256}`)) continue;
      found.push(`${entry}/${file}`);
    }
  }
  return found;
}

async function fetchRun(path: string, ...args: string[]) {
  const run = await train(['--dataset', server.url(path), '--models', 'knn', ...args], env);
  expect(leftovers()).toEqual([]);
  if (run.code !== 0) expect(run.runs).toEqual([]);
  return run;
}

const firstLine = (text: string) => text.split('\n').find((l) => l.includes('error:')) ?? '';

describe('scripted faults', () => {
  it('a slow first byte within --fetch-timeout: fetched', async () => {
    const run = await fetchRun('/slow-first-byte', '--fetch-timeout', '10');
    expect(run.code).toBe(0);
    expect(server.count('/slow-first-byte')).toBe(1);
  });

  it('no first byte within --fetch-timeout: retried, then one line naming the URL and the cache', async () => {
    const run = await fetchRun('/too-slow', '--fetch-timeout', '1', '--fetch-retries', '1');
    expect(run.code).toBe(2);
    expect(firstLine(run.stderr)).toMatch(
      new RegExp(
        `^train: error: ${server.url('/too-slow')}: no data for 1 s \\(--fetch-timeout\\) \\(after 2 tries; --fetch-retries\\) \\(cache: ${cache}/[0-9a-f]{64}\\)$`,
      ),
    );
    expect(server.count('/too-slow')).toBe(2);
  });

  it('a stall mid-body: that try times out, the next one completes', async () => {
    const run = await fetchRun('/stall-once', '--fetch-timeout', '1');
    expect(run.code).toBe(0);
    expect(server.count('/stall-once')).toBe(2);
    // The first try was cut off after half the body: the second one started from scratch.
    expect(server.requests.get('/stall-once')![1]!.headers.range).toBeUndefined();
    expect(run.report!.dataset.rows).toBe(150);
  });

  it('500, then 200: retried and fetched', async () => {
    const run = await fetchRun('/flaky');
    expect(run.code).toBe(0);
    expect(server.count('/flaky')).toBe(2);
  });

  it('429 with Retry-After: 1: the next try waits at least a second', async () => {
    const run = await fetchRun('/busy');
    expect(run.code).toBe(0);
    const [first, second] = server.requests.get('/busy')!;
    expect(second!.at - first!.at).toBeGreaterThanOrEqual(1000);
  });

  it('a body shorter than its Content-Length: retried, then an error; nothing half-written is cached', async () => {
    const run = await fetchRun('/truncated', '--fetch-retries', '1');
    expect(run.code).toBe(2);
    expect(firstLine(run.stderr)).toMatch(
      new RegExp(
        `^train: error: ${server.url('/truncated')}: the (connection closed|body ended) after \\d+ of (the )?${IRIS_CSV.length} bytes`,
      ),
    );
    expect(server.count('/truncated')).toBe(2);
  });

  it('an HTML page where data was expected: an error at once, by its type or by its content', async () => {
    const run = await fetchRun('/html');
    expect(run.code).toBe(2);
    expect(firstLine(run.stderr)).toContain(
      `${server.url('/html')}: the server sent an HTML page (Content-Type text/html)`,
    );
    expect(server.count('/html')).toBe(1);
    const sniffed = await fetchRun('/html-as-text');
    expect(sniffed.code).toBe(2);
    expect(firstLine(sniffed.stderr)).toContain(
      `${server.url('/html-as-text')}: an HTML or XML page where data was expected`,
    );
  });

  it('a redirect loop: an error after 5 redirects', async () => {
    const run = await fetchRun('/loop-a');
    expect(run.code).toBe(2);
    expect(firstLine(run.stderr)).toContain(`${server.url('/loop-a')}: more than 5 redirects (a redirect loop?)`);
    expect(server.count('/loop-a') + server.count('/loop-b')).toBe(6);
  });

  it('a 404: an error at once, not retried', async () => {
    const run = await fetchRun('/missing');
    expect(run.code).toBe(2);
    expect(firstLine(run.stderr)).toContain(`${server.url('/missing')}: HTTP 404 Not Found; is the URL right?`);
    expect(server.count('/missing')).toBe(1);
  });

  it('a download over --max-download-mb: an error', async () => {
    const run = await fetchRun('/big', '--max-download-mb', '1');
    expect(run.code).toBe(2);
    expect(firstLine(run.stderr)).toContain(
      `${server.url('/big')}: more than 1.05 MB (--max-download-mb): the server announces`,
    );
  });

  it('a pinned sha256 that the bytes do not have: an error, nothing cached', async () => {
    const run = await fetchRun(`/iris.csv.gz#sha256=${'0'.repeat(64)}`);
    expect(run.code).toBe(2);
    expect(firstLine(run.stderr)).toContain(`: the download has sha256 `);
    expect(firstLine(run.stderr)).toContain(`not the pinned ${'0'.repeat(64)}`);
  });

  it('a 304 on revalidation: the cached copy is used and the report says so', async () => {
    const first = await fetchRun('/revalidated');
    expect(first.report!.dataset.fetch!.cached).toBe(false);
    const second = await fetchRun('/revalidated');
    expect(second.code).toBe(0);
    expect(server.requests.get('/revalidated')!.at(-1)!.headers['if-none-match']).toBe('"v1"');
    expect(second.report!.dataset.fetch).toMatchObject({ cached: true, etag: '"v1"' });
    expect(second.report!.dataset.sha256).toBe(first.report!.dataset.sha256);
    expect(second.stderr).toBe('');
  });

  it('a cached copy that fails its check is removed and fetched again', async () => {
    await fetchRun('/corrupted');
    for (const entry of readdirSync(cache)) {
      for (const file of readdirSync(join(cache, entry))) {
        if (!file.startsWith('body-')) continue;
        const meta = JSON.parse(readFileSync(join(cache, entry, 'meta.json'), 'utf8')) as { url: string };
        if (meta.url === server.url('/corrupted'))
          writeFileSync(join(cache, entry, file), IRIS_CSV.toString().replace('5.1', '9.9'));
      }
    }
    const run = await fetchRun('/corrupted');
    expect(run.code).toBe(0);
    // Fetched whole, not revalidated: the request carried no ETag.
    expect(server.requests.get('/corrupted')!.at(-1)!.headers['if-none-match']).toBeUndefined();
    expect(run.report!.dataset.fetch!.cached).toBe(false);
  });
});

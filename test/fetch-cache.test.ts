// The download cache across runs: two runs started together on a cold cache fetch each URL once;
// a run killed mid-download leaves a lock and a temporary file that the next run takes over and
// removes; --offline with the server gone trains from the cache with identical metrics.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cacheKey } from '../src/data/cache.js';
import { type DataServer, IRIS_CSV, send, serveIris, startDataServer } from './support/data-server.js';
import { tempDir, train } from './support/helpers.js';
import { listResults, readReport, start, waitUntil } from './support/processes.js';

let server: DataServer;
const held: (() => void)[] = [];
let holding = true;

beforeAll(async () => {
  server = await startDataServer();
  serveIris(server);
  for (const name of ['a', 'b', 'c']) {
    // Answers only when the test says so, so that both runs are surely there at once.
    server.route(`/held-${name}.csv`, (req, res, n) => {
      if (!holding) return send(IRIS_CSV)(req, res, n);
      held.push(() => send(IRIS_CSV)(req, res, n));
    });
  }
  server.route('/killed.csv', (req, res, n) => {
    if (n > 1) return send(IRIS_CSV)(req, res, n);
    res.writeHead(200, { 'content-length': String(IRIS_CSV.length) });
    res.write(IRIS_CSV.subarray(0, 1000)); // and then the client is killed
  });
});
afterAll(() => server.close());

const entries = (cache: string) => (existsSync(cache) ? readdirSync(cache) : []);

describe('the download cache', () => {
  it('two runs on a cold cache fetch each URL once (counted on the server)', async () => {
    const cache = tempDir('trainpool-cache-');
    const urls = ['a', 'b', 'c'].map((n) => server.url(`/held-${n}.csv`));
    const args = (dir: string) => [
      ...urls.flatMap((u) => ['--dataset', u]),
      ...['--models', 'knn', '--results-dir', dir, '--no-color'],
    ];
    const dirs = [tempDir(), tempDir()];
    const runs = dirs.map((dir) => start('train', args(dir), { TRAINPOOL_CACHE: cache }));
    const waits = () =>
      runs.map((r) => r.stdout().split('waiting for another trainpool run').length - 1).reduce((a, b) => a + b);
    // Each URL is being fetched by one run while the other waits for it.
    await waitUntil('each URL is fetched by one run and awaited by the other', () => waits() >= 3, 120_000);
    holding = false;
    for (const answer of held.splice(0)) answer();
    const exits = await Promise.all(runs.map((r) => r.exited));
    expect(exits.map((e) => e.code)).toEqual([0, 0]);
    for (const path of ['/held-a.csv', '/held-b.csv', '/held-c.csv']) expect(server.count(path), path).toBe(1);
    const reports = dirs.flatMap((dir) => listResults(dir).runs.map((run) => readReport(dir, run)));
    expect(reports).toHaveLength(6);
    // Three of the six data sets were read from the copy the other run had just fetched.
    expect(reports.filter((r) => r.dataset.fetch!.cached)).toHaveLength(3);
    expect(new Set(reports.map((r) => r.dataset.sha256)).size).toBe(1);
  });

  it('a lock left by a killed process is taken over, and its temporary file removed', async () => {
    const cache = tempDir('trainpool-cache-');
    const url = server.url('/killed.csv');
    const run = start('train', ['--dataset', url, '--models', 'knn', '--results-dir', tempDir()], {
      TRAINPOOL_CACHE: cache,
    });
    const dir = join(cache, cacheKey(new URL(url), {}));
    await waitUntil(
      'the download has begun',
      () => existsSync(dir) && readdirSync(dir).some((f) => f.endsWith('.tmp')),
      60_000,
    );
    run.child.kill('SIGKILL');
    await run.exited;
    expect(readdirSync(dir).sort()).toEqual(expect.arrayContaining(['.lock']));
    const again = await train(['--dataset', url, '--models', 'knn'], { TRAINPOOL_CACHE: cache });
    expect(again.stderr).toBe('');
    expect(again.code).toBe(0);
    expect(readdirSync(dir).filter((f) => f !== 'meta.json' && !f.startsWith('body-'))).toEqual([]);
  });

  it('a lock naming a process that has ended is taken over at once', async () => {
    const cache = tempDir('trainpool-cache-');
    const url = server.url('/iris.csv');
    const dead = Number(execFileSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).toString());
    const dir = join(cache, cacheKey(new URL(url), {}));
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, '.lock'), JSON.stringify({ host: hostname(), pid: dead, token: 'gone' }));
    const run = await train(['--dataset', url, '--models', 'knn'], { TRAINPOOL_CACHE: cache });
    expect(run.code).toBe(0);
    expect(existsSync(join(dir, '.lock'))).toBe(false);
  });

  it('--offline with the server stopped trains from the cache with identical metrics; a miss names the URL', async () => {
    const cache = tempDir('trainpool-cache-');
    const own = await startDataServer();
    serveIris(own);
    const url = own.url('/iris.arff');
    const online = await train(['--dataset', url, '--models', 'knn,svm', '--cv', '3'], { TRAINPOOL_CACHE: cache });
    expect(online.code).toBe(0);
    await own.close();
    const offline = await train(['--dataset', url, '--models', 'knn,svm', '--cv', '3', '--offline'], {
      TRAINPOOL_CACHE: cache,
    });
    expect(offline.stderr).toBe('');
    expect(offline.code).toBe(0);
    const metrics = (r: typeof online) =>
      r.report!.models.map((m) =>
        m.status === 'ok' ? { id: m.id, metrics: m.metrics, cv: { ...m.cv, fitMs: undefined } } : m,
      );
    expect(metrics(offline)).toEqual(metrics(online));
    expect(offline.report!.dataset.sha256).toBe(online.report!.dataset.sha256);
    expect(offline.report!.dataset.fetch).toMatchObject({ cached: true, sha256: online.report!.dataset.fetch!.sha256 });

    const miss = await train(['--dataset', own.url('/never.csv'), '--offline'], { TRAINPOOL_CACHE: cache });
    expect(miss.code).toBe(2);
    expect(miss.stderr).toMatch(
      new RegExp(
        `^train: error: ${own.url('/never.csv')}: not in the cache; --offline fetches nothing: run once without it \\(cache: ${cache}/[0-9a-f]{64}\\)\\n$`,
      ),
    );
    expect(miss.runs).toEqual([]);
    expect(entries(cache)).toHaveLength(1);
  });
});

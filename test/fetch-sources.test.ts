// Data sets from the network: CSV, .csv.gz, Content-Encoding gzip, ARFF, JSON records (also
// inside an object, with a header the API needs) and OpenML, each read into the same data set.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DataServer, IRIS_CSV, send, serveIris, sha256, startDataServer } from './support/data-server.js';
import { runCli, tempDir, train } from './support/helpers.js';

let server: DataServer;
const cache = tempDir('trainpool-cache-');
const env = () => ({ TRAINPOOL_CACHE: cache, TRAINPOOL_OPENML_URL: server.url('') });

beforeAll(async () => {
  server = await startDataServer();
  serveIris(server);
  server.route('/api/secure', (req, res, n) =>
    req.headers['x-api-key'] === 'sesame'
      ? send(JSON.stringify({ data: { items: [] } }))(req, res, n)
      : send('{"error":"no key"}', { 'content-type': 'application/json' }, 401)(req, res, n),
  );
});
afterAll(() => server.close());

interface Found {
  rows: number;
  features: number;
  classes: { name: string; rows: number }[];
  sha256: string;
  fetch?: { url: string; sha256: string; cached: boolean };
}
async function inspect(...args: string[]): Promise<Found> {
  const run = await runCli('inspect', ['--json', '--quiet', ...args], env());
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  return JSON.parse(run.stdout) as Found;
}

describe('--dataset takes URLs and openml:<id>', () => {
  it('every form of iris reads as iris: 150 rows, 4 features, the same classes and counts', async () => {
    const local = await inspect('--dataset', 'datasets/iris.csv');
    for (const path of ['/iris.csv', '/iris.csv.gz', '/iris-encoded.csv', '/iris.arff', '/iris.json']) {
      const found = await inspect('--dataset', server.url(path));
      expect(found.rows, path).toBe(150);
      expect(found.features, path).toBe(4);
      expect(found.classes, path).toEqual(local.classes);
      // The same numbers and class names: the same content hash as the local file, except ARFF,
      // whose label column is named "class".
      if (path !== '/iris.arff') expect(found.sha256, path).toBe(local.sha256);
      expect(found.fetch?.url).toBe(server.url(path));
    }
    const wrapped = await inspect('--dataset', server.url('/api/wrapped'), '--records', 'data.items');
    expect(wrapped.sha256).toBe(local.sha256);
  });

  it('the report records the URL without credentials, the fetch time, ETag, the bytes sha256 and cache use', async () => {
    const run = await train(
      ['--dataset', server.url('/iris.csv').replace('http://', 'http://ann:secret@'), '--models', 'knn'],
      env(),
    );
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const { dataset } = run.report!;
    expect(dataset.source).toBe(server.url('/iris.csv'));
    expect(dataset.fetch).toMatchObject({ url: server.url('/iris.csv'), etag: '"iris-1"', sha256: sha256(IRIS_CSV) });
    expect(typeof dataset.fetch!.cached).toBe('boolean');
    expect(Date.parse(dataset.fetch!.fetchedAt)).toBeGreaterThan(Date.now() - 600_000);
    // Credentials reached the server (as Basic auth) but no file of the run or the cache holds them.
    const auth = server.requests.get('/iris.csv')!.at(-1)!.headers.authorization;
    expect(auth).toBe(`Basic ${Buffer.from('ann:secret').toString('base64')}`);
    const folder = join(run.resultsDir, run.runs[0]!);
    for (const file of ['report.json', 'report.md', 'report.html'])
      expect(readFileSync(join(folder, file), 'utf8')).not.toContain('secret');
  });

  it('openml:<id>: the description gives the file, its MD5 and the label', async () => {
    const run = await train(['--dataset', 'openml:61', '--models', 'knn'], env());
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.report!.dataset).toMatchObject({ name: 'iris', source: 'openml:61', rows: 150, features: 4 });
    expect(run.report!.dataset.encoding!.label).toBe('class');
    expect(run.report!.dataset.fetch!.url).toBe(server.url('/data/v1/download/61/iris.arff'));
  });

  it('--header values reach the API and are part of the cache key, but are never stored or printed', async () => {
    const bad = await runCli('inspect', ['--dataset', server.url('/api/secure'), '--records', 'data.items'], env());
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/HTTP 401 Unauthorized; does it need credentials\? pass them with --header/);
    const good = await runCli(
      'inspect',
      ['--dataset', server.url('/api/secure'), '--records', 'data.items', '--header', 'X-Api-Key: sesame'],
      env(),
    );
    // Reached with the key: the empty array is the API's answer.
    expect(good.stderr).toContain('no records at "data.items"');
    expect(good.stderr).not.toContain('sesame');
    for (const entry of readdirSync(cache)) {
      for (const file of readdirSync(join(cache, entry)))
        expect(readFileSync(join(cache, entry, file), 'utf8')).not.toContain('sesame');
    }
  });

  it('predict --input takes a URL: the same predictions as from the local file', async () => {
    const trained = await train(['--models', 'knn', '--dataset', 'datasets/iris.csv'], env());
    expect(trained.code).toBe(0);
    const args = ['--results-dir', trained.resultsDir, '--run', 'latest', '--model', 'knn', '--quiet'];
    const local = await runCli('predict', [...args, '--input', 'datasets/iris.csv'], env());
    const remote = await runCli('predict', [...args, '--input', server.url('/iris.json')], env());
    expect(remote.stderr).toBe('');
    expect(remote.code).toBe(0);
    expect(remote.stdout).toBe(local.stdout);
    expect(remote.stdout.split('\n')).toHaveLength(152);
  });

  it('the data sets of a run are fetched at once, at most --fetch-concurrency at a time', async () => {
    let inFlight = 0;
    let most = 0;
    const waiting: (() => void)[] = [];
    for (const name of ['p', 'q', 'r']) {
      // Each answer waits until three requests are in (or a second has passed).
      server.route(`/together-${name}.csv`, (req, res, n) => {
        inFlight += 1;
        most = Math.max(most, inFlight);
        const answer = () => {
          inFlight -= 1;
          send(IRIS_CSV)(req, res, n);
        };
        waiting.push(answer);
        if (inFlight === 3) for (const go of waiting.splice(0)) go();
        else setTimeout(() => waiting.includes(answer) && waiting.splice(waiting.indexOf(answer), 1) && answer(), 1000);
      });
    }
    const datasets = ['p', 'q', 'r'].flatMap((n) => ['--dataset', server.url(`/together-${n}.csv`)]);
    const one = await runCli('inspect', [...datasets, '--quiet', '--fetch-concurrency', '1', '--refresh'], env());
    expect(one.code).toBe(0);
    expect(most).toBe(1);
    most = 0;
    const all = await runCli('inspect', [...datasets, '--quiet', '--refresh'], env());
    expect(all.code).toBe(0);
    expect(most).toBe(3);
  });

  it('only http: and https: are fetched', async () => {
    const run = await runCli('inspect', ['--dataset', 'ftp://example.org/iris.csv'], env());
    expect(run.stderr).toBe(
      'inspect: error: --dataset ftp://example.org/iris.csv: only http: and https: URLs are fetched, not ftp:\n',
    );
    expect(run.code).toBe(2);
  });
});

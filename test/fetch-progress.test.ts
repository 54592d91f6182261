// Download progress goes through the run's display: off a terminal plain lines (the size, then
// bytes, time and rate at the end, or that the cached copy was used; retries as warnings on
// stderr), on a terminal a status line with bytes of total and the rate, redrawn in place.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DataServer, IRIS_CSV, send, serveIris, startDataServer } from './support/data-server.js';
import { root, runCli, tempDir } from './support/helpers.js';

let server: DataServer;
const cache = tempDir('trainpool-cache-');
const env = () => ({ TRAINPOOL_CACHE: cache });

beforeAll(async () => {
  server = await startDataServer();
  serveIris(server);
  server.route('/unavailable-once', (req, res, n) => (n === 1 ? send('busy', {}, 503) : send(IRIS_CSV))(req, res, n));
  // 150 bytes every 50 ms: about 1.2 s for iris, long enough for the status line to be drawn.
  server.route('/trickle', (_req, res) => {
    res.writeHead(200, { 'content-length': String(IRIS_CSV.length) });
    let at = 0;
    const timer = setInterval(() => {
      res.write(IRIS_CSV.subarray(at, at + 150));
      at += 150;
      if (at >= IRIS_CSV.length) {
        clearInterval(timer);
        res.end();
      }
    }, 50);
  });
});
afterAll(() => server.close());

const kb = (IRIS_CSV.length / 1e3).toFixed(1);

describe('download progress', () => {
  it('off a terminal: a line when a download starts and one when it ends; a cached copy says so', async () => {
    const url = server.url('/iris.csv');
    const args = ['--dataset', url, '--models', 'knn', '--results-dir', tempDir()];
    const first = await runCli('train', args, env());
    expect(first.code).toBe(0);
    const lines = first.stdout.split('\n');
    expect(lines).toContain(`fetch: ${url} (${kb} kB)`);
    expect(lines.some((l) => new RegExp(`^fetch: ${url}: ${kb} kB in \\d+ ms \\([\\d.]+ [kM]B/s\\)$`).test(l))).toBe(
      true,
    );
    const second = await runCli('train', args, env());
    expect(second.stdout.split('\n')).toContain(
      `fetch: ${url}: the cached copy (${kb} kB), not modified on the server`,
    );
  });

  it('a retry is a warning on stderr, saying why and when', async () => {
    const url = server.url('/unavailable-once');
    const run = await runCli('train', ['--dataset', url, '--models', 'knn', '--results-dir', tempDir()], env());
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(
      new RegExp(`^fetch: ${url}: HTTP 503 Service Unavailable; trying again in \\d+ ms \\(try 2\\)\\n$`),
    );
  });

  it('on a terminal: a status line with bytes of total and rate, cleared before anything else', async () => {
    const url = server.url('/trickle');
    const command = [process.execPath, join(root, 'scripts/run.mjs'), 'train', '--dataset', url, '--models', 'knn']
      .concat(['--results-dir', tempDir()])
      .map((a) => `'${a}'`)
      .join(' ');
    const child = spawn('script', ['-qefc', command, '/dev/null'], {
      cwd: root,
      env: { ...process.env, ...env(), COLUMNS: '120', CI: '', NO_COLOR: '1' },
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const code = await new Promise<number>((resolve) => child.on('close', (c) => resolve(c ?? -1)));
    expect(code).toBe(0);
    const name = url.replace('http://', '');
    // Bytes so far of the total, growing (the rate follows where the terminal is wide enough).
    expect(output).toMatch(new RegExp(`\\r\\x1b\\[2Kfetching ${name} [1-3]\\.\\d kB of ${kb} kB`));
    // The line that ends the download is printed over the cleared status line, whole.
    expect(output).toMatch(new RegExp(`\\r\\x1b\\[2Kfetch: ${url}: ${kb} kB in [\\d.]+ (ms|s) \\(`));
  });
});

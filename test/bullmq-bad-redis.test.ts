import { createServer } from 'node:net';
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runCli, tempDir } from './support/helpers.js';

/** A loopback port nothing listens on. */
function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

const oneLine = (text: string) => text.trim().split('\n').length === 1;

describe('--backend bullmq and npm run worker with a Redis that cannot be used', () => {
  it('train: an unreachable Redis is one line on stderr, exit 2, nothing written', async () => {
    const url = `redis://127.0.0.1:${await closedPort()}`;
    const resultsDir = tempDir();
    const run = await runCli('train', ['--backend', 'bullmq', '--redis', url, '--results-dir', resultsDir]);
    expect(run.code).toBe(2);
    expect(oneLine(run.stderr)).toBe(true);
    expect(run.stderr).toMatch(new RegExp(`^train: error: --redis ${url}: cannot connect to Redis: .*ECONNREFUSED`));
    expect(run.stderr).toContain('is redis-server running there?');
    expect(run.stdout).toBe('');
    expect(readdirSync(resultsDir)).toEqual([]);
  });

  it('train: a server that accepts the connection but never answers is the same error, not a hang', async () => {
    const silent = createServer(() => {});
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const url = `redis://127.0.0.1:${(silent.address() as { port: number }).port}`;
      const run = await runCli('train', ['--backend', 'bullmq', '--redis', url, '--results-dir', tempDir()]);
      expect(run.code).toBe(2);
      expect(run.stderr).toBe(
        `train: error: --redis ${url}: cannot connect to Redis: no answer within 5 s; is redis-server running there? (Debian: apt-get install redis-server)\n`,
      );
    } finally {
      silent.close();
    }
  });

  it('worker: an unreachable Redis is one line on stderr, exit 2', async () => {
    const url = `redis://127.0.0.1:${await closedPort()}`;
    const run = await runCli('worker', ['--redis', url]);
    expect(run.code).toBe(2);
    expect(oneLine(run.stderr)).toBe(true);
    expect(run.stderr).toMatch(/^worker: error: --redis .*: cannot connect to Redis: .*ECONNREFUSED/);
  });

  it('flags that do not fit together or are not URLs are usage errors', async () => {
    const cases: [string, string[], RegExp][] = [
      ['train', ['--backend', 'bullmq'], /--backend bullmq needs --redis <url>/],
      ['train', ['--redis', 'redis://127.0.0.1:6379'], /--redis is only used with --backend bullmq/],
      ['train', ['--backend', 'bullmq', '--redis', 'localhost:6379'], /--redis must start with redis:\/\//],
      ['train', ['--backend', 'ray'], /argument 'ray' is invalid.*piscina, bullmq/],
      [
        'train',
        ['--backend', 'bullmq', '--redis', 'redis://127.0.0.1:6379', '--max-memory-mb', '64'],
        /--max-memory-mb caps the threads of the local pool; with --backend bullmq give it to each `npm run worker`/,
      ],
      ['worker', [], /required option '--redis <url>' not specified/],
      ['worker', ['--redis', 'not a url'], /--redis must be a URL such as redis:\/\/127\.0\.0\.1:6379/],
      ['worker', ['--redis', 'redis://h:1', '--concurrency', '0'], /--concurrency must be a whole number from 1/],
    ];
    for (const [command, args, message] of cases) {
      const run = await runCli(command, args);
      expect(run.code, `${command} ${args.join(' ')}`).toBe(2);
      expect(oneLine(run.stderr)).toBe(true);
      expect(run.stderr).toMatch(message);
    }
  });

  it('worker --help documents every option and exits 0', async () => {
    const run = await runCli('worker', ['--help']);
    expect(run.code).toBe(0);
    for (const flag of [
      '--redis',
      '--concurrency',
      '--max-memory-mb',
      '--model-module',
      '--lock-duration',
      '--stalled-interval',
      '--redis-grace',
    ])
      expect(run.stdout).toContain(flag);
  });
});

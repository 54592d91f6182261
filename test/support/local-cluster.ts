// A throwaway cluster on this machine, for the tests and the bench: a redis-server on a free
// loopback port with its own temporary folder and no persistence, and `npm run worker` processes.
// Every process started here is killed when this process exits, whatever happened.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { projectRoot } from '../../src/paths.js';

const children = new Set<ChildProcess>();
let exitHook = false;

function own(child: ChildProcess): void {
  children.add(child);
  child.once('exit', () => children.delete(child));
  if (!exitHook) {
    exitHook = true;
    process.once('exit', () => {
      for (const c of children) c.kill('SIGKILL');
    });
  }
}

/** Whether Debian's redis-server (or any on PATH) is installed. */
export function hasRedisServer(): boolean {
  return spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

/** Collects a child's output and resolves when a line matches, rejecting if it exits first. */
function waitForLine(child: ChildProcess, pattern: RegExp, timeoutMs: number, what: string) {
  let output = '';
  const ready = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${what} did not start within ${timeoutMs} ms:\n${output}`)),
      timeoutMs,
    );
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (pattern.test(output)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`${what} exited (${signal ?? code}) before it was ready:\n${output}`));
    });
  });
  return { ready, output: () => output };
}

export interface LocalRedis {
  url: string;
  port: number;
  /** Stops the server (SIGKILL with `kill`) and removes its folder. */
  stop(kill?: boolean): Promise<void>;
}

export interface RedisServerOptions {
  /** More redis-server arguments (users, passwords). */
  args?: readonly string[];
  /** Serve TLS only, with these PEM files; the URL is then rediss://. */
  tls?: { cert: string; key: string; ca: string };
}

export async function startRedisServer(options: RedisServerOptions = {}): Promise<LocalRedis> {
  let lastError: unknown;
  // A port found free can be taken before redis-server binds it: try a few.
  for (let attempt = 0; attempt < 5; attempt++) {
    const port = await freePort();
    const dir = mkdtempSync(join(tmpdir(), 'trainpool-redis-'));
    const listen = options.tls
      ? [
          '--port',
          '0',
          '--tls-port',
          String(port),
          '--tls-cert-file',
          options.tls.cert,
          '--tls-key-file',
          options.tls.key,
          '--tls-ca-cert-file',
          options.tls.ca,
          '--tls-auth-clients',
          'no',
        ]
      : ['--port', String(port)];
    const child = spawn(
      'redis-server',
      [...listen, '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'no', ...(options.args ?? [])],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    own(child);
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    const { ready } = waitForLine(child, /Ready to accept connections/, 30_000, `redis-server on port ${port}`);
    try {
      await ready;
    } catch (error) {
      lastError = error;
      child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
      continue;
    }
    return {
      url: `${options.tls ? 'rediss' : 'redis'}://127.0.0.1:${port}`,
      port,
      async stop(kill = false) {
        if (child.exitCode === null && child.signalCode === null) child.kill(kill ? 'SIGKILL' : 'SIGTERM');
        await exited;
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  throw lastError;
}

export interface WorkerProcess {
  child: ChildProcess;
  /** Everything it printed so far. */
  output(): string;
  /** Resolves with the exit status, or the signal's name. */
  exited: Promise<number | string>;
  /** Sends the signal (SIGTERM: finish the running tasks) and waits for the exit. */
  stop(signal?: NodeJS.Signals): Promise<number | string>;
}

/** Starts `npm run worker -- --redis <url> ...args` and waits until it takes tasks. */
export async function startWorkerProcess(
  url: string,
  args: readonly string[] = [],
  env: NodeJS.ProcessEnv = {},
): Promise<WorkerProcess> {
  const child = spawn(process.execPath, [join(projectRoot, 'scripts/run.mjs'), 'worker', '--redis', url, ...args], {
    cwd: projectRoot,
    env: { ...process.env, NO_COLOR: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  own(child);
  const exited = new Promise<number | string>((resolve) =>
    child.once('exit', (code, signal) => resolve(signal ?? code ?? -1)),
  );
  const { ready, output } = waitForLine(child, /taking tasks from/, 60_000, 'npm run worker');
  try {
    await ready;
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  return {
    child,
    output,
    exited,
    stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

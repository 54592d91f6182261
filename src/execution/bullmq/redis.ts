// Connecting to Redis for the BullMQ backend: a checked URL, a fail-fast first connection (an
// unreachable Redis is a one-line usage error, not a retry loop), and a watch that turns a Redis
// that goes away for longer than a grace period into one clear event instead of a silent hang.
import { Redis } from 'ioredis';
import { UsageError } from '../../errors.js';
import { displayUrl } from './redis-url.js';

const CONNECT_TIMEOUT_MS = 5_000;

/**
 * Connects, or throws a UsageError (exit 2) naming the URL and the cause. The returned client
 * reconnects on its own from then on; BullMQ needs `maxRetriesPerRequest: null` on its clients.
 */
export async function connectRedis(url: string, flag = '--redis'): Promise<Redis> {
  const client = new Redis(url, {
    lazyConnect: true,
    maxRetriesPerRequest: null,
    connectTimeout: CONNECT_TIMEOUT_MS,
    // Fail the first connection at once; reconnecting is switched on once it has succeeded.
    retryStrategy: () => null,
  });
  // The cause (ECONNREFUSED, ENOTFOUND, ...) comes as an 'error' event; connect() then rejects
  // with a bare "Connection is closed".
  let cause: Error | undefined;
  const swallow = (error: Error) => (cause ??= error);
  client.on('error', swallow);
  let timer: NodeJS.Timeout | undefined;
  try {
    // A server that accepts connections but never answers (not Redis, or hung) must not hang us.
    const silent = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`no answer within ${CONNECT_TIMEOUT_MS / 1000} s`)),
        CONNECT_TIMEOUT_MS,
      );
    });
    const attempt = (async () => {
      await client.connect();
      await client.ping();
    })();
    // Once the deadline has won, the abandoned attempt's rejection is of no interest.
    attempt.catch(() => {});
    await Promise.race([attempt, silent]);
  } catch (error) {
    client.disconnect();
    let message = (cause ?? (error instanceof Error ? error : new Error(String(error)))).message;
    let hint = 'is redis-server running there? (Debian: apt-get install redis-server)';
    if (/NOAUTH|WRONGPASS/.test(message)) {
      message = /NOAUTH/.test(message) ? 'it asks for a password' : 'it refused the user name or password';
      hint = 'put them in the URL: redis://user:password@host:port (or redis://:password@host:port)';
    } else if (/RESP|Protocol error/i.test(message)) {
      message = 'the server there does not speak the Redis protocol';
      hint = 'check the host and port';
    }
    throw new UsageError(`${flag} ${displayUrl(url)}: cannot connect to Redis: ${message}; ${hint}`);
  } finally {
    clearTimeout(timer);
    client.off('error', swallow);
  }
  client.options.retryStrategy = (times) => Math.min(100 * times, 1_000);
  // Without a listener, a connection error would be thrown as an uncaught 'error' event.
  client.on('error', () => {});
  return client;
}

/** A second connection with the same settings (for blocking reads and subscriptions). */
export function duplicate(client: Redis): Redis {
  const copy = client.duplicate();
  copy.on('error', () => {});
  return copy;
}

/**
 * Watches one connection. `onLost` fires once when Redis has been unreachable (closed, or not
 * answering a PING) for `graceMs`; a Redis that comes back sooner calls `onBack` instead, so a
 * restart of Redis costs nothing but the wait.
 */
export class RedisWatch {
  private downSince: number | undefined;
  private lastError = 'connection closed';
  private pinging = false;
  private readonly timer: NodeJS.Timeout;
  private fired = false;

  constructor(
    private readonly client: Redis,
    private readonly graceMs: number,
    private readonly onLost: (reason: string) => void,
    private readonly onDown: (reason: string) => void = () => {},
    private readonly onBack: () => void = () => {},
  ) {
    client.on('error', (error: Error) => {
      this.lastError = error.message;
    });
    client.on('close', () => this.down());
    client.on('ready', () => this.up());
    this.timer = setInterval(() => this.check(), Math.min(1_000, graceMs / 4));
    this.timer.unref();
  }

  private down(): void {
    if (this.downSince === undefined && !this.fired) {
      this.downSince = Date.now();
      this.onDown(this.lastError);
    }
  }

  private up(): void {
    if (this.downSince !== undefined && !this.fired) {
      this.downSince = undefined;
      this.onBack();
    }
  }

  private check(): void {
    if (this.fired) return;
    if (this.downSince !== undefined && Date.now() - this.downSince >= this.graceMs) {
      this.fired = true;
      clearInterval(this.timer);
      this.onLost(this.lastError);
      return;
    }
    // A partitioned network closes nothing: a PING that stays unanswered counts as down.
    if (this.client.status !== 'ready' || this.pinging) return;
    this.pinging = true;
    const overdue = setTimeout(() => {
      this.lastError = `no answer to PING within ${CONNECT_TIMEOUT_MS / 1000} s`;
      this.down();
    }, CONNECT_TIMEOUT_MS);
    overdue.unref();
    this.client.ping().then(
      () => {
        clearTimeout(overdue);
        this.pinging = false;
        this.up();
      },
      () => {
        clearTimeout(overdue);
        this.pinging = false;
      },
    );
  }

  get isDown(): boolean {
    return this.downSince !== undefined;
  }

  stop(): void {
    this.fired = true;
    clearInterval(this.timer);
  }
}

/** `promise`, or a UsageError naming the URL when Redis does not get it done within 10 s. */
export async function readyWithin<T>(promise: Promise<T>, url: string, flag = '--redis'): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new UsageError(`${flag} ${displayUrl(url)}: Redis stopped answering while connecting; try again`)),
      10_000,
    );
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

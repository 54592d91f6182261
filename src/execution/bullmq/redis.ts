// Connecting to Redis for the BullMQ backend: a checked URL, a fail-fast first connection (an
// unreachable Redis, or one that would evict keys when full, is a one-line usage error, not a
// retry loop or a lost job later), and a watch that turns a Redis that goes away, or stops taking
// writes, for longer than a grace period into one clear event instead of a silent hang.
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { UsageError } from '../../errors.js';
import { displayUrl } from './redis-url.js';
import { keys } from './wire.js';

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
  let policy: string | undefined;
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
      policy = await evictionPolicy(client);
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
    } else if (/certificate|self[- ]signed|unable to verify/i.test(message)) {
      hint = "trust the certificate authority that signed Redis's certificate: NODE_EXTRA_CA_CERTS=<its .pem file>";
    } else if (/RESP|Protocol error/i.test(message)) {
      message = 'the server there does not speak the Redis protocol';
      hint = 'check the host and port';
    }
    throw new UsageError(`${flag} ${displayUrl(url)}: cannot connect to Redis: ${message}; ${hint}`);
  } finally {
    clearTimeout(timer);
    client.off('error', swallow);
  }
  if (policy !== undefined && policy !== 'noeviction') {
    client.disconnect();
    throw new UsageError(
      `${flag} ${displayUrl(url)}: Redis evicts keys when it is full (maxmemory-policy ${policy}), which would silently drop queued tasks and their results; set maxmemory-policy noeviction (redis-cli config set maxmemory-policy noeviction, or in redis.conf)`,
    );
  }
  client.options.retryStrategy = (times) => Math.min(100 * times, 1_000);
  // Without a listener, a connection error would be thrown as an uncaught 'error' event.
  client.on('error', () => {});
  return client;
}

/**
 * Redis's maxmemory-policy, from INFO (allowed where CONFIG is not, as on most managed Redis);
 * undefined when this user may not ask.
 */
async function evictionPolicy(client: Redis): Promise<string | undefined> {
  try {
    const info = await client.info('memory');
    return /^maxmemory_policy:(\S+)/m.exec(info)?.[1];
  } catch {
    return undefined;
  }
}

/** A second connection with the same settings (for blocking reads and subscriptions). */
export function duplicate(client: Redis): Redis {
  const copy = client.duplicate();
  copy.on('error', () => {});
  return copy;
}

/** What is wrong with Redis, in the words of the two moments it is told: while waiting, and when given up on. */
export interface RedisTrouble {
  /** "Redis at X is unreachable (...); waiting for it" */
  waiting(where: string): string;
  /** "lost the connection to Redis at X (...)", for as long as it lasted. */
  lost(where: string): string;
}

const unreachable = (detail: string): RedisTrouble => ({
  waiting: (where) => `Redis at ${where} is unreachable (${detail}); waiting for it`,
  lost: (where) => `lost the connection to Redis at ${where} (${detail})`,
});

/** Redis's own reason for refusing a write, with what to do about it. */
function writesRefused(reply: string): RedisTrouble {
  const first = reply.split('\n')[0]!.slice(0, 200);
  const detail = /^OOM/.test(first)
    ? `maxmemory reached: ${first}; raise it (redis-cli config set maxmemory <bytes>, 0 for no limit) or free memory`
    : /^MISCONF/.test(first)
      ? `it cannot save its snapshot: ${first}`
      : first;
  return {
    waiting: (where) => `Redis at ${where} refuses writes (${detail}); waiting for it`,
    lost: (where) => `Redis at ${where} refused every write (${detail})`,
  };
}

/** Replies that mean Redis takes no writes at all, not just this one. */
const REFUSES_WRITES = /^(OOM|READONLY|MISCONF)\b/;

/**
 * Watches one connection. `onLost` fires once when Redis has been unreachable (closed, or not
 * answering) or has refused writes (maxmemory reached, a read-only replica, a failed snapshot)
 * for `graceMs`; a Redis that recovers sooner calls `onBack` instead, so a restart of Redis costs
 * nothing but the wait. The probe is a write of a short-lived key of its own, once a check: a
 * Redis that answers PING but refuses every write would otherwise leave jobs that can never finish.
 */
export class RedisWatch {
  private troubleSince: number | undefined;
  private trouble: RedisTrouble = unreachable('connection closed');
  private lastError = 'connection closed';
  private probing = false;
  private readonly timer: NodeJS.Timeout;
  private fired = false;
  private readonly probeKey = keys.probe(randomBytes(6).toString('hex'));

  constructor(
    private readonly client: Redis,
    private readonly graceMs: number,
    private readonly onLost: (trouble: RedisTrouble) => void,
    private readonly onDown: (trouble: RedisTrouble) => void = () => {},
    private readonly onBack: () => void = () => {},
  ) {
    client.on('error', (error: Error) => {
      this.lastError = error.message;
    });
    client.on('close', () => this.down(unreachable(this.lastError)));
    client.on('ready', () => this.up());
    this.timer = setInterval(() => this.check(), Math.min(1_000, graceMs / 4));
    this.timer.unref();
  }

  private down(trouble: RedisTrouble): void {
    if (this.fired) return;
    this.trouble = trouble;
    if (this.troubleSince === undefined) {
      this.troubleSince = Date.now();
      this.onDown(trouble);
    }
  }

  private up(): void {
    if (this.troubleSince !== undefined && !this.fired) {
      this.troubleSince = undefined;
      this.onBack();
    }
  }

  private check(): void {
    if (this.fired) return;
    if (this.troubleSince !== undefined && Date.now() - this.troubleSince >= this.graceMs) {
      this.fired = true;
      clearInterval(this.timer);
      this.onLost(this.trouble);
      return;
    }
    // A partitioned network closes nothing: a probe that stays unanswered counts as down.
    if (this.client.status !== 'ready' || this.probing) return;
    this.probing = true;
    const overdue = setTimeout(() => {
      this.down(unreachable(`no answer within ${CONNECT_TIMEOUT_MS / 1000} s`));
    }, CONNECT_TIMEOUT_MS);
    overdue.unref();
    this.client.set(this.probeKey, '1', 'PX', 10_000).then(
      () => {
        clearTimeout(overdue);
        this.probing = false;
        this.up();
      },
      (error: Error) => {
        clearTimeout(overdue);
        this.probing = false;
        // A refused write is trouble; any other answer (NOPERM on our key) still shows Redis is there.
        if (REFUSES_WRITES.test(error.message)) this.down(writesRefused(error.message));
        else this.up();
      },
    );
  }

  get isDown(): boolean {
    return this.troubleSince !== undefined;
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

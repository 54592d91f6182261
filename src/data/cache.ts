// The download cache: one folder per request (URL and --header values, hashed: neither is stored
// in clear), holding the body exactly as served, named by its sha256, and meta.json describing
// it. Every file lands by rename from a temporary name, so a reader never sees half of one, and a
// killed download leaves only a temporary file that the next fetch of that URL removes. A lock
// file per entry makes concurrent runs fetch once: the others wait and then use what it wrote. A
// lock whose process has ended (same host), or that has not been refreshed for a minute, is
// taken over.
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, open, readdir, readFile, rename, rm, rmdir, stat, unlink, utimes, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';

/** The cache key of a request: its URL (credentials included, fragment not) and its headers. */
export function cacheKey(url: URL, headers: Record<string, string>): string {
  const u = new URL(url);
  u.hash = '';
  const lines = Object.entries(headers)
    .map(([name, value]) => `${name.toLowerCase()}: ${value}`)
    .sort();
  return createHash('sha256')
    .update(JSON.stringify([u.href, lines]))
    .digest('hex');
}

const metaSchema = z.object({
  url: z.string(),
  finalUrl: z.string(),
  fetchedAt: z.string(),
  etag: z.string().nullable(),
  lastModified: z.string().nullable(),
  contentType: z.string().nullable(),
  contentEncoding: z.string().nullable(),
  bytes: z.number().int(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  md5: z.string().regex(/^[0-9a-f]{32}$/),
  /** Names only: the values are secrets as often as not. */
  headerNames: z.array(z.string()),
});
export type EntryMeta = z.infer<typeof metaSchema>;

export interface Entry {
  meta: EntryMeta;
  body: string;
}

const META = 'meta.json';
const LOCK = '.lock';
const bodyName = (sha256: string) => `body-${sha256}`;
const temporary = (dir: string, what: string) =>
  join(dir, `.${what}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);

export class CacheEntry {
  constructor(readonly dir: string) {}

  static of(root: string, key: string): CacheEntry {
    return new CacheEntry(join(root, key));
  }

  /** The complete entry, if there is one (a missing or unreadable one reads as none). */
  async read(): Promise<Entry | undefined> {
    try {
      const meta = metaSchema.parse(JSON.parse(await readFile(join(this.dir, META), 'utf8')));
      const body = join(this.dir, bodyName(meta.sha256));
      const size = (await stat(body)).size;
      return size === meta.bytes ? { meta, body } : undefined;
    } catch {
      return undefined;
    }
  }

  /** A temporary file for a body being downloaded; `land` renames it into place. */
  async temporaryBody(): Promise<string> {
    await mkdir(this.dir, { recursive: true });
    return temporary(this.dir, 'body');
  }

  /** Puts a downloaded body and its meta in place, then drops older bodies and leftovers. */
  async land(tmpBody: string, meta: EntryMeta): Promise<Entry> {
    const body = join(this.dir, bodyName(meta.sha256));
    await rename(tmpBody, body);
    const tmpMeta = temporary(this.dir, 'meta');
    try {
      await writeFile(tmpMeta, `${JSON.stringify(meta, null, 2)}\n`);
      await rename(tmpMeta, join(this.dir, META));
    } catch (error) {
      await rm(tmpMeta, { force: true });
      throw error;
    }
    await this.sweep(bodyName(meta.sha256));
    return { meta, body };
  }

  /** Replaces the meta of the entry (a 304 brings a new ETag or date). */
  async touch(entry: Entry, changes: Partial<EntryMeta>): Promise<Entry> {
    const meta = { ...entry.meta, ...changes };
    const tmpMeta = temporary(this.dir, 'meta');
    await writeFile(tmpMeta, `${JSON.stringify(meta, null, 2)}\n`);
    await rename(tmpMeta, join(this.dir, META));
    return { meta, body: entry.body };
  }

  /** Removes the entry (a body that failed its check). */
  async remove(): Promise<void> {
    await rm(join(this.dir, META), { force: true });
    await this.sweep(undefined);
  }

  /**
   * Removes every body but `keep` and every temporary file: run only under the lock, so none
   * of them belongs to a download in progress.
   */
  private async sweep(keep: string | undefined): Promise<void> {
    for (const name of await readdir(this.dir).catch(() => [] as string[])) {
      if (name === keep || name === META || name === LOCK) continue;
      if (name.startsWith('body-') || name.endsWith('.tmp')) await rm(join(this.dir, name), { force: true });
    }
  }

  /** Under the lock: removes what killed downloads left (temporary files, orphaned bodies). */
  async sweepLeftovers(): Promise<void> {
    const entry = await this.read();
    await this.sweep(entry ? bodyName(entry.meta.sha256) : undefined);
  }

  /** After the lock is released: removes the entry's folder if nothing is in it. */
  async removeIfEmpty(): Promise<void> {
    await rmdir(this.dir).catch(() => {});
  }

  /**
   * Takes the entry's lock, waiting while another live process holds it; `onWait` is called
   * once if it has to wait. Resolves with the lock and whether it waited.
   */
  async lock(signal?: AbortSignal, onWait?: () => void): Promise<{ release: () => Promise<void>; waited: boolean }> {
    await mkdir(this.dir, { recursive: true });
    const path = join(this.dir, LOCK);
    const token = randomBytes(8).toString('hex');
    const owner = `${JSON.stringify({ host: hostname(), pid: process.pid, token })}\n`;
    let waited = false;
    for (;;) {
      signal?.throwIfAborted();
      try {
        const handle = await open(path, 'wx');
        try {
          await handle.writeFile(owner);
        } finally {
          await handle.close();
        }
        break;
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        // ENOENT: the empty folder was removed by a run that had just finished with it.
        if (code === 'ENOENT') {
          await mkdir(this.dir, { recursive: true });
          continue;
        }
        if (code !== 'EEXIST') throw error;
      }
      if (await breakIfStale(path)) continue;
      if (!waited) onWait?.();
      waited = true;
      await sleep(50 + Math.random() * 100, undefined, signal ? { signal } : {});
    }
    // A lock holder refreshes its lock, so that one on another host is not taken for dead.
    const heartbeat = setInterval(() => {
      const now = new Date();
      void utimes(path, now, now).catch(() => {});
    }, HEARTBEAT_MS);
    heartbeat.unref();
    const release = async () => {
      clearInterval(heartbeat);
      const current = await readFile(path, 'utf8').catch(() => '');
      if (current === owner) await unlink(path).catch(() => {});
    };
    return { release, waited };
  }
}

const HEARTBEAT_MS = 10_000;
/** A lock not refreshed for this long is taken over, wherever its owner runs. */
const STALE_MS = 60_000;
/** Breaking a lock takes microseconds: a breaker's mark this old was left by a killed breaker. */
const BREAK_STALE_MS = 10_000;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes the lock at `path` if its owner is gone: a process of this host that has ended, or any
 * owner that stopped refreshing it. Only one process breaks a lock at a time (the one that made
 * the `.break` folder), and it removes the lock only if it is still the one it judged dead, so
 * that a lock just taken by a live process is never removed by a second breaker.
 */
async function breakIfStale(path: string): Promise<boolean> {
  const judge = async () => {
    const [text, info] = await Promise.all([readFile(path, 'utf8'), stat(path)]);
    let dead = Date.now() - info.mtimeMs > STALE_MS;
    try {
      const owner = JSON.parse(text) as { host: string; pid: number };
      if (owner.host === hostname() && !alive(owner.pid)) dead = true;
    } catch {
      // Being written (created, not yet filled): only its age counts.
    }
    return dead ? text : undefined;
  };
  let stale: string | undefined;
  try {
    stale = await judge();
  } catch {
    return true; // Gone meanwhile: try to take it.
  }
  if (stale === undefined) return false;
  const mark = `${path}.break`;
  try {
    await mkdir(mark);
  } catch {
    const age = await stat(mark).then(
      (s) => Date.now() - s.mtimeMs,
      () => 0,
    );
    if (age > BREAK_STALE_MS) await rmdir(mark).catch(() => {});
    return false;
  }
  try {
    const again = await judge().catch(() => undefined);
    if (again === stale) await unlink(path).catch(() => {});
  } finally {
    await rmdir(mark).catch(() => {});
  }
  return true;
}

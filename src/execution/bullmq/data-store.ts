// Data sets in Redis, keyed by content hash: the coordinator stores each one once, workers fetch
// it once per hash into shared memory that their threads read in place. Jobs carry only the hash.
import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { HashDataRef, SharedDataRef } from '../protocol.js';
import { DATA_TTL_SECONDS, keys } from './wire.js';

interface StoredMeta {
  rows: number;
  cols: number;
  classes: number;
  /** sha256 of the stored bytes (features then labels): checked by every worker that fetches. */
  bytes: string;
}

/** Thrown when a worker cannot get a data set; the task fails with this message. */
export class DataError extends Error {
  override readonly name = 'DataError';
}

/**
 * A plain copy of the first `bytes` of a shared buffer (a CSV loader's buffer may be longer than
 * its data): sockets do not take views of a SharedArrayBuffer.
 */
const copyOf = (buffer: SharedArrayBuffer, bytes: number) =>
  Buffer.from(new Uint8Array(buffer, 0, bytes).slice().buffer);

function bytesHash(features: Uint8Array, labels: Uint8Array): string {
  return createHash('sha256').update(features).update(labels).digest('hex');
}

export function toHashRef(ref: SharedDataRef | HashDataRef): HashDataRef {
  return { kind: 'hash', sha256: ref.sha256, rows: ref.rows, cols: ref.cols, classes: ref.classes };
}

/** Stores the data set unless Redis already holds it; either way it lives DATA_TTL_SECONDS more. */
export async function storeData(redis: Redis, ref: SharedDataRef): Promise<void> {
  const key = keys.data(ref.sha256);
  if ((await redis.expire(key, DATA_TTL_SECONDS)) === 1) return;
  const features = copyOf(ref.features, ref.rows * ref.cols * Float64Array.BYTES_PER_ELEMENT);
  const labels = copyOf(ref.labels, ref.rows * Int32Array.BYTES_PER_ELEMENT);
  const meta: StoredMeta = { rows: ref.rows, cols: ref.cols, classes: ref.classes, bytes: bytesHash(features, labels) };
  await redis
    .multi()
    .hset(key, { meta: JSON.stringify(meta), features, labels })
    .expire(key, DATA_TTL_SECONDS)
    .exec();
}

/** Fetches and checks one data set, into fresh shared memory. */
async function fetchData(redis: Redis, ref: HashDataRef): Promise<SharedDataRef> {
  const [meta, features, labels] = await redis.hmgetBuffer(keys.data(ref.sha256), 'meta', 'features', 'labels');
  if (!meta || !features || !labels)
    throw new DataError(
      `data set ${ref.sha256.slice(0, 12)} is not in Redis (expired, or Redis restarted without persistence); start the run again`,
    );
  const stored = JSON.parse(meta.toString('utf8')) as StoredMeta;
  const expected = ref.rows * ref.cols * Float64Array.BYTES_PER_ELEMENT;
  if (
    stored.rows !== ref.rows ||
    stored.cols !== ref.cols ||
    stored.classes !== ref.classes ||
    features.length !== expected ||
    labels.length !== ref.rows * Int32Array.BYTES_PER_ELEMENT ||
    bytesHash(features, labels) !== stored.bytes
  )
    throw new DataError(`data set ${ref.sha256.slice(0, 12)} in Redis does not match its description; it is corrupt`);
  const sharedFeatures = new SharedArrayBuffer(features.length);
  new Uint8Array(sharedFeatures).set(features);
  const sharedLabels = new SharedArrayBuffer(labels.length);
  new Uint8Array(sharedLabels).set(labels);
  return { ...ref, kind: 'shared', features: sharedFeatures, labels: sharedLabels };
}

/**
 * A worker's data sets by hash: each fetched once, however many tasks ask for it at the same time.
 * Only the most recent few stay, so a long-lived worker serving many runs keeps bounded memory.
 */
export class DataCache {
  private readonly entries = new Map<string, Promise<SharedDataRef>>();

  constructor(
    private readonly redis: Redis,
    private readonly capacity = 8,
  ) {}

  resolve(ref: HashDataRef): Promise<SharedDataRef> {
    let entry = this.entries.get(ref.sha256);
    if (entry) {
      // Most recently used last.
      this.entries.delete(ref.sha256);
    } else {
      entry = fetchData(this.redis, ref);
      // A failed fetch is not cached: the next task tries again.
      entry.catch(() => this.entries.get(ref.sha256) === entry && this.entries.delete(ref.sha256));
    }
    this.entries.set(ref.sha256, entry);
    while (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value as string);
    return entry;
  }
}

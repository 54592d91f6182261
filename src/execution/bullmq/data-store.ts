// Data sets in Redis, keyed by content hash: the coordinator stores each one once, workers fetch
// it once per hash into shared memory that their threads read in place. Jobs carry only the hash
// and the sha256 of the bytes (computed by the coordinator from its own memory): whatever Redis
// holds, a worker trains only on bytes that hash to it, and tells the coordinator the hash of the
// bytes it did train on.
import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { HashDataRef, SharedDataRef } from '../protocol.js';
import { DATA_TTL_SECONDS, keys } from './wire.js';

interface StoredMeta {
  rows: number;
  cols: number;
  classes: number;
}

/** Thrown when a worker cannot get a data set; the task fails with this message. */
export class DataError extends Error {
  override readonly name = 'DataError';
}

const featureBytes = (ref: SharedDataRef) =>
  new Uint8Array(ref.features, 0, ref.rows * ref.cols * Float64Array.BYTES_PER_ELEMENT);
const labelBytes = (ref: SharedDataRef) => new Uint8Array(ref.labels, 0, ref.rows * Int32Array.BYTES_PER_ELEMENT);

function bytesHash(features: Uint8Array, labels: Uint8Array): string {
  return createHash('sha256').update(features).update(labels).digest('hex');
}

/** Per shared buffer: a data set is hashed once however many tasks name it. */
const contentHashes = new WeakMap<SharedArrayBuffer, string>();

/** sha256 of the features and labels a worker trains on (a loader's buffer may run past them). */
export function contentSha256(ref: SharedDataRef): string {
  let hash = contentHashes.get(ref.features);
  if (hash === undefined) {
    hash = bytesHash(featureBytes(ref), labelBytes(ref));
    contentHashes.set(ref.features, hash);
  }
  return hash;
}

export function toHashRef(ref: SharedDataRef): HashDataRef {
  return {
    kind: 'hash',
    sha256: ref.sha256,
    content: contentSha256(ref),
    rows: ref.rows,
    cols: ref.cols,
    classes: ref.classes,
  };
}

/**
 * A plain copy of the data's bytes: sockets do not take views of a SharedArrayBuffer.
 */
const copyOf = (bytes: Uint8Array) => Buffer.from(bytes.slice().buffer);

/** Stores the data set unless Redis already holds it; either way it lives DATA_TTL_SECONDS more. */
export async function storeData(redis: Redis, ref: SharedDataRef): Promise<void> {
  const key = keys.data(ref.sha256);
  if ((await redis.expire(key, DATA_TTL_SECONDS)) === 1) return;
  const meta: StoredMeta = { rows: ref.rows, cols: ref.cols, classes: ref.classes };
  await redis
    .multi()
    .hset(key, { meta: JSON.stringify(meta), features: copyOf(featureBytes(ref)), labels: copyOf(labelBytes(ref)) })
    .expire(key, DATA_TTL_SECONDS)
    .exec();
}

/** Fetches one data set into fresh shared memory, checked against the job's hash of its bytes. */
async function fetchData(redis: Redis, ref: HashDataRef): Promise<SharedDataRef> {
  const [features, labels] = await redis.hmgetBuffer(keys.data(ref.sha256), 'features', 'labels');
  const name = `data set ${ref.sha256.slice(0, 12)}`;
  if (!features || !labels)
    throw new DataError(
      `${name} is not in Redis (expired, or Redis restarted without persistence); start the run again`,
    );
  const expected = ref.rows * ref.cols * Float64Array.BYTES_PER_ELEMENT;
  if (features.length !== expected || labels.length !== ref.rows * Int32Array.BYTES_PER_ELEMENT)
    throw new DataError(
      `${name} in Redis is not the coordinator's: ${features.length + labels.length} bytes where ${ref.rows} rows of ${ref.cols} features take ${expected + ref.rows * 4}; delete ${keys.data(ref.sha256)} and start the run again`,
    );
  const fetched = bytesHash(features, labels);
  if (fetched !== ref.content)
    throw new DataError(
      `${name} in Redis is not the coordinator's: its bytes hash to ${fetched.slice(0, 12)}, the coordinator's to ${ref.content.slice(0, 12)} (changed in Redis); delete ${keys.data(ref.sha256)} and start the run again`,
    );
  const sharedFeatures = new SharedArrayBuffer(features.length);
  new Uint8Array(sharedFeatures).set(features);
  const sharedLabels = new SharedArrayBuffer(labels.length);
  new Uint8Array(sharedLabels).set(labels);
  const shared: SharedDataRef = {
    kind: 'shared',
    sha256: ref.sha256,
    rows: ref.rows,
    cols: ref.cols,
    classes: ref.classes,
    features: sharedFeatures,
    labels: sharedLabels,
  };
  contentHashes.set(sharedFeatures, fetched);
  return shared;
}

/**
 * A worker's data sets by content: each fetched once, however many tasks ask for it at the same
 * time. Only the most recent few stay, so a long-lived worker serving many runs keeps bounded memory.
 */
export class DataCache {
  private readonly entries = new Map<string, Promise<SharedDataRef>>();

  constructor(
    private readonly redis: Redis,
    private readonly capacity = 8,
  ) {}

  resolve(ref: HashDataRef): Promise<SharedDataRef> {
    // By both hashes: a job that names other bytes under the same data set is not served from the cache.
    const id = `${ref.sha256}:${ref.content}`;
    let entry = this.entries.get(id);
    if (entry) {
      // Most recently used last.
      this.entries.delete(id);
    } else {
      entry = fetchData(this.redis, ref);
      // A failed fetch is not cached: the next task tries again.
      entry.catch(() => this.entries.get(id) === entry && this.entries.delete(id));
    }
    this.entries.set(id, entry);
    while (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value as string);
    return entry;
  }
}

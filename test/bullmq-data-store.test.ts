import { Redis } from 'ioredis';
import { describe, expect, it, onTestFinished } from 'vitest';
import { DataCache, storeData, toHashRef } from '../src/execution/bullmq/data-store.js';
import { startRedisServer } from './support/local-cluster.js';
import { loadIris } from '../src/data/iris.js';
import { toDataRef } from '../src/train/plan.js';

describe('data sets in Redis by content hash (real redis-server)', () => {
  it('stored once with an expiry, fetched once per hash into shared memory, checked on the way', async () => {
    const server = await startRedisServer();
    const redis = new Redis(server.url);
    onTestFinished(async () => {
      redis.disconnect();
      await server.stop(true);
    });
    const shared = toDataRef(loadIris());
    const key = `trainpool-data:${shared.sha256}`;

    await storeData(redis, shared);
    expect(await redis.ttl(key)).toBeGreaterThan(6 * 24 * 3600);
    // Storing again only renews the expiry: the bytes are not sent twice.
    await redis.hset(key, 'marker', 'kept');
    await storeData(redis, shared);
    expect(await redis.hget(key, 'marker')).toBe('kept');

    const ref = toHashRef(shared);
    expect(JSON.parse(JSON.stringify(ref))).toEqual(ref);
    const cache = new DataCache(redis);
    const first = cache.resolve(ref);
    expect(cache.resolve(ref)).toBe(first);
    const fetched = await first;
    expect(fetched.kind).toBe('shared');
    expect(fetched.features).toBeInstanceOf(SharedArrayBuffer);
    expect(new Float64Array(fetched.features)).toEqual(new Float64Array(shared.features));
    expect(new Int32Array(fetched.labels)).toEqual(new Int32Array(shared.labels));

    // A loader's buffers may run past the data (CSV tables grow in steps): only the data travels.
    const longer = (buffer: SharedArrayBuffer) => {
      const copy = new SharedArrayBuffer(buffer.byteLength + 64);
      new Uint8Array(copy).set(new Uint8Array(buffer));
      return copy;
    };
    await redis.del(key);
    await storeData(redis, { ...shared, features: longer(shared.features), labels: longer(shared.labels) });
    const refetched = await new DataCache(redis).resolve(ref);
    expect(refetched.features.byteLength).toBe(shared.rows * shared.cols * 8);
    expect(new Float64Array(refetched.features)).toEqual(new Float64Array(shared.features));

    const labels = Buffer.from(new Uint8Array(shared.labels).slice());
    labels[0] = 9;
    await redis.hset(key, 'labels', labels);
    await expect(new DataCache(redis).resolve(ref)).rejects.toThrow(
      new RegExp(
        `data set [0-9a-f]{12} in Redis is not the coordinator's: its bytes hash to [0-9a-f]{12}, the coordinator's to ${ref.content.slice(0, 12)} \\(changed in Redis\\); delete ${key} and start the run again`,
      ),
    );
    await redis.del(key);
    await expect(new DataCache(redis).resolve(ref)).rejects.toThrow(
      /data set [0-9a-f]{12} is not in Redis \(expired, or Redis restarted without persistence\)/,
    );
  });
});

/**
 * The price book of a worker. Without MLCOST_PRICES_REFRESH: the embedded snapshot or the
 * MLCOST_PRICES file, as the App has always done. With it, and Redis: the refreshed snapshot is
 * shared through Redis (gzip, `<prefix>:prices:snapshot`), so one replica refreshes from the AWS
 * Price List API per interval and every replica prices with the same snapshot.
 */
import { gunzipSync, gzipSync } from 'node:zlib';
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { appPrices } from '../adapters/price-refresher.js';
import type { RefreshLog, SharedSnapshots } from '../adapters/price-refresher.js';
import { validateSnapshot } from '../pricing/catalog/price-book.js';
import type { SnapshotPriceBook } from '../pricing/catalog/price-book.js';

export function redisSnapshots(redis: Redis, prefix: string): SharedSnapshots {
  const body = `${prefix}:prices:snapshot`;
  const stamp = `${prefix}:prices:published`;
  const lock = `${prefix}:prices:refresh-lock`;
  return {
    async publishedAt() {
      const v = await redis.get(stamp);
      return v === null ? null : Number(v);
    },
    async load() {
      const [gz, at] = await Promise.all([redis.getBuffer(body), redis.get(stamp)]);
      if (!gz || at === null) return null;
      return { snapshot: validateSnapshot(JSON.parse(gunzipSync(gz).toString('utf8'))), publishedAt: Number(at) };
    },
    async claim(ttlMs) {
      return (await redis.set(lock, randomUUID(), 'PX', ttlMs, 'NX')) === 'OK';
    },
    async publish(snapshot) {
      const at = Date.now();
      await redis.multi().set(body, gzipSync(JSON.stringify(snapshot))).set(stamp, String(at)).del(lock).exec();
      return at;
    },
  };
}

export interface WorkerPrices {
  current(): SnapshotPriceBook;
  stop(): void;
}

export async function sharedAppPrices(env: Record<string, string | undefined>, redis: Redis | null, prefix: string, log: RefreshLog): Promise<WorkerPrices> {
  const shared = redis && env['MLCOST_PRICES_REFRESH'] ? redisSnapshots(redis, prefix) : undefined;
  const p = appPrices(env, log, shared);
  return { current: () => p.current(), stop: () => p.refresher?.stop() };
}

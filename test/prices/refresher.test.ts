/** The app's background price refresh: swaps on success, keeps the last good book on failure, caches. */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { existsSync, mkdtempSync, rmSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { appPrices, createPriceRefresher, parseRefreshInterval, type RefreshLog } from '../../src/adapters/price-refresher.js';
import { loadEmbeddedPriceBook, readSnapshotFile } from '../../src/adapters/snapshot-file.js';
import type { Snapshot } from '../../src/pricing/catalog/price-book.js';
import { keys } from '../../src/pricing/keys.js';
import { startAwsStandin, standinEnv, useEnv, type AwsStandin } from '../helpers/aws-standin.js';
import { standinCatalog } from '../fixtures/pricing/price-list-api/items.js';

const embedded = loadEmbeddedPriceBook();

function logger(): RefreshLog & { lines: string[] } {
  const lines: string[] = [];
  return { lines, info: (m) => lines.push(`info ${m}`), warn: (m) => lines.push(`warn ${m}`), error: (m) => lines.push(`error ${m}`) };
}

function withDate(s: Snapshot, date: string): Snapshot {
  return { ...s, capturedAt: date, generatedBy: 'mlcost prices update (base: test)' };
}

let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'mlcost-refresh-'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('createPriceRefresher', () => {
  it('takes a refreshed snapshot, caches it, and keeps the last good one when a refresh fails', async () => {
    const log = logger();
    const cacheFile = join(tmp, 'cache-a.json');
    const results = [
      async (s: Snapshot) => ({ snapshot: withDate(s, '2026-11-28'), message: '10 prices refreshed' }),
      async () => ({ snapshot: null, message: 'no usable AWS credentials' }),
      async () => {
        throw new Error('network down');
      },
    ];
    let calls = 0;
    const refresher = createPriceRefresher({ initial: embedded, cacheFile, log, refresh: (s) => (results[calls++] as (s: Snapshot) => Promise<{ snapshot: Snapshot | null; message: string }>)(s) });
    const delegate = refresher.book;
    expect(delegate.meta).toEqual(embedded.meta);

    expect(await refresher.refreshNow()).toBe(true);
    expect(refresher.current().meta).toEqual({ source: 'live', capturedAt: '2026-11-28' });
    expect(delegate.meta.capturedAt).toBe('2026-11-28');
    expect(existsSync(cacheFile)).toBe(true);
    expect(readSnapshotFile(cacheFile).capturedAt).toBe('2026-11-28');

    expect(await refresher.refreshNow()).toBe(false);
    expect(await refresher.refreshNow()).toBe(false);
    expect(refresher.current().meta.capturedAt).toBe('2026-11-28');
    expect(delegate.lookup(keys.ec2Instance('us-east-1', 'm5.large'))).toMatchObject({ ok: true, price: { usd: 0.096 } });
    expect(refresher.status()).toMatchObject({ source: 'live', capturedAt: '2026-11-28', lastError: 'network down' });
    expect(log.lines).toEqual([
      'info mlcost: prices refreshed (2026-11-28): 10 prices refreshed',
      'error mlcost: price refresh failed; keeping the prices of 2026-11-28 (live): no usable AWS credentials',
      'error mlcost: price refresh failed; keeping the prices of 2026-11-28 (live): network down',
    ]);
  });

  it('runs one refresh at a time, and on a schedule once started', async () => {
    let calls = 0;
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const refresher = createPriceRefresher({
      initial: embedded,
      refresh: async (s) => {
        calls++;
        await gate;
        return { snapshot: s, message: 'ok' };
      },
    });
    const a = refresher.refreshNow();
    const b = refresher.refreshNow();
    release();
    expect(await a).toBe(true);
    expect(await b).toBe(true);
    expect(calls).toBe(1);

    refresher.start(60 * 60000, 0);
    expect(refresher.status().nextAt).toBeDefined();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(calls).toBe(2);
    refresher.stop();
    expect(refresher.status().nextAt).toBeUndefined();
  });

  it('parses MLCOST_PRICES_REFRESH', () => {
    expect(parseRefreshInterval('24h')).toBe(86400000);
    expect(parseRefreshInterval('90m')).toBe(5400000);
    expect(parseRefreshInterval('2d')).toBe(172800000);
    expect(() => parseRefreshInterval('5m')).toThrow(/at least 15m/);
    expect(() => parseRefreshInterval('daily')).toThrow(/expected a duration like 24h/);
  });
});

describe('appPrices (the app\'s price book) against the stand-in', () => {
  let standin: AwsStandin;
  let restore: () => void;
  beforeAll(async () => {
    standin = await startAwsStandin({ products: standinCatalog() });
    restore = useEnv(standinEnv(standin.url));
  });
  afterAll(async () => {
    restore();
    await standin.close();
  });

  it('without MLCOST_PRICES_REFRESH: the snapshot as before, no refresher', () => {
    const prices = appPrices({});
    expect(prices.refresher).toBeUndefined();
    expect(prices.current().meta.source).toBe('embedded');
  });

  it('refreshes in the background into the cache, and starts from a fresh cache next time', async () => {
    const cache = join(tmp, 'cache-app.json');
    const env = { MLCOST_PRICES_REFRESH: '24h', MLCOST_PRICES_CACHE: cache, MLCOST_PRICES_REGIONS: 'us-east-1', MLCOST_PRICES_SERVICES: 'AmazonEC2,AmazonECS' };
    const log = logger();
    const first = appPrices(env, log);
    const refresher = first.refresher;
    if (!refresher) throw new Error('expected a refresher');
    try {
      expect(await refresher.refreshNow()).toBe(true);
      expect(first.current().meta).toMatchObject({ source: 'live', capturedAt: new Date().toISOString().slice(0, 10) });
      expect(first.book.lookup(keys.fargateVcpu('us-east-1'))).toMatchObject({ ok: true, price: { source: 'aws-price-list-AmazonECS' } });
      expect(log.lines[0]).toMatch(/^info mlcost: prices \d{4}-\d{2}-\d{2} \(embedded\); refreshing from the AWS Price List API every 24h/);
    } finally {
      refresher.stop();
    }
    // A restart: the cache is the starting point; the next refresh waits for the rest of the interval.
    const second = appPrices(env, logger());
    try {
      expect(second.current().meta.source).toBe('live');
      const next = Date.parse(second.refresher?.status().nextAt ?? '');
      expect(next - Date.now()).toBeGreaterThan(23 * 3600000);
    } finally {
      second.refresher?.stop();
    }
    // An old cache: refreshed at once.
    utimesSync(cache, new Date(Date.now() - 3 * 86400000), new Date(Date.now() - 3 * 86400000));
    const third = appPrices(env, logger());
    try {
      expect(Date.parse(third.refresher?.status().nextAt ?? '') - Date.now()).toBeLessThan(1000);
    } finally {
      third.refresher?.stop();
    }
  });

  it('rejects a bad interval at start-up', () => {
    expect(() => appPrices({ MLCOST_PRICES_REFRESH: 'sometimes' })).toThrow(/MLCOST_PRICES_REFRESH="sometimes": expected a duration/);
  });
});

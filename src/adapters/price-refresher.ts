/**
 * Keeps a long-running process's price book fresh (the GitHub App): refreshes the snapshot from
 * the AWS Price List API on a schedule, in the background, and swaps the book only when a refresh
 * produced a usable snapshot. A failed refresh keeps the last good book, logs why, and is tried
 * again sooner than the full interval. A refreshed snapshot is cached in a file, so a restart
 * starts from it instead of fetching again.
 *
 * Environment (read by `appPriceBook`):
 *   MLCOST_PRICES            snapshot file to start from (default: the embedded snapshot)
 *   MLCOST_PRICES_REFRESH    refresh interval: `24h`, `12h`, `90m`, `2d` (at least 15m); unset: no refresh
 *   MLCOST_PRICES_CACHE      where refreshed snapshots are written (default: <tmpdir>/mlcost-prices-cache.json)
 *   MLCOST_PRICES_REGIONS    regions to refresh, comma-separated (default: every region of the snapshot)
 *   MLCOST_PRICES_SERVICES   Price List service codes, comma-separated (default: all mlcost prices)
 *   MLCOST_PRICES_SPOT       `1`/`true`: also average 7 days of EC2 spot price history
 */
import { existsSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { InstanceSpec, PriceBook, SpotAdvice } from '../core/ports.js';
import type { PriceLookup, PricesMeta, PriceQuery } from '../core/types.js';
import { createPriceBook, type Snapshot, type SnapshotPriceBook } from '../pricing/catalog/price-book.js';
import { outcomeOf, updatePrices, type UpdateReport } from './price-update.js';
import { loadPriceBook, loadPriceBookFile, writeSnapshotFile } from './snapshot-file.js';

export interface RefreshLog {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

/** What one refresh attempt gave: a snapshot to use (null: nothing usable) and a line for the log. */
export interface RefreshResult {
  snapshot: Snapshot | null;
  message: string;
  /** Some prices could not be refreshed (they are kept from the previous snapshot). */
  partial?: boolean;
  /** Nothing to do this time (another replica refreshes; see `SharedSnapshots`): not a failure, tried again after `retryMs`. */
  skipped?: boolean;
}

/**
 * Snapshots shared by the replicas of a deployment (the Redis implementation is
 * src/app/shared-prices.ts): one replica refreshes from the AWS Price List API and publishes; the
 * others take its snapshot instead of fetching their own.
 */
export interface SharedSnapshots {
  /** When the newest shared snapshot was published (ms since the epoch); null when none is. */
  publishedAt(): Promise<number | null>;
  load(): Promise<{ snapshot: Snapshot; publishedAt: number } | null>;
  /** Claims the next refresh for `ttlMs`; false when another replica holds the claim. */
  claim(ttlMs: number): Promise<boolean>;
  publish(snapshot: Snapshot): Promise<number>;
}

export interface PriceRefresherOptions {
  initial: SnapshotPriceBook;
  /** One refresh over the current snapshot (default in appPriceBook: updatePrices). */
  refresh: (current: Snapshot) => Promise<RefreshResult>;
  /** File a refreshed snapshot is written to (atomically), for the next start. */
  cacheFile?: string;
  log?: RefreshLog;
  /** After a failed refresh, the next try comes after this many ms (default: 1 h, or the interval if shorter). */
  retryMs?: number;
  now?: () => number;
}

export interface RefreshStatus {
  source: PricesMeta['source'];
  capturedAt: string;
  lastAttemptAt?: string;
  lastSuccessAt?: string;
  lastError?: string;
  nextAt?: string;
}

export interface PriceRefresher {
  /**
   * A book that always answers from the current snapshot. Within one analysis prefer `current()`:
   * a swap between the base and the head breakdown would price them with different snapshots.
   */
  readonly book: PriceBook;
  /** The book of the last good snapshot. */
  current(): SnapshotPriceBook;
  /** Refreshes every `intervalMs`, the first time after `firstDelayMs` (default: at once). */
  start(intervalMs: number, firstDelayMs?: number): void;
  stop(): void;
  /** One refresh now (waits for one already running); true when a new book was taken. */
  refreshNow(): Promise<boolean>;
  status(): RefreshStatus;
}

const HOUR = 3600000;

export function createPriceRefresher(options: PriceRefresherOptions): PriceRefresher {
  const now = options.now ?? Date.now;
  const log = options.log;
  let current = options.initial;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let interval = 0;
  let running: Promise<boolean> | undefined;
  let stopped = true;
  const status: Omit<RefreshStatus, 'source' | 'capturedAt'> = {};

  async function attempt(): Promise<boolean> {
    status.lastAttemptAt = new Date(now()).toISOString();
    try {
      const result = await options.refresh(current.snapshot());
      if (result.snapshot === null && result.skipped) {
        log?.info(`mlcost: ${result.message}`);
        return false;
      }
      if (result.snapshot === null) throw new Error(result.message);
      const book = createPriceBook(result.snapshot, { source: 'live' });
      if (options.cacheFile) {
        try {
          writeSnapshotFile(options.cacheFile, result.snapshot);
        } catch (e) {
          log?.warn(`mlcost: prices refreshed but not cached to ${options.cacheFile}: ${(e as Error).message}`);
        }
      }
      current = book;
      status.lastSuccessAt = status.lastAttemptAt;
      delete status.lastError;
      (result.partial ? log?.warn : log?.info)?.(`mlcost: prices refreshed (${book.meta.capturedAt}): ${result.message}`);
      return true;
    } catch (e) {
      status.lastError = (e as Error).message;
      log?.error(`mlcost: price refresh failed; keeping the prices of ${current.meta.capturedAt} (${current.meta.source}): ${status.lastError}`);
      return false;
    }
  }

  function schedule(delay: number): void {
    if (stopped) return;
    status.nextAt = new Date(now() + delay).toISOString();
    timer = setTimeout(() => {
      void refreshNow().then((ok) => schedule(ok ? interval : Math.min(interval, options.retryMs ?? HOUR)));
    }, delay);
    // A scheduled refresh never keeps the process alive by itself.
    timer.unref?.();
  }

  function refreshNow(): Promise<boolean> {
    running ??= attempt().finally(() => {
      running = undefined;
    });
    return running;
  }

  const book: PriceBook = {
    get meta(): PricesMeta {
      return current.meta;
    },
    lookup: (q: PriceQuery): PriceLookup => current.lookup(q),
    instanceSpec: (t: string): InstanceSpec | undefined => current.instanceSpec(t),
    spotAdvice: (region: string, t: string): SpotAdvice | undefined => current.spotAdvice(region, t),
    regions: (): string[] => current.regions(),
  };

  return {
    book,
    current: () => current,
    start(intervalMs: number, firstDelayMs = 0): void {
      if (!(intervalMs > 0)) throw new Error('refresh interval must be positive');
      interval = intervalMs;
      stopped = false;
      if (timer) clearTimeout(timer);
      schedule(Math.max(0, firstDelayMs));
    },
    stop(): void {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = undefined;
      delete status.nextAt;
    },
    refreshNow,
    status: () => ({ source: current.meta.source, capturedAt: current.meta.capturedAt, ...status }),
  };
}

export const MIN_REFRESH_MS = 15 * 60000;

/** `24h`, `90m`, `2d`, `3600s` -> milliseconds; throws on anything else or below 15 minutes. */
export function parseRefreshInterval(text: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(s|m|h|d)\s*$/i.exec(text);
  if (!m?.[1] || !m[2]) throw new Error(`MLCOST_PRICES_REFRESH=${JSON.stringify(text)}: expected a duration like 24h, 12h, 90m or 2d`);
  const unit = { s: 1000, m: 60000, h: HOUR, d: 24 * HOUR }[m[2].toLowerCase() as 's' | 'm' | 'h' | 'd'];
  const ms = Math.round(Number(m[1]) * unit);
  if (ms < MIN_REFRESH_MS) throw new Error(`MLCOST_PRICES_REFRESH=${text}: at least 15m (the Price List API is rate-limited)`);
  return ms;
}

function csv(v: string | undefined): string[] | undefined {
  const items = v?.split(',').map((s) => s.trim()).filter(Boolean);
  return items && items.length > 0 ? items : undefined;
}

function describe(report: UpdateReport): string {
  const parts = [`${report.refreshedPrices} prices refreshed, ${report.keptPrices} kept`];
  if (report.failed.length) parts.push(`failed: ${report.failed.slice(0, 5).map((f) => `${f.service} ${f.region} (${f.kind})`).join(', ')}${report.failed.length > 5 ? ', ...' : ''}`);
  if (report.spot?.failed.length) parts.push(`spot failed: ${report.spot.failed.map((f) => f.region).join(', ')}`);
  return parts.join('; ');
}

/**
 * The app's price book. Without MLCOST_PRICES_REFRESH: the MLCOST_PRICES file or the embedded
 * snapshot, as before. With it: a refresher started in the background (from the cache file when it
 * is newer than the start snapshot), returned so the app can take `current()` per analysis.
 */
export function appPrices(
  env: Record<string, string | undefined>,
  log?: RefreshLog,
  shared?: SharedSnapshots,
): { book: PriceBook; current(): SnapshotPriceBook; refresher?: PriceRefresher } {
  const start = loadPriceBook(env.MLCOST_PRICES || undefined);
  if (!env.MLCOST_PRICES_REFRESH) return { book: start, current: () => start };
  const interval = parseRefreshInterval(env.MLCOST_PRICES_REFRESH);
  const cacheFile = env.MLCOST_PRICES_CACHE || join(tmpdir(), 'mlcost-prices-cache.json');
  let initial = start;
  let firstDelay = 0;
  if (existsSync(cacheFile)) {
    try {
      const cached = loadPriceBookFile(cacheFile);
      if (cached.meta.capturedAt >= start.meta.capturedAt) {
        initial = cached;
        // Refresh when the cached file has had its full interval.
        firstDelay = Math.max(0, statSync(cacheFile).mtimeMs + interval - Date.now());
      }
    } catch (e) {
      log?.warn(`mlcost: ignoring the price cache ${cacheFile}: ${(e as Error).message}`);
    }
  }
  const services = csv(env.MLCOST_PRICES_SERVICES);
  const regions = csv(env.MLCOST_PRICES_REGIONS);
  const spot = /^(1|true|yes)$/i.test(env.MLCOST_PRICES_SPOT ?? '');
  // With shared snapshots, a replica that did not refresh looks for another's every few minutes.
  const sharedPollMs = Math.min(interval, 5 * 60000);
  let adopted = 0;
  const refresher = createPriceRefresher({
    initial,
    cacheFile,
    ...(log ? { log } : {}),
    ...(shared ? { retryMs: sharedPollMs } : {}),
    refresh: async (current): Promise<RefreshResult> => {
      if (shared) {
        const published = await shared.publishedAt();
        if (published !== null && published > adopted) {
          const loaded = await shared.load();
          if (loaded && loaded.snapshot.capturedAt >= current.capturedAt) {
            adopted = loaded.publishedAt;
            return { snapshot: loaded.snapshot, message: `taken from the shared cache (published ${new Date(loaded.publishedAt).toISOString()} by another replica)` };
          }
        }
        if (published !== null && Date.now() - published < interval) return { snapshot: null, skipped: true, message: 'prices are current (shared by another replica); looking again later' };
        if (!(await shared.claim(30 * 60000))) return { snapshot: null, skipped: true, message: 'another replica is refreshing the prices; looking again later' };
      }
      const report = await updatePrices({ base: current, ...(services ? { services } : {}), ...(regions ? { regions } : {}), spot });
      const outcome = outcomeOf(report);
      if (shared && report.snapshot) {
        try {
          adopted = await shared.publish(report.snapshot);
        } catch (e) {
          log?.warn(`mlcost: prices refreshed but not shared with the other replicas: ${(e as Error).message}`);
        }
      }
      return { snapshot: report.snapshot, partial: outcome === 'partial', message: report.fatal?.message ?? describe(report) };
    },
  });
  // Shared: the cache file is this replica's; the shared snapshot decides when to refresh.
  refresher.start(interval, shared ? 0 : firstDelay);
  log?.info(
    `mlcost: prices ${initial.meta.capturedAt} (${initial.meta.source}); refreshing from the AWS Price List API every ${env.MLCOST_PRICES_REFRESH}, ` +
      `next at ${refresher.status().nextAt ?? 'once started'}; cache ${cacheFile}`,
  );
  return { book: refresher.book, current: () => refresher.current(), refresher };
}

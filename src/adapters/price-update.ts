/**
 * A price refresh: reads today's prices from the AWS Price List API (and, on request, the last 7
 * days of EC2 spot price history), normalizes them with the snapshot build's normalizer, and lays
 * them over a base snapshot. What could not be fetched keeps its base prices, with their old
 * dates, and is reported. Used by `mlcost prices update` and by the app's scheduled refresh.
 */
import { normalizeOfferProducts } from '../pricing/catalog/offer-normalizer.js';
import type { Snapshot, SnapshotRefresh } from '../pricing/catalog/price-book.js';
import { SPOT_HISTORY_NOTE, entryOfPrice, mergeSnapshot, snapshotEntries, type SnapshotEntry, type SourceInfo } from '../pricing/catalog/snapshot-edit.js';
import { averageSpotPrices } from '../pricing/catalog/spot-history.js';
import { closest } from '../policy/schema.js';
import {
  PRICE_LIST_ENDPOINT_REGIONS,
  PRICE_LIST_SERVICES,
  classifyAwsError,
  createPriceListFetcher,
  type AwsFailure,
  type Log,
  type PriceListFetcher,
  type RetryOptions,
} from './aws-price-list.js';
import { fetchSpotHistory } from './aws-spot-history.js';

export interface UpdateOptions {
  /** The snapshot whose prices are kept where the refresh fails (the embedded one, or `--base`). */
  base: Snapshot;
  /** Price List service codes (default: all of PRICE_LIST_SERVICES). */
  services?: string[];
  /** Region codes (default: every region of the base snapshot). */
  regions?: string[];
  /** Now (default: the clock); its UTC day dates the refreshed prices. */
  now?: Date;
  endpointRegion?: string;
  /** Also read 7 days of EC2 spot price history. */
  spot?: boolean;
  /** Instance types for the spot history (default: the region's EC2 on-demand types). */
  instanceTypes?: string[];
  /** Service/region pairs fetched at once (default 2: the Price List API throttles early). */
  concurrency?: number;
  retry?: RetryOptions;
  log?: Log;
  /** Injected in tests; default: the AWS SDK client. */
  fetcher?: PriceListFetcher;
}

export interface UpdateReport {
  /** null when nothing could be fetched. */
  snapshot: Snapshot | null;
  date: string;
  fetched: { service: string; region: string; products: number; prices: number }[];
  failed: { service: string; region: string; kind: AwsFailure['kind']; reason: string }[];
  spot: { fetched: { region: string; types: number; records: number }[]; failed: { region: string; reason: string }[] } | null;
  /** A failure that stopped the run (no or refused credentials). */
  fatal: AwsFailure | null;
  /** Products read but not priced (other operating systems, $0 Capacity Block SKUs, ...). */
  skippedProducts: number;
  /** Prices in the written snapshot that were refreshed, and kept from the base. */
  refreshedPrices: number;
  keptPrices: number;
}

export type UpdateOutcome = 'ok' | 'partial' | 'nothing';

/** ok: everything fetched; partial: some failed (their old prices kept); nothing: no price fetched. */
export function outcomeOf(report: UpdateReport): UpdateOutcome {
  if (report.snapshot === null) return 'nothing';
  return report.failed.length > 0 || (report.spot?.failed.length ?? 0) > 0 ? 'partial' : 'ok';
}

export const SPOT_HISTORY_SOURCE = 'aws-ec2-spot-history';

export function priceListSourceId(service: string): string {
  return `aws-price-list-${service}`;
}

/** Checks service codes and regions; returns the problems in words (empty when fine). */
export function checkUpdateArguments(services: readonly string[], regions: readonly string[], endpointRegion?: string): string[] {
  const problems: string[] = [];
  const known: readonly string[] = PRICE_LIST_SERVICES;
  for (const s of services) {
    if (known.includes(s)) continue;
    const hint = closest(s, known);
    problems.push(`unknown service code ${JSON.stringify(s)}${hint ? `; did you mean ${hint}?` : `; known: ${known.join(', ')}`}`);
  }
  for (const r of regions) if (!/^[a-z]{2}(-[a-z]+)+-\d+$/.test(r)) problems.push(`not a region code: ${JSON.stringify(r)} (like us-east-1)`);
  const endpoints: readonly string[] = PRICE_LIST_ENDPOINT_REGIONS;
  if (endpointRegion !== undefined && !endpoints.includes(endpointRegion)) {
    problems.push(`the Price List API has no endpoint in ${endpointRegion}: use one of ${endpoints.join(', ')}`);
  }
  return problems;
}

/** Regions of a snapshot that have prices (not `global`). */
export function snapshotRegions(snapshot: Snapshot): string[] {
  const regions = new Set<string>();
  for (const byRegion of Object.values(snapshot.prices)) for (const r of Object.keys(byRegion)) if (r !== 'global') regions.add(r);
  return [...regions].sort();
}

async function pool<T>(items: T[], size: number, run: (item: T) => Promise<void>, stop: () => boolean): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length && !stop()) {
      const item = items[next++] as T;
      await run(item);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(size, items.length)) }, worker));
}

export async function updatePrices(options: UpdateOptions): Promise<UpdateReport> {
  const now = options.now ?? new Date();
  const date = now.toISOString().slice(0, 10);
  const services = options.services ?? [...PRICE_LIST_SERVICES];
  const regions = options.regions ?? snapshotRegions(options.base);
  const log = options.log;
  const problems = checkUpdateArguments(services, regions, options.endpointRegion);
  if (problems.length > 0) throw new Error(problems.join('\n'));
  const fetcher = options.fetcher ?? createPriceListFetcher({ endpointRegion: options.endpointRegion, retry: options.retry, log });

  const report: UpdateReport = {
    snapshot: null,
    date,
    fetched: [],
    failed: [],
    spot: null,
    fatal: null,
    skippedProducts: 0,
    refreshedPrices: 0,
    keptPrices: 0,
  };
  const fresh: SnapshotEntry[] = [];
  const sourcesUsed = new Set<string>();

  const units = services.flatMap((service) => regions.map((region) => ({ service, region })));
  await pool(
    units,
    options.concurrency ?? 2,
    async ({ service, region }) => {
      try {
        const items = await fetcher.products(service, region);
        let skipped = 0;
        const prices = normalizeOfferProducts(items, { asOf: date, locations: options.base.locations, onSkip: () => skipped++ }).filter(
          (p) => p.region === region,
        );
        const source = priceListSourceId(service);
        for (const p of prices) fresh.push(entryOfPrice(p, source, date));
        if (prices.length > 0) sourcesUsed.add(service);
        report.skippedProducts += skipped;
        report.fetched.push({ service, region, products: items.length, prices: prices.length });
        log?.(`${service} ${region}: ${prices.length} prices from ${items.length} products`);
      } catch (e) {
        const failure = classifyAwsError(e);
        if (failure.fatal) report.fatal ??= failure;
        report.failed.push({ service, region, kind: failure.kind, reason: failure.message });
        log?.(`${service} ${region}: failed: ${failure.message}`);
      }
    },
    () => report.fatal !== null,
  );
  // Pairs never started because a fatal failure stopped the run.
  for (const u of units) {
    const done = report.fetched.some((f) => f.service === u.service && f.region === u.region) || report.failed.some((f) => f.service === u.service && f.region === u.region);
    if (!done && report.fatal) report.failed.push({ ...u, kind: report.fatal.kind, reason: 'not fetched: the run stopped at the credentials error' });
  }

  if (options.spot && report.fatal === null) {
    report.spot = { fetched: [], failed: [] };
    const typesByRegion = new Map<string, Set<string>>();
    for (const e of [...snapshotEntries(options.base), ...fresh]) {
      if (e.service === 'AmazonEC2' && e.key.startsWith('instance:')) {
        const set = typesByRegion.get(e.region) ?? new Set<string>();
        set.add(e.key.slice('instance:'.length));
        typesByRegion.set(e.region, set);
      }
    }
    const end = now;
    const start = new Date(end.getTime() - 7 * 86400000);
    for (const region of regions) {
      const types = options.instanceTypes ?? [...(typesByRegion.get(region) ?? [])].sort();
      if (types.length === 0) continue;
      try {
        const records = await fetchSpotHistory({ region, instanceTypes: types, end, days: 7, retry: options.retry, log });
        const averages = averageSpotPrices(records, start.getTime(), end.getTime());
        for (const [type, avg] of averages) {
          fresh.push({ service: 'AmazonEC2', region, key: `spot:${type}`, value: avg.usd, source: SPOT_HISTORY_SOURCE, unit: 'USD/hour', note: SPOT_HISTORY_NOTE, date });
        }
        if (averages.size > 0) sourcesUsed.add(SPOT_HISTORY_SOURCE);
        report.spot.fetched.push({ region, types: averages.size, records: records.length });
        log?.(`spot price history ${region}: ${averages.size} instance types from ${records.length} records`);
      } catch (e) {
        const failure = classifyAwsError(e);
        if (failure.fatal) report.fatal ??= failure;
        report.spot.failed.push({ region, reason: failure.message });
        log?.(`spot price history ${region}: failed: ${failure.message}`);
        if (failure.fatal) break;
      }
    }
  }

  if (fresh.length === 0) return report;

  const endpointRegion = fetcher.endpointRegion;
  const sources: SourceInfo[] = [...sourcesUsed].map((id) =>
    id === SPOT_HISTORY_SOURCE
      ? {
          id,
          name: 'EC2 spot price history, 7-day average per instance type and region (Linux/UNIX, all availability zones)',
          origin: 'Amazon EC2 API DescribeSpotPriceHistory',
          date,
          dataFiles: [],
          note: 'Time-weighted in each availability zone over the 7 days before the refresh, then averaged over the zones.',
        }
      : {
          id: priceListSourceId(id),
          name: `AWS Price List API: ${id} on-demand prices`,
          origin: `AWS Price List Query API GetProducts (endpoint ${endpointRegion}), ServiceCode ${id}, FormatVersion aws_v1`,
          date,
          dataFiles: [],
          note: 'Each price is dated the day it was read from the API; the month its rate took effect is in its note.',
        },
  );
  const refresh: SnapshotRefresh = {
    date,
    endpointRegion,
    services: [...services],
    regions: [...regions],
    failed: report.failed.map(({ service, region, reason }) => ({ service, region, reason })),
  };
  if (report.spot) refresh.spot = { regions: report.spot.fetched.map((f) => f.region), failed: report.spot.failed };
  report.snapshot = mergeSnapshot({
    base: options.base,
    entries: fresh,
    sources,
    date,
    refresh,
    respotFrom: sourcesUsed.has('AmazonEC2') ? [priceListSourceId('AmazonEC2')] : [],
  });
  const refreshedIds = new Set(sources.map((s) => s.id));
  for (const e of snapshotEntries(report.snapshot)) {
    if (refreshedIds.has(e.source) && e.date === date) report.refreshedPrices++;
    else report.keptPrices++;
  }
  return report;
}

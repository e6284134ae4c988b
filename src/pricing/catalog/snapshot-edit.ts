/**
 * Editing a price snapshot: read it as a flat list of entries, lay fresh prices over it, and write
 * it back in the compact format of `snapshot.json` (the format `validateSnapshot` reads and
 * `serializeSnapshot` writes). Used by `mlcost prices update`; pure (no IO, no clock: the caller
 * gives the date).
 *
 * Every entry keeps its own source and date. A refreshed entry replaces the base entry with the
 * same service, region and key; every other base entry stays as it was, with its old source and
 * date, so a partial refresh never passes an old price off as a new one.
 */
import type { InstanceSpec } from '../../core/ports.js';
import type { NormalizedPrice } from './offer-normalizer.js';
import {
  REFRESH_GENERATOR,
  SNAPSHOT_SCHEMA,
  type Snapshot,
  type SnapshotGroup,
  type SnapshotRefresh,
  type SnapshotSource,
  type SnapshotTier,
  type SnapshotValue,
} from './price-book.js';

/** One price of a snapshot, with its provenance spelled out. */
export interface SnapshotEntry {
  service: string;
  region: string;
  key: string;
  value: SnapshotValue;
  /** Source id (`SnapshotSource.id`). */
  source: string;
  unit: string;
  note?: string;
  /** YYYY-MM-DD. */
  date: string;
  sku?: string;
}

/** A source without its entry count (counted when the snapshot is written). */
export type SourceInfo = Omit<SnapshotSource, 'entries'>;

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function entryId(service: string, region: string, key: string): string {
  return `${service}\u0000${region}\u0000${key}`;
}

/** The entries of a snapshot, as the price book reads them (the first group holding a key wins). */
export function snapshotEntries(snapshot: Snapshot): SnapshotEntry[] {
  const out: SnapshotEntry[] = [];
  for (const [service, regions] of Object.entries(snapshot.prices)) {
    for (const [region, groups] of Object.entries(regions)) {
      const seen = new Set<string>();
      const skus = snapshot.skus?.[service]?.[region];
      for (const group of groups) {
        const source = snapshot.sources[group.s];
        const unit = snapshot.units[group.u];
        if (source === undefined || unit === undefined) throw new Error(`snapshot group of ${service} ${region} refers to a missing source or unit`);
        const note = group.n === undefined ? undefined : snapshot.notes[group.n];
        for (const [key, value] of Object.entries(group.p)) {
          if (seen.has(key)) continue;
          seen.add(key);
          const entry: SnapshotEntry = { service, region, key, value, source: source.id, unit, date: group.d ?? source.date };
          if (note !== undefined) entry.note = note;
          const sku = skus !== undefined && Object.hasOwn(skus, key) ? skus[key] : undefined;
          if (sku !== undefined) entry.sku = sku;
          out.push(entry);
        }
      }
    }
  }
  return out;
}

/** A normalized Price List price as a snapshot entry of `source`, dated `date` (the day it was read). */
export function entryOfPrice(price: NormalizedPrice, source: string, date: string): SnapshotEntry {
  const value: SnapshotValue = price.tiers ? price.tiers.map((t): SnapshotTier => [t.upTo, t.usd]) : price.usd;
  const entry: SnapshotEntry = { service: price.service, region: price.region, key: price.key, value, source, unit: price.unit, date };
  if (price.sku) entry.sku = price.sku;
  if (price.sourceDate !== date) entry.note = effectiveNote(price.sourceDate);
  return entry;
}

/**
 * The note of a refreshed price: the Price List gives the day a rate took effect; the entry's date
 * is the day it was read (when it was last known to be current).
 */
function effectiveNote(effectiveDate: string): string {
  return `AWS Price List rate effective since ${effectiveDate.slice(0, 7)}`;
}

/** Spot estimate note, as the catalog build writes it, for on-demand prices of a refreshed source. */
export function spotEstimateNote(onDemandSource: string, onDemandDate: string): string {
  return `estimate: on-demand (${onDemandSource}, ${onDemandDate}) x (1 - savings%/100) from the AWS Spot Instance Advisor (30-day average over AZs); not a market price`;
}

export const SPOT_HISTORY_NOTE = '7-day average of spot price history (EC2 DescribeSpotPriceHistory, Linux/UNIX; time-weighted in each availability zone, then averaged over the zones)';

function clean(x: number): number {
  return Number(x.toPrecision(12));
}

export interface MergeInput {
  base: Snapshot;
  /** Fresh entries; each replaces the base entry with the same service, region and key. */
  entries: SnapshotEntry[];
  /** Sources of the fresh entries (a base source with the same id is replaced). */
  sources: SourceInfo[];
  /** Today (YYYY-MM-DD): the snapshot's capturedAt. */
  date: string;
  refresh?: SnapshotRefresh;
  /**
   * Recompute the Spot Advisor estimates (`spot:` keys still estimated from on-demand) from the
   * refreshed on-demand prices of these sources. Keys priced from spot price history are kept.
   */
  respotFrom?: string[];
}

/** The base snapshot with fresh entries laid over it, ready for `serializeSnapshot`. */
export function mergeSnapshot(input: MergeInput): Snapshot {
  const { base } = input;
  const entries = new Map<string, SnapshotEntry>();
  for (const e of snapshotEntries(base)) entries.set(entryId(e.service, e.region, e.key), e);
  for (const e of input.entries) entries.set(entryId(e.service, e.region, e.key), e);

  const sourceInfo = new Map<string, SourceInfo>();
  for (const s of base.sources) {
    const { entries: _count, ...info } = s;
    sourceInfo.set(s.id, info);
  }
  for (const s of input.sources) sourceInfo.set(s.id, s);

  const advisor = base.spotAdvisor;
  const advisorSource = advisor ? base.sources[advisor.s] : undefined;
  if (advisor && advisorSource && input.respotFrom && input.respotFrom.length > 0) {
    const refreshed = new Set(input.respotFrom);
    for (const [region, types] of Object.entries(advisor.regions)) {
      for (const [type, [savings]] of Object.entries(types)) {
        const od = entries.get(entryId('AmazonEC2', region, `instance:${type}`));
        if (!od || !refreshed.has(od.source) || typeof od.value !== 'number') continue;
        const spotId = entryId('AmazonEC2', region, `spot:${type}`);
        const prior = entries.get(spotId);
        if (prior && prior.source !== advisorSource.id) continue; // a history average or other real price
        entries.set(spotId, {
          service: 'AmazonEC2',
          region,
          key: `spot:${type}`,
          value: clean(od.value * (1 - savings / 100)),
          source: advisorSource.id,
          unit: od.unit,
          note: spotEstimateNote(od.source, od.date),
          date: od.date < advisorSource.date ? od.date : advisorSource.date,
        });
      }
    }
  }

  return encodeSnapshot({
    entries: [...entries.values()],
    sourceInfo,
    sourceOrder: [...base.sources.map((s) => s.id), ...input.sources.map((s) => s.id).sort(compare)],
    instanceSpecs: base.instanceSpecs.flatMap((g) => {
      const id = base.sources[g.s]?.id;
      return id === undefined ? [] : [{ source: id, types: g.types }];
    }),
    spotAdvisor:
      advisor && advisorSource ? { source: advisorSource.id, ranges: advisor.ranges, regions: advisor.regions } : undefined,
    locations: base.locations,
    capturedAt: input.date,
    generatedBy: input.refresh ? `${REFRESH_GENERATOR} (base: ${base.generatedBy.replace(/ \(base: .*\)$/, '')})` : base.generatedBy,
    refresh: input.refresh,
  });
}

interface EncodeInput {
  entries: SnapshotEntry[];
  sourceInfo: Map<string, SourceInfo>;
  /** Order of the sources table (ids; unknown or unused ids are dropped). */
  sourceOrder: string[];
  instanceSpecs: { source: string; types: Record<string, InstanceSpec> }[];
  spotAdvisor?: { source: string; ranges: string[]; regions: Record<string, Record<string, [number, number]>> };
  locations: Record<string, string>;
  capturedAt: string;
  generatedBy: string;
  refresh?: SnapshotRefresh;
}

/** Groups entries the way the catalog build does: one group per source, unit, note and date. */
function encodeSnapshot(input: EncodeInput): Snapshot {
  const counts = new Map<string, number>();
  const bump = (id: string, n: number): void => {
    counts.set(id, (counts.get(id) ?? 0) + n);
  };
  for (const e of input.entries) bump(e.source, 1);
  for (const g of input.instanceSpecs) bump(g.source, Object.keys(g.types).length);
  if (input.spotAdvisor) bump(input.spotAdvisor.source, Object.values(input.spotAdvisor.regions).reduce((a, r) => a + Object.keys(r).length, 0));

  const sources: SnapshotSource[] = [];
  const sourceIndex = new Map<string, number>();
  for (const id of input.sourceOrder) {
    const info = input.sourceInfo.get(id);
    const n = counts.get(id) ?? 0;
    if (info === undefined || n === 0 || sourceIndex.has(id)) continue;
    sourceIndex.set(id, sources.length);
    sources.push({ ...info, entries: n });
  }
  for (const e of input.entries) {
    if (!sourceIndex.has(e.source)) throw new Error(`entry ${e.service} ${e.region} ${e.key} refers to unknown source ${e.source}`);
  }

  const units = [...new Set(input.entries.map((e) => e.unit))].sort(compare);
  const notes = [...new Set(input.entries.flatMap((e) => (e.note ? [e.note] : [])))].sort(compare);
  const unitIndex = new Map(units.map((u, i) => [u, i]));
  const noteIndex = new Map(notes.map((n, i) => [n, i]));

  const grouped = new Map<string, Map<string, Map<string, SnapshotGroup>>>();
  const skus: Record<string, Record<string, Record<string, string>>> = {};
  for (const e of input.entries) {
    const s = sourceIndex.get(e.source) as number;
    const u = unitIndex.get(e.unit) as number;
    const sourceDate = sources[s]?.date ?? '';
    const n = e.note === undefined ? undefined : noteIndex.get(e.note);
    const groupId = `${s}|${u}|${n ?? ''}|${e.date === sourceDate ? '' : e.date}`;
    let byRegion = grouped.get(e.service);
    if (!byRegion) grouped.set(e.service, (byRegion = new Map()));
    let groups = byRegion.get(e.region);
    if (!groups) byRegion.set(e.region, (groups = new Map()));
    let group = groups.get(groupId);
    if (!group) {
      group = { s, u, p: {} };
      if (n !== undefined) group.n = n;
      if (e.date !== sourceDate) group.d = e.date;
      groups.set(groupId, group);
    }
    group.p[e.key] = e.value;
    if (e.sku) ((skus[e.service] ??= {})[e.region] ??= {})[e.key] = e.sku;
  }

  const prices: Record<string, Record<string, SnapshotGroup[]>> = {};
  for (const [service, byRegion] of [...grouped].sort(([a], [b]) => compare(a, b))) {
    const regions: Record<string, SnapshotGroup[]> = {};
    for (const [region, groups] of [...byRegion].sort(([a], [b]) => compare(a, b))) {
      regions[region] = [...groups.values()]
        .map((g) => ({ ...g, p: Object.fromEntries(Object.entries(g.p).sort(([a], [b]) => compare(a, b))) }))
        .sort((a, b) => a.s - b.s || a.u - b.u || (a.n ?? -1) - (b.n ?? -1) || compare(a.d ?? '', b.d ?? ''));
    }
    prices[service] = regions;
  }

  const snapshot: Snapshot = {
    schema: SNAPSHOT_SCHEMA,
    currency: 'USD',
    capturedAt: input.capturedAt,
    generatedBy: input.generatedBy,
    sources,
    units,
    notes,
    prices,
    instanceSpecs: input.instanceSpecs.flatMap((g) => {
      const s = sourceIndex.get(g.source);
      return s === undefined ? [] : [{ s, types: g.types }];
    }),
    locations: input.locations,
  };
  if (input.spotAdvisor) {
    const s = sourceIndex.get(input.spotAdvisor.source);
    if (s !== undefined) snapshot.spotAdvisor = { s, ranges: input.spotAdvisor.ranges, regions: input.spotAdvisor.regions };
  }
  if (Object.keys(skus).length > 0) snapshot.skus = skus;
  if (input.refresh) snapshot.refresh = input.refresh;
  return snapshot;
}

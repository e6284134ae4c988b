/**
 * A synchronous price book over a compact price snapshot (the embedded
 * `snapshot.json`, or any file of the same shape). Pure: the caller reads the file
 * (see src/adapters/snapshot-file.ts) and hands the parsed object over.
 *
 * Snapshot layout (written by scripts/build-price-catalog.ts):
 *   prices[service][region] = groups; each group shares one source, unit, note and date:
 *     { s: sourceIndex, u: unitIndex, n?: noteIndex, d?: 'YYYY-MM-DD', p: { key: value } }
 *   A value is a number (USD per unit) or tiers `[[upTo | null, usd], ...]`.
 *   `d` overrides the source's date for the group's prices.
 */
import type { InstanceSpec, PriceBook, SpotAdvice } from '../../core/ports.js';
import type { PriceLookup, PricePoint, PricesMeta, PriceQuery, PriceTier } from '../../core/types.js';

export const SNAPSHOT_SCHEMA = 'mlcost-prices/1';

export interface SnapshotSource {
  /** Short id used by PricePoint.source. */
  id: string;
  name: string;
  /** Where the data comes from: `owner/repo@commit path`, plus the upstream it mirrors. */
  origin: string;
  /** Date of the data (YYYY-MM-DD); entries may carry a more precise date of their own. */
  date: string;
  /** File(s) under the pricing-data directory the builder read. */
  dataFiles: string[];
  license?: string;
  note?: string;
  /** Number of prices taken from this source. */
  entries: number;
}

export type SnapshotTier = [number | null, number];
export type SnapshotValue = number | SnapshotTier[];

export interface SnapshotGroup {
  s: number;
  u: number;
  n?: number;
  d?: string;
  p: Record<string, SnapshotValue>;
}

export interface SnapshotSpecGroup {
  s: number;
  types: Record<string, InstanceSpec>;
}

export interface SnapshotSpotAdvisor {
  s: number;
  /** Interruption-frequency labels, indexed by the second number of each entry. */
  ranges: string[];
  /** region -> instance type -> [savings percent, interruption range index] (Linux). */
  regions: Record<string, Record<string, [number, number]>>;
}

export interface Snapshot {
  schema: typeof SNAPSHOT_SCHEMA;
  currency: 'USD';
  /** Newest source date in the snapshot (YYYY-MM-DD). */
  capturedAt: string;
  generatedBy: string;
  sources: SnapshotSource[];
  units: string[];
  notes: string[];
  prices: Record<string, Record<string, SnapshotGroup[]>>;
  instanceSpecs: SnapshotSpecGroup[];
  spotAdvisor?: SnapshotSpotAdvisor;
  /** AWS location names (offer-file `location` attribute) -> region codes. */
  locations: Record<string, string>;
  /** AWS SKU of prices read from the Price List API: service -> region -> key -> SKU. */
  skus?: Record<string, Record<string, Record<string, string>>>;
  /** Written by `mlcost prices update`: when, from where, and what could not be refreshed. */
  refresh?: SnapshotRefresh;
}

/** How a snapshot was refreshed from the AWS Price List API (`mlcost prices update`). */
export interface SnapshotRefresh {
  /** Day of the refresh (YYYY-MM-DD). */
  date: string;
  /** Region of the Price List API endpoint used. */
  endpointRegion: string;
  /** Price List service codes and regions asked for. */
  services: string[];
  regions: string[];
  /** Service/region pairs that could not be fetched: their prices are kept from the base snapshot. */
  failed: { service: string; region: string; reason: string }[];
  /** Spot price history: regions refreshed, and failures. */
  spot?: { regions: string[]; failed: { region: string; reason: string }[] };
}

/** True for a snapshot written by `mlcost prices update` (its prices come from the live API). */
export function isRefreshedSnapshot(snapshot: { generatedBy?: unknown }): boolean {
  return typeof snapshot.generatedBy === 'string' && snapshot.generatedBy.startsWith(REFRESH_GENERATOR);
}

/** `generatedBy` of snapshots written by `mlcost prices update`. */
export const REFRESH_GENERATOR = 'mlcost prices update';

/** A PriceBook with the snapshot's provenance table. */
export interface SnapshotPriceBook extends PriceBook {
  sources(): readonly SnapshotSource[];
  /** The snapshot the book reads (the base of `mlcost prices update`). */
  snapshot(): Snapshot;
  /** True when the snapshot keeps AWS SKUs (so SKU overrides in `.mlcost.yml` can apply). */
  hasSkus(): boolean;
  /** Region code for an AWS location name (`EU (Ireland)` -> `eu-west-1`). */
  regionOfLocation(location: string): string | undefined;
}

interface RegionSlot {
  groups: SnapshotGroup[];
  skus?: Record<string, string>;
  table?: Map<string, PriceLookup>;
}

const GLOBAL_REGION = 'global';

/** Keys whose part after the first `:` is an instance type (EC2, SageMaker). */
const INSTANCE_KEY_KINDS: Record<string, string> = {
  instance: 'instance type',
  spot: 'instance type (spot estimate)',
  'capacity-block': 'instance type (Capacity Block)',
  hosting: 'SageMaker hosting instance type',
  training: 'SageMaker training instance type',
  processing: 'SageMaker processing instance type',
  batch: 'SageMaker batch transform instance type',
  notebook: 'SageMaker notebook instance type',
};

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function invalid(what: string): Error {
  return new Error(`not a usable mlcost price snapshot: ${what}`);
}

/** Checks the parts of the shape the book relies on; throws with the first problem found. */
export function validateSnapshot(input: unknown): Snapshot {
  if (!isRecord(input)) throw invalid('expected a JSON object');
  if (input.schema !== SNAPSHOT_SCHEMA) {
    throw invalid(`schema is ${JSON.stringify(input.schema)}, expected ${JSON.stringify(SNAPSHOT_SCHEMA)}`);
  }
  if (typeof input.capturedAt !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(input.capturedAt)) {
    throw invalid('capturedAt must be a YYYY-MM-DD date');
  }
  const sources = input.sources;
  if (!Array.isArray(sources) || !sources.every((s) => isRecord(s) && typeof s.id === 'string' && typeof s.date === 'string')) {
    throw invalid('sources must be a list of {id, date, ...}');
  }
  if (!Array.isArray(input.units) || !Array.isArray(input.notes)) throw invalid('units and notes must be lists');
  if (!isRecord(input.prices)) throw invalid('prices must be an object');
  for (const [service, regions] of Object.entries(input.prices)) {
    if (!isRecord(regions)) throw invalid(`prices.${service} must be an object`);
    for (const [region, groups] of Object.entries(regions)) {
      if (!Array.isArray(groups)) throw invalid(`prices.${service}.${region} must be a list of groups`);
      for (const g of groups) {
        if (!isRecord(g) || typeof g.s !== 'number' || typeof g.u !== 'number' || !isRecord(g.p)) {
          throw invalid(`prices.${service}.${region} has a malformed group`);
        }
        if (g.s < 0 || g.s >= sources.length || g.u < 0 || g.u >= input.units.length) {
          throw invalid(`prices.${service}.${region} refers to a missing source or unit`);
        }
      }
    }
  }
  if (!Array.isArray(input.instanceSpecs)) throw invalid('instanceSpecs must be a list');
  if (input.spotAdvisor !== undefined && !isRecord(input.spotAdvisor)) throw invalid('spotAdvisor must be an object');
  if (!isRecord(input.locations)) throw invalid('locations must be an object');
  if (input.skus !== undefined && !isRecord(input.skus)) throw invalid('skus must be an object');
  return input as unknown as Snapshot;
}

function toTiers(tiers: SnapshotTier[]): PriceTier[] {
  return tiers.map(([upTo, usd]) => ({ upTo, usd }));
}

function buildPoint(snapshot: Snapshot, group: SnapshotGroup, value: SnapshotValue): PricePoint {
  const source = snapshot.sources[group.s];
  const unit = snapshot.units[group.u];
  if (source === undefined || unit === undefined) throw invalid('group refers to a missing source or unit');
  const point: PricePoint = {
    usd: 0,
    unit,
    sourceDate: group.d ?? source.date,
    source: source.id,
  };
  if (typeof value === 'number') {
    point.usd = value;
  } else {
    const first = value[0];
    if (first === undefined) throw invalid('empty tier list');
    point.usd = first[1];
    point.tiers = toTiers(value);
  }
  if (group.n !== undefined) {
    const note = snapshot.notes[group.n];
    if (note !== undefined) point.note = note;
  }
  return point;
}

function ownEntries<T>(obj: Record<string, T>): [string, T][] {
  return Object.entries(obj);
}

/**
 * A PriceBook over a parsed snapshot. Region tables are built on first use, so creating a
 * book costs little; each lookup afterwards is two Map reads and one Map get.
 */
export function createPriceBook(
  input: unknown,
  options: { source?: PricesMeta['source'] } = {},
): SnapshotPriceBook {
  const snapshot = validateSnapshot(input);
  const meta: PricesMeta = Object.freeze({ source: options.source ?? 'file', capturedAt: snapshot.capturedAt });

  const services = new Map<string, Map<string, RegionSlot>>();
  const allRegions = new Set<string>();
  for (const [service, regions] of ownEntries(snapshot.prices)) {
    const byRegion = new Map<string, RegionSlot>();
    const skus = snapshot.skus?.[service];
    for (const [region, groups] of ownEntries(regions)) {
      const regionSkus = skus !== undefined && Object.hasOwn(skus, region) ? skus[region] : undefined;
      byRegion.set(region, regionSkus ? { groups, skus: regionSkus } : { groups });
      allRegions.add(region);
    }
    services.set(service, byRegion);
  }
  const regionList = [...allRegions].filter((r) => r !== GLOBAL_REGION).sort();

  function table(slot: RegionSlot): Map<string, PriceLookup> {
    if (slot.table) return slot.table;
    const t = new Map<string, PriceLookup>();
    for (const group of slot.groups) {
      for (const [key, value] of ownEntries(group.p)) {
        if (t.has(key)) continue;
        const point = buildPoint(snapshot, group, value);
        const sku = slot.skus !== undefined && Object.hasOwn(slot.skus, key) ? slot.skus[key] : undefined;
        if (sku !== undefined) point.sku = sku;
        const price = Object.freeze(point);
        t.set(key, Object.freeze({ ok: true as const, price }));
      }
    }
    slot.table = t;
    return t;
  }

  function regionsHaving(byRegion: Map<string, RegionSlot>, key: string): string[] {
    const found: string[] = [];
    for (const [region, slot] of byRegion) {
      if (slot.groups.some((g) => Object.hasOwn(g.p, key))) found.push(region);
    }
    return found.sort();
  }

  function typeKnownAnywhere(byRegion: Map<string, RegionSlot>, kind: string, type: string): boolean {
    const suffix = `${kind}:${type}`;
    for (const slot of byRegion.values()) {
      if (slot.groups.some((g) => Object.hasOwn(g.p, suffix))) return true;
    }
    return false;
  }

  function missReason(query: PriceQuery, byRegion: Map<string, RegionSlot>): string {
    const { service, region, key } = query;
    const colon = key.indexOf(':');
    const kind = colon > 0 ? key.slice(0, colon) : key;
    const instanceKind = Object.hasOwn(INSTANCE_KEY_KINDS, kind) ? INSTANCE_KEY_KINDS[kind] : undefined;
    const isInstanceKey =
      instanceKind !== undefined && (service === 'AmazonEC2' || service === 'AmazonSageMaker') && colon > 0;
    const subject = isInstanceKey
      ? service === 'AmazonSageMaker'
        ? `${key.slice(colon + 1)} ${kind}`
        : kind === 'instance'
          ? key.slice(colon + 1)
          : `${key.slice(colon + 1)} (${kind})`
      : key;
    const elsewhere = regionsHaving(byRegion, key).filter((r) => r !== region);
    let detail: string;
    if (elsewhere.length > 0) {
      const sample = elsewhere.slice(0, 3).join(', ');
      detail = `not in the snapshot for this region; it has prices in ${elsewhere.length} other region(s): ${sample}${elsewhere.length > 3 ? ', ...' : ''}`;
    } else if (isInstanceKey) {
      const type = key.slice(colon + 1);
      const known =
        kind !== 'instance' && service === 'AmazonEC2' && typeKnownAnywhere(byRegion, 'instance', type);
      detail = known
        ? `the snapshot has on-demand prices for ${type} but no ${kind} price anywhere`
        : `${instanceKind} not in the snapshot`;
    } else {
      detail = `${service} key not in the snapshot`;
    }
    return `no price for ${subject} in ${region} (${detail})`;
  }

  function lookup(query: PriceQuery): PriceLookup {
    const byRegion = services.get(query.service);
    if (byRegion === undefined) {
      return { ok: false, reason: `no ${query.service} prices in the snapshot (service not in the snapshot)` };
    }
    const slot = byRegion.get(query.region);
    if (slot === undefined) {
      if (!allRegions.has(query.region)) return { ok: false, reason: `region ${query.region} not in the snapshot` };
      return { ok: false, reason: `no ${query.service} prices for region ${query.region} in the snapshot` };
    }
    const hit = (slot.table ?? table(slot)).get(query.key);
    if (hit !== undefined) return hit;
    return { ok: false, reason: missReason(query, byRegion) };
  }

  let specs: Map<string, InstanceSpec> | undefined;
  function specTable(): Map<string, InstanceSpec> {
    if (specs) return specs;
    specs = new Map();
    for (const group of snapshot.instanceSpecs) {
      for (const [type, spec] of ownEntries(group.types)) {
        if (!specs.has(type)) specs.set(type, Object.freeze({ ...spec }));
      }
    }
    return specs;
  }

  let spot: Map<string, Map<string, SpotAdvice>> | undefined;
  function spotTable(): Map<string, Map<string, SpotAdvice>> {
    if (spot) return spot;
    spot = new Map();
    const advisor = snapshot.spotAdvisor;
    if (advisor) {
      const date = snapshot.sources[advisor.s]?.date ?? snapshot.capturedAt;
      for (const [region, types] of ownEntries(advisor.regions)) {
        const m = new Map<string, SpotAdvice>();
        for (const [type, [savingsPercent, range]] of ownEntries(types)) {
          m.set(type, Object.freeze({ savingsPercent, interruption: advisor.ranges[range] ?? `range ${range}`, sourceDate: date }));
        }
        spot.set(region, m);
      }
    }
    return spot;
  }

  const locations = new Map(ownEntries(snapshot.locations));

  return {
    meta,
    lookup,
    instanceSpec(instanceType: string): InstanceSpec | undefined {
      const type = instanceType.startsWith('ml.') ? instanceType.slice(3) : instanceType;
      return specTable().get(type);
    },
    spotAdvice(region: string, instanceType: string): SpotAdvice | undefined {
      return spotTable().get(region)?.get(instanceType);
    },
    regions(): string[] {
      return [...regionList];
    },
    sources(): readonly SnapshotSource[] {
      return snapshot.sources;
    },
    snapshot(): Snapshot {
      return snapshot;
    },
    hasSkus(): boolean {
      return snapshot.skus !== undefined && Object.keys(snapshot.skus).length > 0;
    },
    regionOfLocation(location: string): string | undefined {
      return locations.get(location);
    },
  };
}

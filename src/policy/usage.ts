/**
 * Usage values for usage-based prices: which `usage:` entries apply to a resource, and reading
 * Infracost's `infracost-usage.yml` into the same shape. Pure: text in, data out.
 */
import { z } from 'zod';
import {
  isPlainObject,
  isResourceType,
  parseAddress,
  parseYamlAgainst,
  readYaml,
  registerUsageOrigins,
  section,
  setUsageEntryOrigins,
  usageOrigin,
  usageSchema,
  usageValueSchema,
} from './schema.js';
import type { AddressSegment, ConfigError, MlcostConfig, UsageEntry, UsageMap } from './schema.js';

export interface ResolvedUsage {
  /** Usage values by name (`storage_gb`, `monthly_requests`, ...). */
  values: Record<string, unknown>;
  /** For each value, where it came from: `.mlcost.yml usage.aws_s3_bucket.datasets`. */
  source: Record<string, string>;
}

/**
 * The usage values that apply to one resource. Entries are layered, later ones overriding earlier
 * ones value by value: the resource type, then matching wildcard patterns from the least to the most
 * specific (more wildcards first, then shorter), then the exact address.
 */
export function usageFor(config: MlcostConfig | undefined, address: string, type: string): ResolvedUsage {
  const usage = config?.usage ?? {};
  const target = parseAddress(address, false);
  const layers: { key: string; entry: UsageEntry; rank: number; wildcards: number }[] = [];
  for (const [key, entry] of Object.entries(usage)) {
    if (key === type) {
      layers.push({ key, entry, rank: 0, wildcards: 0 });
      continue;
    }
    if (key === address) {
      layers.push({ key, entry, rank: 2, wildcards: 0 });
      continue;
    }
    const pattern = parseAddress(key, true);
    if (!pattern || !target || !matches(pattern, target)) continue;
    const wildcards = countWildcards(pattern);
    layers.push({ key, entry, rank: wildcards === 0 ? 2 : 1, wildcards });
  }
  layers.sort(
    (a, b) =>
      a.rank - b.rank ||
      b.wildcards - a.wildcards ||
      a.key.length - b.key.length ||
      (a.key < b.key ? -1 : a.key > b.key ? 1 : 0),
  );
  const values: Record<string, unknown> = {};
  const source: Record<string, string> = {};
  for (const { key, entry } of layers) {
    for (const [name, value] of Object.entries(entry)) {
      values[name] = isPlainObject(value) ? { ...value } : value;
      source[name] = usageOrigin(entry, key, name);
    }
  }
  return { values, source };
}

/** True when an address pattern (with `*` segments and `[*]` indexes) matches a concrete address. */
export function matchesAddress(pattern: string, address: string): boolean {
  if (pattern === address) return true;
  const p = parseAddress(pattern, true);
  const a = parseAddress(address, false);
  return p !== null && a !== null && matches(p, a);
}

function matches(pattern: AddressSegment[], address: AddressSegment[]): boolean {
  if (pattern.length !== address.length) return false;
  return pattern.every((p, i) => {
    const a = address[i];
    if (!a) return false;
    // A bare `*` stands for one whole segment, whatever its index.
    if (p.name === '*' && p.index === undefined) return true;
    if (p.name !== '*' && p.name !== a.name) return false;
    return indexMatches(p.index, a.index);
  });
}

function indexMatches(p: AddressSegment['index'], a: AddressSegment['index']): boolean {
  if (p === undefined) return a === undefined;
  if (a === undefined) return false;
  if (p.kind === 'any') return true;
  return p.kind === a.kind && p.value === (a as typeof p).value;
}

function countWildcards(pattern: AddressSegment[]): number {
  return pattern.reduce((n, s) => n + (s.name === '*' ? 1 : 0) + (s.index?.kind === 'any' ? 1 : 0), 0);
}

/**
 * Layers two usage maps: keys of both are merged value by value, `override` winning. Where each value
 * came from is kept (see `usageFor().source`).
 */
export function mergeUsage(base: UsageMap | undefined, override: UsageMap | undefined): UsageMap {
  const merged: UsageMap = { ...(base ?? {}) };
  for (const [key, entry] of Object.entries(override ?? {})) {
    const under = merged[key];
    if (!under) {
      merged[key] = entry;
      continue;
    }
    const combined: UsageEntry = { ...under, ...entry };
    const origins: Record<string, string> = {};
    for (const name of Object.keys(under)) origins[name] = usageOrigin(under, key, name);
    for (const name of Object.keys(entry)) origins[name] = usageOrigin(entry, key, name);
    setUsageEntryOrigins(combined, origins);
    merged[key] = combined;
  }
  return merged;
}

// ---------------------------------------------------------------------------------------------
// Infracost's infracost-usage.yml

/** Infracost files generated with `--sync-usage-file` leave values empty (commented out): skip those. */
function withoutNulls(v: unknown): unknown {
  if (v === null) return {};
  if (!isPlainObject(v)) return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) {
    if (x === null) continue;
    if (isPlainObject(x)) {
      const inner: Record<string, unknown> = {};
      for (const [ik, ix] of Object.entries(x)) if (ix !== null) inner[ik] = ix;
      out[k] = inner;
    } else {
      out[k] = x;
    }
  }
  return out;
}

const infracostEntrySchema = z.preprocess(withoutNulls, z.record(z.string(), usageValueSchema));

const infracostTypeKey = z.string().refine(isResourceType, {
  message: 'expected a resource type such as `aws_lambda_function`',
});
const infracostAddressKey = z.string().refine((k) => parseAddress(k, true) !== null, {
  message: 'expected a resource address such as `aws_lambda_function.api` or `aws_s3_bucket.raw[*]`',
});

export const infracostUsageSchema = z
  .object({
    version: z
      .union([z.literal(0.1), z.literal('0.1')], {
        error: 'only Infracost usage files with `version: 0.1` are supported',
      })
      .optional(),
    resource_type_default_usage: section(z.record(infracostTypeKey, infracostEntrySchema)),
    resource_usage: section(z.record(infracostAddressKey, infracostEntrySchema)),
  })
  .strict();

/**
 * Reads Infracost's `infracost-usage.yml` into mlcost's `usage:` map: `resource_type_default_usage`
 * entries become type keys, `resource_usage` entries address keys. Empty values are skipped.
 */
export function parseInfracostUsage(text: string, file: string): { usage: UsageMap; errors: ConfigError[] } {
  const parsed = parseYamlAgainst(text, file, infracostUsageSchema);
  if (parsed.errors.length > 0 || !parsed.data) return { usage: {}, errors: parsed.errors };
  const byType: UsageMap = {};
  const byAddress: UsageMap = {};
  for (const [key, entry] of Object.entries(parsed.data.resource_type_default_usage)) byType[key] = entry;
  for (const [key, entry] of Object.entries(parsed.data.resource_usage)) byAddress[key] = entry;
  registerUsageOrigins(byType, (key) => `${file} resource_type_default_usage.${key}`);
  registerUsageOrigins(byAddress, (key) => `${file} resource_usage.${key}`);
  return { usage: { ...byType, ...byAddress }, errors: [] };
}

const usageFileSchema = z
  .object({
    version: z.literal(1, { error: 'only `version: 1` is supported' }).optional(),
    usage: section(usageSchema),
  })
  .strict();

export type UsageFileFormat = 'mlcost' | 'infracost';

/**
 * Reads a `--usage-file`: mlcost's format (`usage:` as in `.mlcost.yml`) or Infracost's
 * (`version: 0.1`, `resource_usage`, `resource_type_default_usage`), told apart by their keys.
 */
export function parseUsageFile(
  text: string,
  file: string,
): { usage: UsageMap; errors: ConfigError[]; format: UsageFileFormat } {
  const read = readYaml(text, file);
  if (!read.yaml) return { usage: {}, errors: read.errors, format: 'mlcost' };
  const top = read.yaml.value;
  const infracost =
    isPlainObject(top) &&
    ('resource_usage' in top ||
      'resource_type_default_usage' in top ||
      top.version === 0.1 ||
      top.version === '0.1');
  if (infracost) return { ...parseInfracostUsage(text, file), format: 'infracost' };
  const parsed = parseYamlAgainst(text, file, usageFileSchema);
  if (parsed.errors.length > 0 || !parsed.data) return { usage: {}, errors: parsed.errors, format: 'mlcost' };
  registerUsageOrigins(parsed.data.usage, (key) => `${file} usage.${key}`);
  return { usage: parsed.data.usage, errors: [], format: 'mlcost' };
}

/**
 * Small builders for the lines most pricers declare: a line priced in the resource's region, and a
 * usage-based line whose quantity comes from a usage key (null, "depends on usage", when not given).
 */
import type { PriceQuery } from '../core/types.js';
import type { ComponentSpec, ResourceView, UsageValues } from './types.js';

export type LineSpec = Omit<ComponentSpec, 'price'>;

/** A line priced by `price(region)`; unpriced with `region is unknown` when the region is not known. */
export function regionalLine(r: ResourceView, spec: LineSpec, price: (region: string) => PriceQuery): ComponentSpec {
  if (!r.region) return { ...spec, price: null, unpricedReason: spec.unpricedReason ?? 'region is unknown' };
  return { ...spec, price: price(r.region) };
}

/**
 * A usage-based line: the quantity is the usage value of `usageKey` times `scale` (730 to turn an
 * hourly average into a monthly quantity, ...), or null when the usage is not given.
 */
export function usageLine(
  r: ResourceView,
  usage: UsageValues,
  spec: Omit<LineSpec, 'monthlyQuantity' | 'usageBased' | 'usageKey'> & { usageKey: string; scale?: number },
  price: (region: string) => PriceQuery,
): ComponentSpec {
  const { scale, ...rest } = spec;
  const v = usage.num(spec.usageKey);
  return regionalLine(r, { ...rest, monthlyQuantity: v === undefined ? null : v * (scale ?? 1), usageBased: true }, price);
}

/** A line that is unpriced for a reason known before any price look-up (unknown attribute, ...). */
export function unpricedLine(spec: LineSpec, reason: string): ComponentSpec {
  return { ...spec, price: null, unpricedReason: reason };
}

/**
 * A string attribute with the provider's default when it is not set. An attribute that is set but
 * unknown (a variable without a value, a data source) gives `why` instead of silently the default.
 */
export function setting(r: ResourceView, path: string, fallback: string): { value?: string; why?: string; defaulted?: boolean } {
  const raw = r.get(path);
  if (raw === undefined || raw === null) return { value: fallback, defaulted: true };
  const value = r.str(path);
  return value === undefined ? { why: r.why(path) } : { value };
}

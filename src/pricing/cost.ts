/**
 * The one place where money is computed: quantity x unit price (tiered where the price is),
 * with every figure traced to its price entry. Unknown stays unknown: never 0.
 */
import type { PriceBook } from '../core/ports.js';
import type { CostComponent, PricePoint, PriceQuery, PricedResource, Resource, Unpriced } from '../core/types.js';
import type { ComponentSpec, Pricer, PricerContext, UsageValues } from './types.js';
import { viewOf } from './view.js';

/** AWS bills 730 hours in a month (8,760 / 12). */
export const HOURS_PER_MONTH = 730;

/** Rounds away float noise (70.08000000000001) without losing sub-cent unit prices. */
export function roundMoney(n: number): number {
  return Math.round(n * 1e6) / 1e6;
}

/** Cost of a quantity under a tiered price: each tier's share at its own rate. */
export function tieredCost(quantity: number, price: PricePoint): number {
  if (!price.tiers || price.tiers.length === 0) return quantity * price.usd;
  let remaining = quantity;
  let lower = 0;
  let cost = 0;
  for (const tier of price.tiers) {
    const upper = tier.upTo ?? Infinity;
    const inTier = Math.min(remaining, upper - lower);
    if (inTier <= 0) break;
    cost += inTier * tier.usd;
    remaining -= inTier;
    lower = upper;
  }
  return cost;
}

function get(values: Record<string, unknown>, key: string): unknown {
  let cur: unknown = values;
  for (const seg of key.split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[seg];
  }
  return cur;
}

export function usageValues(values: Record<string, unknown>): UsageValues {
  return {
    num(key) {
      const v = get(values, key);
      if (typeof v === 'number') return v;
      if (typeof v === 'string' && v.trim() !== '' && !Number.isNaN(Number(v))) return Number(v);
      return undefined;
    },
    str(key) {
      const v = get(values, key);
      return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined;
    },
  };
}

export interface PriceContext {
  book: PriceBook;
  /** All resources of the project, for pricers that read related resources. */
  resources?: Resource[];
  /** Usage values for a resource (already resolved by address, wildcard and type). */
  usageFor(address: string, type: string): Record<string, unknown>;
  /** Collects the source dates of every price used (for the report's oldest date). */
  onPriceUsed?(price: PricePoint): void;
}

/** Ceiling costs of priced components, by component object (kept out of the JSON of the component). */
const ceilings = new WeakMap<CostComponent, number>();
/** The price query each component was priced with (kept out of the JSON; guardrails price alternatives from it). */
const queries = new WeakMap<CostComponent, PriceQuery>();

/** The price query a component was priced with; undefined for unpriced lines and components read from JSON. */
export function componentQuery(c: CostComponent): PriceQuery | undefined {
  return queries.get(c);
}

export type MonthlyPrice = { ok: true; usd: number; price: PricePoint } | { ok: false; reason: string };

/**
 * What `quantity` units cost per month at the book's price for `query` (tiered where the price is).
 * Guardrails price their savings with this, never with a price of their own.
 */
export function monthlyPrice(book: PriceBook, query: PriceQuery, quantity: number): MonthlyPrice {
  const found = book.lookup(query);
  if (!found.ok) return { ok: false, reason: found.reason };
  return { ok: true, usd: roundMoney(tieredCost(quantity, found.price)), price: found.price };
}

function priceComponent(spec: ComponentSpec, book: PriceBook, unpriced: Unpriced[], onPrice?: (p: PricePoint) => void): CostComponent {
  const base: CostComponent = {
    name: spec.name,
    unit: spec.unit,
    monthlyQuantity: spec.monthlyQuantity,
    unitPrice: null,
    monthlyCost: null,
    usageBased: spec.usageBased ?? false,
    ...(spec.usageKey ? { usageKey: spec.usageKey } : {}),
    ...(spec.assumption ? { assumption: spec.assumption } : {}),
    ...(spec.line ? { line: spec.line } : {}),
  };
  if (spec.unpricedReason || !spec.price) {
    unpriced.push({ component: spec.name, reason: spec.unpricedReason ?? 'no price query' });
    return base;
  }
  const found = book.lookup(spec.price);
  if (!found.ok) {
    unpriced.push({ component: spec.name, reason: found.reason });
    return base;
  }
  const price = found.price;
  onPrice?.(price);
  queries.set(base, spec.price);
  base.unitPrice = price.usd;
  base.priceSource = { source: price.source, date: price.sourceDate, ...(price.note ? { note: price.note } : {}) };
  if (spec.monthlyQuantity !== null) base.monthlyCost = roundMoney(tieredCost(spec.monthlyQuantity, price));
  if (price.list) {
    // The team's rates changed this price (src/pricing/effective.ts): keep the list figures beside it.
    base.listUnitPrice = price.list.usd;
    base.listMonthlyCost = spec.monthlyQuantity === null ? null : roundMoney(tieredCost(spec.monthlyQuantity, price.list));
    if (price.rate) base.teamRate = price.rate;
  }
  if (spec.ceilingQuantity !== undefined && spec.monthlyQuantity !== null && spec.ceilingQuantity > spec.monthlyQuantity)
    ceilings.set(base, roundMoney(tieredCost(spec.ceilingQuantity, price)));
  return base;
}

/** The resource's cost at its ceiling, when some line scales higher than its baseline. */
function ceilingOf(components: CostComponent[], subresources: PricedResource[], monthlyCost: number | null): number | undefined {
  let scales = false;
  let total = 0;
  for (const c of components) {
    const ceiling = ceilings.get(c);
    if (ceiling !== undefined) scales = true;
    total += ceiling ?? c.monthlyCost ?? 0;
  }
  for (const s of subresources) {
    if (s.ceilingMonthlyCost !== undefined) scales = true;
    total += s.ceilingMonthlyCost ?? s.monthlyCost ?? 0;
  }
  return scales && monthlyCost !== null && total > monthlyCost ? roundMoney(total) : undefined;
}

function sumKnown(components: CostComponent[], subresources: PricedResource[]): number | null {
  const values = [...components.map((c) => c.monthlyCost), ...subresources.map((s) => s.monthlyCost)].filter(
    (v): v is number => v !== null,
  );
  return values.length === 0 ? null : roundMoney(values.reduce((a, b) => a + b, 0));
}

/** The id of a resource block: its address without the instance key (`aws_x.y[0]` -> `aws_x.y`). */
export function blockId(address: string): string {
  return address.replace(/\[[^\]]*\]$/, '');
}

/** How resources of one project refer to each other (the pricers' `referenced` / `referencing`). */
export function relations(all: Resource[]): Pick<PricerContext, 'referenced' | 'referencing'> {
  const prefixOf = (r: Resource) => (r.modulePath ? `${r.modulePath}.` : '');
  return {
    referenced(r, path) {
      const ids = r.resource.references?.[path] ?? [];
      const scope = prefixOf(r.resource);
      return all.filter((x) => ids.some((id) => blockId(x.address) === scope + id)).map((x) => viewOf(x));
    },
    referencing(r, type) {
      const scope = prefixOf(r.resource);
      const id = blockId(r.address).slice(scope.length);
      return all
        .filter((x) => x.type === type && prefixOf(x) === scope && Object.values(x.references ?? {}).some((ids) => ids.includes(id)))
        .map((x) => viewOf(x));
    },
  };
}

/** Prices one resource with its pricer. Pure apart from the price book look-ups. */
export function priceResource(resource: Resource, pricer: Pricer, ctx: PriceContext): PricedResource {
  const usage = usageValues(ctx.usageFor(resource.address, resource.type));
  const view = viewOf(resource);
  const pctx: PricerContext = { usage, instanceSpec: (t) => ctx.book.instanceSpec(t), spotAdvice: (region, t) => ctx.book.spotAdvice(region, t), ...relations(ctx.resources ?? []) };
  const unpriced: Unpriced[] = [];
  const costComponents = pricer.components(view, pctx).map((s) => priceComponent(s, ctx.book, unpriced, ctx.onPriceUsed));
  const subresources: PricedResource[] = (pricer.subresources?.(view, pctx) ?? []).map((sub) => {
    const subUnpriced: Unpriced[] = [];
    const comps = sub.components.map((s) => priceComponent(s, ctx.book, subUnpriced, ctx.onPriceUsed));
    const subCost = sumKnown(comps, []);
    const subCeiling = ceilingOf(comps, [], subCost);
    return {
      address: `${resource.address}.${sub.name}`,
      type: sub.type ?? resource.type,
      file: resource.file,
      line: sub.line ?? resource.line,
      region: resource.region,
      monthlyCost: subCost,
      ...(subCeiling !== undefined ? { ceilingMonthlyCost: subCeiling } : {}),
      costComponents: comps,
      subresources: [],
      unpriced: subUnpriced,
    };
  });
  const details = { ...(resource.details ?? {}), ...(pricer.details?.(view, pctx) ?? {}) };
  for (const s of subresources) for (const u of s.unpriced) unpriced.push({ component: `${s.address.slice(resource.address.length + 1)}: ${u.component}`, reason: u.reason });
  // A pricer that declares nothing billed (a configuration billed through another resource) costs 0, not unknown.
  const monthlyCost = costComponents.length === 0 && subresources.length === 0 ? 0 : sumKnown(costComponents, subresources);
  const ceiling = ceilingOf(costComponents, subresources, monthlyCost);
  // Pipelines (and Jobs) that say how often they run get their cost per run beside the monthly cost.
  const runs = details.runsPerMonth;
  if (typeof runs === 'number' && runs > 0 && monthlyCost !== null) details.costPerRun = roundMoney(monthlyCost / runs);
  return {
    address: resource.address,
    type: resource.type,
    file: resource.file,
    line: resource.line,
    region: resource.region,
    monthlyCost,
    ...(ceiling !== undefined ? { ceilingMonthlyCost: ceiling } : {}),
    costComponents,
    subresources,
    unpriced,
    ...(Object.keys(details).length ? { details } : {}),
    ...(resource.tags && Object.keys(resource.tags).length ? { tags: resource.tags } : {}),
  };
}

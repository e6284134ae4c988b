/**
 * The team's rates (`.mlcost.yml` `pricing:`) laid over AWS list prices: a PriceBook that answers
 * effective prices and keeps the list price beside each one it changed (`PricePoint.list`, with
 * what was applied in `PricePoint.rate`). This is the only place rates are applied. Pure.
 *
 * For a price, in this order:
 *   1. an override (most specific first: `sku`, then `service` + `key`, then `instanceType`; a
 *      region-specific one before one for every region) replaces the price outright: it is the
 *      team's final rate, no discount or commitment is applied on top;
 *   2. otherwise a commitment (Savings Plan / reserved instances) of the instance's family or type
 *      (instance-hour prices of EC2 on-demand, SageMaker, RDS and ElastiCache; never spot or
 *      Capacity Blocks) prices `coveragePercent` of the hours at the committed rate
 *      (`discountPercent` off, or `usdPerHour`) and the rest at the list price;
 *   3. then the service's discount (or the `*` one) takes its percent off the result, every tier
 *      of a tiered price alike.
 * A price the rules do not touch is answered as the list price, unchanged.
 */
import type { InstanceSpec, PriceBook, SpotAdvice } from '../core/ports.js';
import type { PriceLookup, PricePoint, PricesMeta, PriceQuery } from '../core/types.js';
import type { CommitmentRule, OverrideRule, PricingConfig } from '../policy/pricing.js';

export const TEAM_RATE_SOURCE = 'team-rates';

function clean(x: number): number {
  return Number(x.toPrecision(12));
}

function percentText(n: number): string {
  return `${clean(n)}%`;
}

function usdText(n: number): string {
  return `$${clean(n)}`;
}

function strip(type: string): string {
  return type.replace(/^(ml|db|cache)\./, '');
}

/** The instance type an instance-hour key prices (on-demand only), by service. */
function instanceTypeOf(q: PriceQuery): string | undefined {
  switch (q.service) {
    case 'AmazonEC2':
      return /^instance:(.+)$/.exec(q.key)?.[1];
    case 'AmazonSageMaker':
      return /^(?:hosting|training|processing|batch|notebook):(ml\..+)$/.exec(q.key)?.[1];
    case 'AmazonRDS':
      return /^(?:aurora:)?instance:[^:]+:(db\.[^:]+):[^:]+$/.exec(q.key)?.[1];
    case 'AmazonElastiCache':
      return /^node:[^:]+:(cache\..+)$/.exec(q.key)?.[1];
    default:
      return undefined;
  }
}

interface Indexed<T> {
  rule: T;
  index: number;
}

function label(kind: string, index: number, name: string | undefined): string {
  return `${name ? `${name} ` : ''}(.mlcost.yml pricing.${kind}[${index}])`;
}

function hasSkus(book: PriceBook): boolean | undefined {
  const probe = (book as { hasSkus?: () => boolean }).hasSkus;
  return typeof probe === 'function' ? probe.call(book) : undefined;
}

function ruleCount(pricing: PricingConfig | undefined): number {
  return pricing ? pricing.discounts.length + pricing.commitments.length + pricing.overrides.length : 0;
}

/** The book with the team's rates applied; the book itself when `pricing:` sets none. */
export function withTeamRates(book: PriceBook, pricing: PricingConfig | undefined): PriceBook {
  if (!pricing || ruleCount(pricing) === 0) return book;
  const overrides: Indexed<OverrideRule>[] = pricing.overrides.map((rule, index) => ({ rule, index }));
  const commitments: Indexed<CommitmentRule>[] = pricing.commitments.map((rule, index) => ({ rule, index }));
  const discounts = new Map(pricing.discounts.map((rule, index) => [rule.service as string, { rule, index }]));

  const warnings: string[] = [];
  const skuRules = overrides.filter((o) => o.rule.sku !== undefined);
  if (skuRules.length > 0 && hasSkus(book) === false) {
    warnings.push(
      `${skuRules.map((o) => `pricing.overrides[${o.index}]`).join(', ')}: SKU overrides cannot apply to this price snapshot, which keeps no SKUs; ` +
        'snapshots written by `mlcost prices update` keep them (or override by `instanceType` or `key`)',
    );
  }
  const meta: PricesMeta = Object.freeze({
    ...book.meta,
    teamRates: {
      discounts: pricing.discounts.length,
      commitments: pricing.commitments.length,
      overrides: pricing.overrides.length,
      ...(warnings.length ? { warnings } : {}),
    },
  });

  function findOverride(q: PriceQuery, sku: string | undefined): Indexed<OverrideRule> | undefined {
    let best: Indexed<OverrideRule> | undefined;
    let bestScore = -1;
    for (const o of overrides) {
      const r = o.rule;
      if (r.region !== undefined && r.region !== q.region) continue;
      if (r.service !== undefined && r.service !== q.service) continue;
      let score: number;
      if (r.sku !== undefined) {
        if (sku === undefined || r.sku !== sku) continue;
        score = 6;
      } else if (r.key !== undefined) {
        if (r.key !== q.key) continue;
        score = 4;
      } else if (r.instanceType !== undefined) {
        if (q.service !== 'AmazonEC2' || q.key !== `instance:${r.instanceType}`) continue;
        score = 2;
      } else {
        continue;
      }
      if (r.region !== undefined) score += 1;
      if (score > bestScore) {
        best = o;
        bestScore = score;
      }
    }
    return best;
  }

  function findCommitment(q: PriceQuery): Indexed<CommitmentRule> | undefined {
    const type = instanceTypeOf(q);
    if (type === undefined) return undefined;
    const bare = strip(type);
    const family = bare.split('.')[0] ?? bare;
    let best: Indexed<CommitmentRule> | undefined;
    let bestScore = -1;
    for (const c of commitments) {
      const r = c.rule;
      if (r.service !== q.service) continue;
      if (r.region !== undefined && r.region !== q.region) continue;
      let score: number;
      if (r.instanceType !== undefined) {
        if (strip(r.instanceType) !== bare) continue;
        score = 2;
      } else if (r.family !== undefined && strip(r.family) === family) {
        score = 0;
      } else {
        continue;
      }
      if (r.region !== undefined) score += 1;
      if (score > bestScore) {
        best = c;
        bestScore = score;
      }
    }
    return best;
  }

  function discountOf(service: string): { percent: number; text: string } | undefined {
    const own = discounts.get(service);
    const all = service === 'GitHubActions' ? undefined : discounts.get('*');
    const d = own ?? all;
    if (d === undefined || d.rule.percent === 0) return undefined;
    const who = own ? service : 'enterprise';
    return { percent: d.rule.percent, text: `${percentText(d.rule.percent)} ${who} discount ${label('discounts', d.index, undefined).trim()}` };
  }

  function effective(q: PriceQuery): PriceLookup {
    const found = book.lookup(q);
    const list = found.ok ? found.price : undefined;
    const override = findOverride(q, list?.sku);
    if (override) {
      const r = override.rule;
      const rate = `override ${usdText(r.usd)} ${label('overrides', override.index, r.name)}`;
      if (list) {
        if (list.usd === r.usd && !list.tiers) return found;
        const { tiers: _tiers, list: _list, rate: _rate, ...rest } = list;
        return { ok: true, price: Object.freeze({ ...rest, usd: r.usd, list, rate }) };
      }
      if (r.instanceType !== undefined) {
        // The team's rate for an instance type the snapshot has no list price for.
        const price: PricePoint = {
          usd: r.usd,
          unit: 'USD/hour',
          sourceDate: book.meta.capturedAt,
          source: TEAM_RATE_SOURCE,
          note: `the team's rate ${label('overrides', override.index, r.name)}; there is no AWS list price for it in the snapshot (dated with the snapshot)`,
        };
        return { ok: true, price: Object.freeze(price) };
      }
      return found;
    }
    if (!list) return found;

    const steps: string[] = [];
    let usd = list.usd;
    let tiers = list.tiers;
    const commitment = findCommitment(q);
    if (commitment && !list.tiers) {
      const r = commitment.rule;
      const share = r.coveragePercent / 100;
      if (r.usdPerHour !== undefined) {
        usd = share * r.usdPerHour + (1 - share) * usd;
        steps.push(`${percentText(r.coveragePercent)} of hours at ${usdText(r.usdPerHour)}/hour ${label('commitments', commitment.index, r.name)}`);
      } else if (r.discountPercent !== undefined) {
        usd = usd * (1 - share * (r.discountPercent / 100));
        steps.push(`${percentText(r.coveragePercent)} of hours at ${percentText(r.discountPercent)} off ${label('commitments', commitment.index, r.name)}`);
      }
    }
    const discount = discountOf(q.service);
    if (discount) {
      const factor = 1 - discount.percent / 100;
      usd = usd * factor;
      if (tiers) tiers = tiers.map((t) => ({ upTo: t.upTo, usd: clean(t.usd * factor) }));
      steps.push(discount.text);
    }
    usd = clean(usd);
    if (steps.length === 0 || (usd === list.usd && tiers === list.tiers)) return found;
    const { tiers: _tiers, list: _list, rate: _rate, ...rest } = list;
    const price: PricePoint = { ...rest, usd, list, rate: steps.join('; then ') };
    if (tiers) price.tiers = tiers;
    return { ok: true, price: Object.freeze(price) };
  }

  const memo = new Map<string, PriceLookup>();
  return {
    meta,
    lookup(q: PriceQuery): PriceLookup {
      const id = `${q.service}\u0000${q.region}\u0000${q.key}`;
      let hit = memo.get(id);
      if (hit === undefined) {
        hit = effective(q);
        memo.set(id, hit);
      }
      return hit;
    },
    instanceSpec: (t: string): InstanceSpec | undefined => book.instanceSpec(t),
    spotAdvice: (region: string, t: string): SpotAdvice | undefined => book.spotAdvice(region, t),
    regions: (): string[] => book.regions(),
  };
}

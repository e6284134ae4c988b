/** A tiny in-memory PriceBook for core tests: prices keyed by `service/region/key`. */
import type { InstanceSpec, PriceBook } from '../../src/core/ports.js';
import type { PricePoint, PriceQuery } from '../../src/core/types.js';

export function fakeBook(prices: Record<string, number | Partial<PricePoint>>, specs: Record<string, InstanceSpec> = {}): PriceBook {
  const entries = new Map<string, PricePoint>();
  for (const [k, v] of Object.entries(prices)) {
    const p = typeof v === 'number' ? { usd: v } : v;
    entries.set(k, { usd: p.usd ?? 0, unit: p.unit ?? 'unit', sourceDate: p.sourceDate ?? '2026-01-01', source: p.source ?? 'test', ...(p.tiers ? { tiers: p.tiers } : {}) });
  }
  return {
    meta: { source: 'embedded', capturedAt: '2026-01-01' },
    lookup(q: PriceQuery) {
      const p = entries.get(`${q.service}/${q.region}/${q.key}`);
      return p ? { ok: true, price: p } : { ok: false, reason: `no test price for ${q.key} in ${q.region}` };
    },
    instanceSpec: (t) => specs[t.replace(/^ml\./, '')],
    spotAdvice: () => undefined,
    regions: () => [...new Set([...entries.keys()].map((k) => k.split('/')[1] as string))],
  };
}

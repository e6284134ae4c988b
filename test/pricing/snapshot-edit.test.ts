/** Editing snapshots: decode, overlay fresh prices, re-encode in the committed format. */
import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { embeddedSnapshotPath } from '../../src/adapters/snapshot-file.js';
import { createPriceBook, validateSnapshot, type Snapshot } from '../../src/pricing/catalog/price-book.js';
import { entryOfPrice, mergeSnapshot, snapshotEntries, SPOT_HISTORY_NOTE } from '../../src/pricing/catalog/snapshot-edit.js';
import { serializeSnapshot } from '../../src/pricing/catalog/snapshot-format.js';
import { averageSpotPrices } from '../../src/pricing/catalog/spot-history.js';
import { keys } from '../../src/pricing/keys.js';
import type { PriceQuery } from '../../src/core/types.js';

const text = readFileSync(embeddedSnapshotPath(), 'utf8');
const embedded = (): Snapshot => validateSnapshot(JSON.parse(text));

const liveSource = {
  id: 'aws-price-list-AmazonEC2',
  name: 'AWS Price List API: AmazonEC2 on-demand prices',
  origin: 'AWS Price List Query API GetProducts (endpoint us-east-1), ServiceCode AmazonEC2, FormatVersion aws_v1',
  date: '2026-11-28',
  dataFiles: [],
};

function usd(s: Snapshot, q: PriceQuery): number | undefined {
  const r = createPriceBook(s).lookup(q);
  return r.ok ? r.price.usd : undefined;
}

describe('snapshot editing', () => {
  it('re-encodes the embedded snapshot byte for byte when nothing changes', () => {
    const base = embedded();
    const again = mergeSnapshot({ base, entries: [], sources: [], date: base.capturedAt });
    expect(serializeSnapshot(again)).toBe(text);
  });

  it('decodes every price the book answers, with its source and date', () => {
    const base = embedded();
    const book = createPriceBook(base);
    const entries = snapshotEntries(base);
    expect(entries.length).toBeGreaterThan(10000);
    for (const e of entries.filter((_, i) => i % 97 === 0)) {
      const r = book.lookup({ service: e.service, region: e.region, key: e.key });
      if (!r.ok) throw new Error(r.reason);
      expect({ source: r.price.source, date: r.price.sourceDate, unit: r.price.unit }).toEqual({ source: e.source, date: e.date, unit: e.unit });
    }
  });

  it('lays fresh prices over the base: they win, everything else keeps its own source and date', () => {
    const base = embedded();
    const fresh = entryOfPrice(
      { ...keys.ec2Instance('us-east-1', 'm5.large'), usd: 0.095, unit: 'USD/hour', sku: '6C86BEPQVG73ZGGR', rateCode: 'r', sourceDate: '2021-02-01', description: '', offerCode: 'AmazonEC2' },
      liveSource.id,
      '2026-11-28',
    );
    const merged = mergeSnapshot({ base, entries: [fresh], sources: [liveSource], date: '2026-11-28', respotFrom: [liveSource.id] });
    expect(merged.capturedAt).toBe('2026-11-28');
    const book = createPriceBook(validateSnapshot(JSON.parse(serializeSnapshot(merged))));
    const m5 = book.lookup(keys.ec2Instance('us-east-1', 'm5.large'));
    expect(m5).toMatchObject({ ok: true, price: { usd: 0.095, source: liveSource.id, sourceDate: '2026-11-28', sku: '6C86BEPQVG73ZGGR', note: 'AWS Price List rate effective since 2021-02' } });
    // Not refreshed: kept as it was.
    const c5 = book.lookup(keys.ec2Instance('us-east-1', 'c5.large'));
    expect(c5).toMatchObject({ ok: true, price: { source: 'karpenter-ec2-ondemand', sourceDate: '2026-07-20' } });
    expect(usd(merged, keys.s3Storage('us-east-1', 'STANDARD'))).toBe(usd(base, keys.s3Storage('us-east-1', 'STANDARD')));
    // The Spot Advisor estimate follows the refreshed on-demand price and says so.
    const spot = book.lookup(keys.ec2Spot('us-east-1', 'm5.large'));
    expect(spot).toMatchObject({ ok: true, price: { usd: 0.0323, source: 'aws-spot-advisor', sourceDate: '2025-06-28' } });
    if (spot.ok) expect(spot.price.note).toMatch(/^estimate: on-demand \(aws-price-list-AmazonEC2, 2026-11-28\) x \(1 - savings%\/100\)/);
    expect(book.hasSkus()).toBe(true);
    expect(createPriceBook(base).hasSkus()).toBe(false);
    // The new source is listed with its count.
    expect(merged.sources.find((s) => s.id === liveSource.id)).toMatchObject({ entries: 1, date: '2026-11-28' });
  });

  it('keeps a spot price from price history over a recomputed estimate', () => {
    const base = embedded();
    const spotSource = { id: 'aws-ec2-spot-history', name: 'spot history', origin: 'DescribeSpotPriceHistory', date: '2026-11-28', dataFiles: [] };
    const first = mergeSnapshot({
      base,
      entries: [{ ...keys.ec2Spot('us-east-1', 'm5.large'), value: 0.041, source: spotSource.id, unit: 'USD/hour', note: SPOT_HISTORY_NOTE, date: '2026-11-28' }],
      sources: [spotSource],
      date: '2026-11-28',
    });
    const od = { ...keys.ec2Instance('us-east-1', 'm5.large'), value: 0.095, source: liveSource.id, unit: 'USD/hour', date: '2026-11-29' };
    const second = mergeSnapshot({ base: first, entries: [od], sources: [{ ...liveSource, date: '2026-11-29' }], date: '2026-11-29', respotFrom: [liveSource.id] });
    const r = createPriceBook(second).lookup(keys.ec2Spot('us-east-1', 'm5.large'));
    expect(r).toMatchObject({ ok: true, price: { usd: 0.041, source: spotSource.id, sourceDate: '2026-11-28', note: SPOT_HISTORY_NOTE } });
  });
});

describe('spot price history averages', () => {
  const h = 3600000;
  const start = Date.UTC(2026, 10, 21);
  const end = start + 7 * 24 * h;

  it('weights each price by how long it held, per zone, then averages the zones', () => {
    const avg = averageSpotPrices(
      [
        // zone a: 0.04 for the first half, 0.06 for the second (the first record predates the window).
        { instanceType: 'm5.large', zone: 'us-east-1a', usd: 0.04, at: start - 5 * h },
        { instanceType: 'm5.large', zone: 'us-east-1a', usd: 0.06, at: start + 84 * h },
        // zone b: 0.03 all week.
        { instanceType: 'm5.large', zone: 'us-east-1b', usd: 0.03, at: start + 0 },
        // after the window: ignored
        { instanceType: 'm5.large', zone: 'us-east-1b', usd: 9, at: end + h },
      ],
      start,
      end,
    );
    expect(avg.get('m5.large')).toEqual({ usd: 0.04, zones: 2, records: 3 });
  });

  it('on the real DescribeSpotPriceHistory sample (m5.large, us-east-1, 2021-02)', () => {
    const sample = JSON.parse(readFileSync(new URL('../fixtures/pricing/offer-samples/instance-selector-DescribeSpotPriceHistory-m5.large-us-east-1-2021.json', import.meta.url), 'utf8')) as {
      SpotPriceHistory: { AvailabilityZone: string; InstanceType: string; SpotPrice: string; Timestamp: string }[];
    };
    const records = sample.SpotPriceHistory.map((r) => ({ instanceType: r.InstanceType, zone: r.AvailabilityZone, usd: Number(r.SpotPrice), at: Date.parse(r.Timestamp) }));
    const last = Math.max(...records.map((r) => r.at));
    const avg = averageSpotPrices(records, last - 7 * 24 * h, last);
    const m5 = avg.get('m5.large');
    expect(m5?.zones).toBe(new Set(records.map((r) => r.zone)).size);
    // Between the lowest and highest price seen.
    expect(m5?.usd).toBeGreaterThanOrEqual(Math.min(...records.map((r) => r.usd)));
    expect(m5?.usd).toBeLessThanOrEqual(Math.max(...records.map((r) => r.usd)));
  });
});

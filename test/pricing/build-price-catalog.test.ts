/**
 * The catalog build is deterministic and the committed snapshots are what it produces. Uses the
 * staged data (../shared/pricing-data) when present; the committed cut-down copy always.
 */
import { describe, expect, it } from '@jest/globals';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildPriceCatalog, DEFAULT_DATA_DIR, SNAPSHOT_PATH, serializeSnapshot } from '../../scripts/build-price-catalog.js';
import { createPriceBook } from '../../src/pricing/catalog/price-book.js';
import { keys } from '../../src/pricing/keys.js';

const root = join(import.meta.dirname, '..', '..');
const miniDir = join(root, 'test/fixtures/pricing/catalog-mini-data');
const miniExpected = join(miniDir, 'expected-snapshot.json');
const fullDataPresent = existsSync(join(DEFAULT_DATA_DIR, 'README.md'));

describe('price catalog build', () => {
  it('rebuilds the committed mini snapshot byte for byte, twice', () => {
    const first = serializeSnapshot(buildPriceCatalog(miniDir, { allowMissing: true }).snapshot);
    const second = serializeSnapshot(buildPriceCatalog(miniDir, { allowMissing: true }).snapshot);
    expect(second).toBe(first);
    expect(first).toBe(readFileSync(miniExpected, 'utf8'));
  });

  // With the staged data present this compares the real build to the committed snapshot; without
  // it, the same assertions run on the cut-down copy (never skipped).
  it(`rebuilds the committed snapshot byte for byte (${fullDataPresent ? 'staged pricing data' : 'cut-down copy'})`, () => {
    const dataDir = fullDataPresent ? DEFAULT_DATA_DIR : miniDir;
    const committed = fullDataPresent ? SNAPSHOT_PATH : miniExpected;
    const result = buildPriceCatalog(dataDir, { allowMissing: !fullDataPresent });
    if (fullDataPresent) expect(result.missing).toEqual([]);
    const text = serializeSnapshot(result.snapshot);
    expect(text).toBe(readFileSync(committed, 'utf8'));
    expect(serializeSnapshot(buildPriceCatalog(dataDir, { allowMissing: !fullDataPresent }).snapshot)).toBe(text);
  });

  it('fails on missing data files unless told to skip them', () => {
    expect(() => buildPriceCatalog(miniDir)).toThrow(/price data file missing: .*koyakimu-ec2-capacity-blocks/);
    const { missing } = buildPriceCatalog(miniDir, { allowMissing: true });
    expect(missing).toContain('rds/quinnypig-rds-mysql-ondemand.json');
  });

  it('applies the source rules: spot derivation, dates, SageMaker statuses', () => {
    const { snapshot, warnings } = buildPriceCatalog(miniDir, { allowMissing: true });
    const book = createPriceBook(snapshot);
    const spot = book.lookup(keys.ec2Spot('eu-west-1', 'm5.large'));
    const od = book.lookup(keys.ec2Instance('eu-west-1', 'm5.large'));
    const advice = book.spotAdvice('eu-west-1', 'm5.large');
    if (!spot.ok || !od.ok || !advice) throw new Error('mini data lost its m5.large rows');
    expect(spot.price.usd).toBeCloseTo(od.price.usd * (1 - advice.savingsPercent / 100), 12);
    expect(spot.price.sourceDate).toBe('2025-06-13');

    // stale row dropped, undated row dropped, month-only row dated to the 1st, lower bound kept
    expect(book.lookup(keys.sagemakerInstance('us-east-1', 'hosting', 'ml.p4d.24xlarge')).ok).toBe(false);
    expect(book.lookup(keys.sagemakerInstance('us-west-2', 'training', 'ml.g5.xlarge')).ok).toBe(false);
    expect(warnings).toContain('SageMaker ml.g5.xlarge training us-west-2: no source date (sources idx-67049560902); skipped');
    expect(book.lookup(keys.sagemakerInstance('eu-west-1', 'training', 'ml.g5.xlarge'))).toMatchObject({ ok: true, price: { sourceDate: '2023-12-01' } });
    expect(book.lookup(keys.sagemakerInstance('us-east-1', 'training', 'ml.p4de.24xlarge'))).toMatchObject({ ok: true, price: { sourceDate: '2025-06-06' } });

    // p3 specs come from opszero; m5.large specs from Karpenter, not opszero
    expect(snapshot.instanceSpecs.map((g) => [snapshot.sources[g.s]?.id, Object.keys(g.types)])).toEqual([
      ['karpenter-instance-types', ['g5.xlarge', 'inf2.xlarge', 'm5.large', 'm6g.large', 'p4d.24xlarge', 'p5.48xlarge']],
      ['opszero-ec2', ['p3.2xlarge']],
    ]);
    expect(snapshot.capturedAt).toBe([...snapshot.sources.map((s) => s.date)].sort().at(-1));
  });
});

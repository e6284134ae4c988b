/** The Price List normalizer on the real offer/GetProducts samples (test/fixtures/pricing/offer-samples). */
import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { normalizeOfferProducts, type OfferSkip } from '../../src/pricing/catalog/offer-normalizer.js';
import { keys } from '../../src/pricing/keys.js';

const samples = join(import.meta.dirname, '..', 'fixtures', 'pricing', 'offer-samples');

function sample(name: string): unknown {
  return JSON.parse(readFileSync(join(samples, name), 'utf8')) as unknown;
}

function run(input: unknown): { prices: ReturnType<typeof normalizeOfferProducts>; skipped: OfferSkip[] } {
  const skipped: OfferSkip[] = [];
  const prices = normalizeOfferProducts(input, { onSkip: (s) => skipped.push(s) });
  return { prices, skipped };
}

describe('normalizeOfferProducts: GetProducts item (m5.large, us-east-1)', () => {
  const item = sample('instance-selector-GetProducts-item-m5.large-us-east-1.json');

  it('reads the on-demand Linux price, taking the region from the location name', () => {
    const { prices } = run([item]);
    expect(prices).toEqual([
      {
        ...keys.ec2Instance('us-east-1', 'm5.large'),
        usd: 0.096,
        unit: 'USD/hour',
        sku: '6C86BEPQVG73ZGGR',
        rateCode: '6C86BEPQVG73ZGGR.JRTCKXETXF.6YS6EN2CT7',
        sourceDate: '2021-02-01',
        description: '$0.096 per On Demand Linux m5.large Instance Hour',
        offerCode: 'AmazonEC2',
      },
    ]);
  });

  it('accepts items as JSON strings, a PriceList response, or a single item', () => {
    const expected = run([item]).prices;
    expect(run([JSON.stringify(item)]).prices).toEqual(expected);
    expect(run({ PriceList: [JSON.stringify(item)] }).prices).toEqual(expected);
    expect(run(item).prices).toEqual(expected);
  });
});

describe('normalizeOfferProducts: offer file with a Capacity Block SKU (p4d, us-east-1, 2024-05)', () => {
  const offer = sample('opencost-offer-AmazonEC2-us-east-1-p4d-2024-05.json');

  it('keeps the on-demand price and skips the $0 Capacity Block SKU', () => {
    const { prices, skipped } = run(offer);
    expect(prices).toHaveLength(1);
    expect(prices[0]).toMatchObject({
      ...keys.ec2Instance('us-east-1', 'p4d.24xlarge'),
      usd: 32.7726,
      sku: 'H7NGEAC6UEHNTKSJ',
      sourceDate: '2024-05-01',
    });
    expect(skipped).toEqual([{ sku: 'YSXJGN78QTXNVGDQ', reason: 'market option CapacityBlock (not on-demand)' }]);
  });

  it('skips a zero price even when the Capacity Block markers are missing', () => {
    const copy = JSON.parse(JSON.stringify(offer)) as { products: Record<string, { attributes: Record<string, string> }> };
    const cb = copy.products.YSXJGN78QTXNVGDQ;
    if (!cb) throw new Error('sample changed');
    delete cb.attributes.marketoption;
    cb.attributes.operation = 'RunInstances';
    const { prices, skipped } = run(copy);
    expect(prices.map((p) => p.usd)).toEqual([32.7726]);
    expect(skipped).toEqual([{ sku: 'YSXJGN78QTXNVGDQ', reason: 'price is 0 (not a usable on-demand price)' }]);
  });
});

describe('normalizeOfferProducts: mixed offer file (us-east-2, 2023-03)', () => {
  const offer = sample('opencost-offer-AmazonEC2-us-east-2-mixed-2023-03.json');
  const { prices, skipped } = run(offer);

  it('reads the gp3 storage and NLB hour prices', () => {
    expect(prices).toEqual([
      // Sorted by service, region, key: AWSELB before AmazonEC2.
      expect.objectContaining({ ...keys.loadBalancer('us-east-2', 'nlb', 'hour'), usd: 0.0225, unit: 'USD/hour', sku: 'Y9RYMSE644KDSV4S', sourceDate: '2024-05-01' }),
      expect.objectContaining({ ...keys.ebsStorage('us-east-2', 'gp3'), usd: 0.08, unit: 'USD/GB-month', sku: 'M6UGCCQ3CDJQAA37', sourceDate: '2023-03-01' }),
    ]);
  });

  it('does not read the RI upfront fee under OnDemand as an hourly m5.large price', () => {
    expect(prices.some((p) => p.key === 'instance:m5.large')).toBe(false);
    expect(skipped).toContainEqual({ sku: '8D49XP354UEYTHGM', reason: 'reserved term (3yr All Upfront) listed under OnDemand' });
  });

  it('does not turn a Windows BYOL row into a Linux price', () => {
    expect(prices.some((p) => p.key === 'instance:p3.8xlarge')).toBe(false);
    expect(skipped).toContainEqual({ sku: '9ZEEN7WWWQKAG292', reason: 'operating system Windows, not Linux' });
  });

  it('does not read an upfront-fee dimension even without lease attributes', () => {
    const copy = JSON.parse(JSON.stringify(offer)) as { terms: { OnDemand: Record<string, Record<string, { termAttributes: object }>> } };
    const term = copy.terms.OnDemand['8D49XP354UEYTHGM']?.['8D49XP354UEYTHGM.MZU6U2429S'];
    if (!term) throw new Error('sample changed');
    term.termAttributes = {};
    const again = run(copy);
    expect(again.prices.some((p) => p.key === 'instance:m5.large')).toBe(false);
    expect(again.skipped).toContainEqual({ sku: '8D49XP354UEYTHGM', reason: 'upfront fee listed under OnDemand (not an hourly price)' });
  });
});

describe('normalizeOfferProducts: other input', () => {
  it('rejects data that is not Price List data (DescribeSpotPriceHistory sample)', () => {
    expect(() => normalizeOfferProducts(sample('instance-selector-DescribeSpotPriceHistory-m5.large-us-east-1-2021.json'))).toThrow(
      /not AWS Price List data/,
    );
    expect(() => normalizeOfferProducts(['{not json'])).toThrow(/PriceList item 0 is not JSON/);
  });

  it('skips products whose location it cannot map, unless told the mapping', () => {
    const item = sample('instance-selector-GetProducts-item-m5.large-us-east-1.json') as { product: { attributes: Record<string, string> } };
    const copy = JSON.parse(JSON.stringify(item)) as typeof item;
    copy.product.attributes.location = 'Somewhere (New)';
    expect(run([copy]).skipped[0]?.reason).toMatch(/^no region: location Somewhere \(New\) is unknown/);
    expect(normalizeOfferProducts([copy], { locations: { 'Somewhere (New)': 'xx-new-1' } })[0]?.region).toBe('xx-new-1');
  });

  // No AmazonSageMaker offer or GetProducts document exists in the staged data (pricing-data
  // README, sections 2 and 10). This item is SYNTHETIC: built from the documented attribute names
  // (productFamily "ML Instance", component, usagetype) with a made-up SKU and price, to test the
  // mapping only.
  function sagemakerItem(component: string, usagetype: string, instanceName: string): object {
    const sku = `SYNTH${component.toUpperCase()}`;
    return {
      serviceCode: 'AmazonSageMaker',
      product: {
        sku,
        productFamily: 'ML Instance',
        attributes: { servicecode: 'AmazonSageMaker', location: 'US West (Oregon)', regionCode: 'us-west-2', component, usagetype, instanceName, instanceType: `${instanceName}-${component}` },
      },
      terms: {
        OnDemand: {
          [`${sku}.JRTCKXETXF`]: {
            sku,
            effectiveDate: '2026-01-01T00:00:00Z',
            offerTermCode: 'JRTCKXETXF',
            termAttributes: {},
            priceDimensions: {
              [`${sku}.JRTCKXETXF.6YS6EN2CT7`]: { rateCode: `${sku}.JRTCKXETXF.6YS6EN2CT7`, unit: 'Hrs', beginRange: '0', endRange: 'Inf', description: 'synthetic', pricePerUnit: { USD: '1.2340000000' } },
            },
          },
        },
      },
    };
  }

  it('maps SageMaker ML Instance components to usages (synthetic items)', () => {
    const { prices, skipped } = run([
      sagemakerItem('Hosting', 'USW2-Host:ml.g5.xlarge', 'ml.g5.xlarge'),
      sagemakerItem('Training', 'USW2-Train:ml.g5.xlarge', 'ml.g5.xlarge'),
      sagemakerItem('Processing', 'USW2-Processing:ml.m5.large', 'ml.m5.large'),
      sagemakerItem('BatchTransform', 'USW2-Tsform:ml.m5.large', 'ml.m5.large'),
      sagemakerItem('Notebook', 'USW2-Notebk:ml.t3.medium', 'ml.t3.medium'),
      sagemakerItem('Studio-Notebook', 'USW2-Studio:ml.t3.medium', 'ml.t3.medium'),
    ]);
    expect(prices.map((p) => `${p.service} ${p.region} ${p.key} ${p.usd} ${p.sourceDate}`)).toEqual([
      'AmazonSageMaker us-west-2 batch:ml.m5.large 1.234 2026-01-01',
      'AmazonSageMaker us-west-2 hosting:ml.g5.xlarge 1.234 2026-01-01',
      'AmazonSageMaker us-west-2 notebook:ml.t3.medium 1.234 2026-01-01',
      'AmazonSageMaker us-west-2 processing:ml.m5.large 1.234 2026-01-01',
      'AmazonSageMaker us-west-2 training:ml.g5.xlarge 1.234 2026-01-01',
    ]);
    expect(skipped).toEqual([{ sku: 'SYNTHSTUDIO-NOTEBOOK', reason: 'SageMaker component Studio-Notebook not handled' }]);
  });
});

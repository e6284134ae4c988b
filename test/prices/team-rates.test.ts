/** The team's rates (`.mlcost.yml` pricing:): the config, the effective-price book, the report. */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadEmbeddedPriceBook } from '../../src/adapters/snapshot-file.js';
import { runCli } from '../../src/cli/main.js';
import type { PriceBook } from '../../src/core/ports.js';
import type { Breakdown, PriceLookup, PricePoint, PriceQuery } from '../../src/core/types.js';
import { makeConfig, parseConfig } from '../../src/policy/schema.js';
import type { PricingConfig, PricingConfigInput } from '../../src/policy/pricing.js';
import { withTeamRates } from '../../src/pricing/effective.js';
import { keys } from '../../src/pricing/keys.js';
import { fakeBook } from '../helpers/fake-book.js';

const R = 'us-east-1';
const list = loadEmbeddedPriceBook();

function rates(pricing: PricingConfigInput): PricingConfig {
  return makeConfig({ pricing }).pricing as PricingConfig;
}

function ok(r: PriceLookup): PricePoint {
  if (!r.ok) throw new Error(r.reason);
  return r.price;
}

function listUsd(q: PriceQuery): number {
  return ok(list.lookup(q)).usd;
}

describe('pricing: in .mlcost.yml', () => {
  it('parses discounts, commitments and overrides with their defaults', () => {
    const { config, errors } = parseConfig(
      [
        'pricing:',
        '  discounts:',
        '    - service: AmazonEC2',
        '      percent: 18',
        '  commitments:',
        '    - family: g5',
        '      coveragePercent: 60',
        '      discountPercent: 35',
        '  overrides:',
        '    - instanceType: p5.48xlarge',
        '      usd: 38.5',
      ].join('\n'),
    );
    expect(errors).toEqual([]);
    expect(config.pricing).toEqual({
      discounts: [{ service: 'AmazonEC2', percent: 18 }],
      commitments: [{ service: 'AmazonEC2', family: 'g5', coveragePercent: 60, discountPercent: 35 }],
      overrides: [{ instanceType: 'p5.48xlarge', usd: 38.5 }],
    });
    expect(parseConfig('version: 1').config.pricing).toBeUndefined();
    expect(parseConfig('pricing:\n').config.pricing).toBeUndefined();
    expect(parseConfig('pricing:\n  discounts: []\n').config.pricing).toEqual({ discounts: [], commitments: [], overrides: [] });
  });

  it('reports mistakes with the key, the line and a suggestion', () => {
    const errors = (text: string) => parseConfig(text).errors.map((e) => `${e.line}:${e.key}: ${e.message}`);
    expect(errors('pricing:\n  discount:\n    - service: AmazonEC2\n      percent: 18\n')).toEqual(['2:pricing.discount: unknown key `discount`; did you mean `discounts`?']);
    expect(errors('pricing:\n  discounts:\n    - service: AmazonEc2\n      percent: 18\n')[0]).toMatch(/^3:pricing\.discounts\.0\.service: expected a Price List service code \(.*\) or `\*` for every AWS service, got the text "AmazonEc2"$/);
    expect(errors('pricing:\n  discounts:\n    - service: AmazonEC2\n      percent: 180\n')).toEqual(['4:pricing.discounts.0.percent: must be at most 100']);
    expect(errors('pricing:\n  discounts:\n    - {service: AmazonEC2, percent: 10}\n    - {service: AmazonEC2, percent: 5}\n')).toEqual([
      '4:pricing.discounts.1.service: a second discount for AmazonEC2 (the first is discounts.0); give one per service',
    ]);
    expect(errors('pricing:\n  commitments:\n    - {family: g5, instanceType: g5.xlarge, coveragePercent: 50, discountPercent: 30}\n')).toEqual([
      '3:pricing.commitments.0.instanceType: give either `family` or `instanceType`',
    ]);
    expect(errors('pricing:\n  commitments:\n    - {family: g5, coveragePercent: 50, usdPerHour: 0.7}\n')[0]).toMatch(/usdPerHour.*use it with `instanceType`/);
    expect(errors('pricing:\n  overrides:\n    - {key: "hosting:ml.g5.xlarge", usd: 1}\n')).toEqual([
      '3:pricing.overrides.0.key: a `key` needs its `service` (e.g. `service: AmazonSageMaker`, `key: hosting:ml.g5.xlarge`)',
    ]);
    expect(errors('pricing:\n  overrides:\n    - {instanceType: g5.xlarge, sku: 6C86BEPQVG73ZGGR, usd: 1}\n')).toEqual(['3:pricing.overrides.0: give exactly one of `instanceType`, `sku` or `key`']);
  });
});

describe('effective prices', () => {
  it('is the list book itself when no rate is set', () => {
    expect(withTeamRates(list, rates({}))).toBe(list);
    expect(withTeamRates(list, undefined)).toBe(list);
  });

  it('an enterprise discount takes its percent off every price of the service, keeping the list price', () => {
    const book = withTeamRates(list, rates({ discounts: [{ service: 'AmazonEC2', percent: 18 }] }));
    const m5 = ok(book.lookup(keys.ec2Instance(R, 'm5.large')));
    expect(m5).toMatchObject({ usd: 0.07872, source: 'karpenter-ec2-ondemand', sourceDate: '2026-07-20', rate: '18% AmazonEC2 discount (.mlcost.yml pricing.discounts[0])' });
    expect(m5.list).toMatchObject({ usd: 0.096 });
    expect(ok(book.lookup(keys.ec2Spot(R, 'm5.large'))).usd).toBeCloseTo(listUsd(keys.ec2Spot(R, 'm5.large')) * 0.82, 10);
    // Other services: untouched, the very same answer.
    expect(book.lookup(keys.s3Storage(R, 'STANDARD'))).toBe(list.lookup(keys.s3Storage(R, 'STANDARD')));
    expect(book.meta).toMatchObject({ source: 'embedded', teamRates: { discounts: 1, commitments: 0, overrides: 0 } });
  });

  it('`*` applies to every AWS service (not GitHub Actions); a service\'s own discount wins', () => {
    const book = withTeamRates(list, rates({ discounts: [{ service: '*', percent: 10 }, { service: 'AmazonS3', percent: 3 }] }));
    const s3 = ok(book.lookup(keys.s3Storage(R, 'STANDARD')));
    expect(s3.tiers?.map((t) => t.usd)).toEqual(ok(list.lookup(keys.s3Storage(R, 'STANDARD'))).tiers?.map((t) => Number((t.usd * 0.97).toPrecision(12))));
    expect(ok(book.lookup(keys.natGatewayHour(R))).rate).toBe('10% enterprise discount (.mlcost.yml pricing.discounts[0])');
    expect(ok(book.lookup(keys.githubRunner('linux-2-core'))).list).toBeUndefined();
  });

  it('a commitment covers a share of an instance family\'s hours at its discount; then the discount', () => {
    const book = withTeamRates(
      list,
      rates({
        commitments: [{ family: 'g5', coveragePercent: 60, discountPercent: 35, name: 'Compute SP' }],
        discounts: [{ service: 'AmazonEC2', percent: 10 }],
      }),
    );
    const g5 = ok(book.lookup(keys.ec2Instance(R, 'g5.xlarge')));
    // 1.006 x (1 - 0.6 x 0.35) x 0.9
    expect(g5.usd).toBeCloseTo(1.006 * 0.79 * 0.9, 10);
    expect(g5.rate).toBe('60% of hours at 35% off Compute SP (.mlcost.yml pricing.commitments[0]); then 10% AmazonEC2 discount (.mlcost.yml pricing.discounts[0])');
    // Not spot, not Capacity Blocks: only the discount.
    expect(ok(book.lookup(keys.ec2Spot(R, 'g5.xlarge'))).usd).toBeCloseTo(listUsd(keys.ec2Spot(R, 'g5.xlarge')) * 0.9, 10);
    expect(ok(book.lookup(keys.ec2CapacityBlock(R, 'p5.48xlarge'))).usd).toBeCloseTo(listUsd(keys.ec2CapacityBlock(R, 'p5.48xlarge')) * 0.9, 10);
    // Another family: only the discount.
    expect(ok(book.lookup(keys.ec2Instance(R, 'm5.large'))).usd).toBeCloseTo(0.096 * 0.9, 10);
  });

  it('the most specific commitment wins: instance type and region over family', () => {
    const book = withTeamRates(
      list,
      rates({
        commitments: [
          { family: 'g5', coveragePercent: 50, discountPercent: 20 },
          { instanceType: 'g5.xlarge', region: R, coveragePercent: 100, usdPerHour: 0.7 },
        ],
      }),
    );
    expect(ok(book.lookup(keys.ec2Instance(R, 'g5.xlarge'))).usd).toBe(0.7);
    expect(ok(book.lookup(keys.ec2Instance('us-west-2', 'g5.xlarge'))).usd).toBeCloseTo(listUsd(keys.ec2Instance('us-west-2', 'g5.xlarge')) * 0.9, 10);
    expect(ok(book.lookup(keys.ec2Instance(R, 'g5.2xlarge'))).usd).toBeCloseTo(listUsd(keys.ec2Instance(R, 'g5.2xlarge')) * 0.9, 10);
  });

  it('SageMaker, RDS and ElastiCache commitments match their own instance keys', () => {
    const book = fakeBook({
      'AmazonSageMaker/us-east-1/hosting:ml.g5.xlarge': 1.408,
      'AmazonRDS/us-east-1/instance:postgres:db.r6g.large:multi-az': 0.45,
      'AmazonElastiCache/us-east-1/node:redis:cache.r7g.large': 0.219,
      'AmazonEC2/us-east-1/instance:g5.xlarge': 1.006,
    });
    const rated = withTeamRates(
      book,
      rates({
        commitments: [
          { service: 'AmazonSageMaker', family: 'g5', coveragePercent: 100, discountPercent: 50 },
          { service: 'AmazonRDS', family: 'r6g', coveragePercent: 100, discountPercent: 40 },
          { service: 'AmazonElastiCache', instanceType: 'cache.r7g.large', coveragePercent: 50, discountPercent: 20 },
        ],
      }),
    );
    expect(ok(rated.lookup(keys.sagemakerInstance(R, 'hosting', 'ml.g5.xlarge'))).usd).toBe(0.704);
    expect(ok(rated.lookup(keys.rdsInstance(R, 'postgres', 'db.r6g.large', 'multi-az'))).usd).toBe(0.27);
    expect(ok(rated.lookup(keys.elasticacheNode(R, 'redis', 'cache.r7g.large'))).usd).toBe(0.19710);
    // The SageMaker commitment does not touch EC2.
    expect(ok(rated.lookup(keys.ec2Instance(R, 'g5.xlarge'))).list).toBeUndefined();
  });

  it('an override is the final rate: by instance type, by key, by SKU; region-specific first', () => {
    const book = withTeamRates(
      list,
      rates({
        discounts: [{ service: '*', percent: 10 }],
        overrides: [
          { instanceType: 'p5.48xlarge', usd: 40 },
          { instanceType: 'p5.48xlarge', region: R, usd: 38.5, name: 'PPA 2026' },
          { service: 'AmazonEC2', key: 'spot:m5.large', usd: 0.03 },
        ],
      }),
    );
    const p5 = ok(book.lookup(keys.ec2Instance(R, 'p5.48xlarge')));
    expect(p5).toMatchObject({ usd: 38.5, rate: 'override $38.5 PPA 2026 (.mlcost.yml pricing.overrides[1])', list: { usd: 55.04 } });
    expect(ok(book.lookup(keys.ec2Instance('us-west-2', 'p5.48xlarge'))).usd).toBe(40);
    expect(ok(book.lookup(keys.ec2Spot(R, 'm5.large'))).usd).toBe(0.03);
    // A book whose prices carry SKUs, as snapshots written by `mlcost prices update` do.
    const plain = fakeBook({ 'AmazonEC2/us-east-1/instance:m5.large': 0.096 });
    const withSku: PriceBook = { ...plain, lookup: (q) => { const r = plain.lookup(q); return r.ok ? { ok: true, price: { ...r.price, sku: '6C86BEPQVG73ZGGR' } } : r; } };
    const skuRated = withTeamRates(withSku, rates({ overrides: [{ sku: '6C86BEPQVG73ZGGR', usd: 0.08 }] }));
    expect(ok(skuRated.lookup(keys.ec2Instance(R, 'm5.large')))).toMatchObject({ usd: 0.08, list: { usd: 0.096 } });
  });

  it('an instance-type override prices a type the snapshot has no list price for, and says so', () => {
    const book = withTeamRates(list, rates({ overrides: [{ instanceType: 'p9.huge', usd: 99 }] }));
    const p = ok(book.lookup(keys.ec2Instance(R, 'p9.huge')));
    expect(p).toMatchObject({ usd: 99, unit: 'USD/hour', source: 'team-rates', sourceDate: list.meta.capturedAt });
    expect(p.list).toBeUndefined();
    expect(p.note).toMatch(/there is no AWS list price for it in the snapshot/);
  });

  it('warns when SKU overrides meet a snapshot without SKUs', () => {
    const book = withTeamRates(list, rates({ overrides: [{ sku: '6C86BEPQVG73ZGGR', usd: 0.08 }] }));
    expect(book.meta.teamRates?.warnings?.[0]).toMatch(/^pricing\.overrides\[0\]: SKU overrides cannot apply to this price snapshot, which keeps no SKUs/);
  });
});

describe('the report shows effective and list prices', () => {
  let tmp: string;
  beforeAll(() => {
    tmp = mkdtempSync(join(tmpdir(), 'mlcost-rates-'));
  });
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  async function cli(args: string[]) {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runCli(args, { out: (s) => out.push(s), err: (s) => err.push(s), env: {}, cwd: join(import.meta.dirname, '..', '..') });
    return { code, out: out.join('\n'), err: err.join('\n') };
  }

  it('JSON carries list and effective; markdown shows "effective (list $x)" only where they differ', async () => {
    const config = join(tmp, 'rates.yml');
    writeFileSync(config, 'pricing:\n  discounts:\n    - service: AmazonEC2\n      percent: 18\n  overrides:\n    - sku: 6C86BEPQVG73ZGGR\n      usd: 0.08\n');
    const json = await cli(['breakdown', 'examples/ml-platform/base', '--format', 'json', '--config', config]);
    expect(json.code).toBe(0);
    expect(json.err).toMatch(/mlcost: warning: pricing\.overrides\[0\]: SKU overrides cannot apply/);
    const b = JSON.parse(json.out) as Breakdown;
    expect(b.prices.teamRates).toMatchObject({ discounts: 1, commitments: 0, overrides: 1 });
    const bastion = b.projects[0]?.resources.find((r) => r.address === 'aws_instance.bastion');
    const instance = bastion?.costComponents.find((c) => c.unit === 'hours');
    expect(instance).toMatchObject({ unitPrice: 0.07872, listUnitPrice: 0.096, monthlyCost: 57.4656, listMonthlyCost: 70.08, teamRate: '18% AmazonEC2 discount (.mlcost.yml pricing.discounts[0])' });
    // A line the rates do not touch has no list fields.
    const endpoint = b.projects[0]?.resources.find((r) => r.type === 'aws_s3_bucket');
    for (const c of endpoint?.costComponents ?? []) expect(c.listUnitPrice).toBeUndefined();

    const md = await cli(['breakdown', 'examples/ml-platform/base', '--format', 'markdown', '--config', config]);
    expect(md.out).toContain('$57.47 (list $70.08)');
    expect(md.out).toMatch(/\$0\.0787\d* \/ hour \(list \$0\.096\)/);
    expect(md.out).toContain("Prices: the team's rates (.mlcost.yml pricing:) over AWS list prices, embedded snapshot");
  });
});

describe('service names', () => {
  it('PRICE_SERVICES lists every service a price key uses', async () => {
    const { PRICE_SERVICES } = await import('../../src/pricing/keys.js');
    const used = new Set(Object.values(keys).map((k) => (k as (...a: string[]) => PriceQuery)('r', 'a', 'b', 'c').service));
    expect([...used].filter((s) => !(PRICE_SERVICES as readonly string[]).includes(s))).toEqual([]);
  });
});

/** The embedded price book: known values from the pricing-data README, provenance, reasons, specs. */
import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { embeddedSnapshotPath, loadEmbeddedPriceBook, loadPriceBook, loadPriceBookFile } from '../../src/adapters/snapshot-file.js';
import type { PriceLookup, PricePoint, PriceQuery } from '../../src/core/types.js';
import { createPriceBook, type Snapshot } from '../../src/pricing/catalog/price-book.js';
import { keys } from '../../src/pricing/keys.js';

const root = join(import.meta.dirname, '..', '..');
const book = loadEmbeddedPriceBook();
const DATE = /^\d{4}-\d{2}-\d{2}$/;

function price(q: PriceQuery): PricePoint {
  const r: PriceLookup = book.lookup(q);
  if (!r.ok) throw new Error(`expected a price for ${q.service} ${q.region} ${q.key}: ${r.reason}`);
  expect(r.price.sourceDate).toMatch(DATE);
  expect(book.sources().some((s) => s.id === r.price.source)).toBe(true);
  return r.price;
}

function reason(q: PriceQuery): string {
  const r = book.lookup(q);
  if (r.ok) throw new Error(`expected no price for ${q.key}, got ${r.price.usd}`);
  return r.reason;
}

describe('embedded price book: EC2', () => {
  it('has the 2026 us-east-1 on-demand prices, after the mid-2025 GPU price cut', () => {
    const m5 = price(keys.ec2Instance('us-east-1', 'm5.large'));
    expect(m5).toMatchObject({ usd: 0.096, unit: 'USD/hour', source: 'karpenter-ec2-ondemand', sourceDate: '2026-07-20' });
    expect(price(keys.ec2Instance('us-east-1', 'p4d.24xlarge')).usd).toBe(21.957642);
    expect(price(keys.ec2Instance('us-east-1', 'p5.48xlarge')).usd).toBe(55.04);
    expect(price(keys.ec2Instance('us-east-1', 'g5.xlarge')).usd).toBe(1.006);
  });

  it('takes other regions from the 2025-06 pricing-page data', () => {
    expect(price(keys.ec2Instance('us-west-2', 'm5.large'))).toMatchObject({ usd: 0.096, source: 'quinnypig-ec2-ondemand', sourceDate: '2025-06-13' });
    expect(price(keys.ec2Instance('eu-west-1', 'm5.large')).usd).toBe(0.107);
    expect(price(keys.ec2Instance('eu-west-1', 'g5.xlarge')).usd).toBe(1.123);
  });

  it('estimates spot prices from the Spot Advisor and says so', () => {
    const spot = price(keys.ec2Spot('us-east-1', 'm5.large'));
    expect(spot.usd).toBeCloseTo(0.096 * (1 - 0.66), 12);
    expect(spot.source).toBe('aws-spot-advisor');
    expect(spot.note).toMatch(/^estimate: on-demand .* x \(1 - savings%\/100\)/);
    // The older of the two inputs: advisor 2025-06-28 vs on-demand 2026-07-20.
    expect(spot.sourceDate).toBe('2025-06-28');
    expect(book.spotAdvice('us-east-1', 'm5.large')).toEqual({ savingsPercent: 66, interruption: '15-20%', sourceDate: '2025-06-28' });
    expect(book.spotAdvice('us-east-1', 'p5.48xlarge')).toMatchObject({ savingsPercent: 52, interruption: '>20%' });
    expect(book.spotAdvice('us-east-1', 'm9.huge')).toBeUndefined();
  });

  it('has Capacity Block prices per instance-hour', () => {
    expect(price(keys.ec2CapacityBlock('us-east-1', 'p5.48xlarge'))).toMatchObject({ usd: 41.528, source: 'koyakimu-capacity-blocks', sourceDate: '2026-07-22' });
    expect(price(keys.ec2CapacityBlock('us-east-1', 'p4d.24xlarge')).usd).toBe(11.8);
  });

  it('gives instance specs, also for ml. names and for p3 (from opszero)', () => {
    expect(book.instanceSpec('p4d.24xlarge')).toMatchObject({ vcpu: 96, gpuCount: 8, gpuName: 'a100', memoryGiB: 1152, gpuMemoryGiB: 320 });
    expect(book.instanceSpec('ml.g5.xlarge')).toEqual(book.instanceSpec('g5.xlarge'));
    expect(book.instanceSpec('g5.xlarge')).toMatchObject({ vcpu: 4, memoryGiB: 16, gpuCount: 1, gpuName: 'a10g' });
    expect(book.instanceSpec('inf2.xlarge')).toMatchObject({ gpuCount: 0, acceleratorCount: 1, acceleratorName: 'inferentia2' });
    expect(book.instanceSpec('trn1.32xlarge')).toMatchObject({ vcpu: 128, acceleratorCount: 16, acceleratorName: 'trainium' });
    expect(book.instanceSpec('m6g.large')).toMatchObject({ arch: 'arm64' });
    expect(book.instanceSpec('p3.2xlarge')).toMatchObject({ vcpu: 8, gpuCount: 1, gpuName: 'v100', gpuMemoryGiB: 16 });
    expect(book.instanceSpec('dl1.24xlarge')).toMatchObject({ vcpu: 96, memoryGiB: 768 });
    expect(book.instanceSpec('m9.huge')).toBeUndefined();
  });
});

describe('embedded price book: storage, network, containers, databases', () => {
  it('has EBS volumes, IOPS, throughput, magnetic I/O and snapshots', () => {
    expect(price(keys.ebsStorage('us-east-1', 'gp3'))).toMatchObject({ usd: 0.08, unit: 'USD/GB-month', sourceDate: '2025-10-28' });
    expect(price(keys.ebsStorage('us-east-1', 'gp2')).usd).toBe(0.1);
    expect(price(keys.ebsStorage('us-east-1', 'io1')).usd).toBe(0.125);
    expect(price(keys.ebsIops('us-east-1', 'io1'))).toMatchObject({ usd: 0.065, unit: 'USD/IOPS-month' });
    expect(price(keys.ebsIops('us-east-1', 'gp3')).usd).toBe(0.005);
    const throughput = price(keys.ebsThroughput('us-east-1', 'gp3'));
    expect(throughput).toMatchObject({ usd: 0.04, unit: 'USD/MiBps-month' });
    expect(throughput.note).toMatch(/1024/);
    expect(price(keys.ebsStorage('eu-west-1', 'gp3')).usd).toBe(0.088);
    expect(price(keys.ebsThroughput('eu-west-1', 'gp3')).usd).toBe(0.044);
    expect(price(keys.ebsIops('us-east-1', 'io2')).tiers).toEqual([
      { upTo: 32000, usd: 0.065 },
      { upTo: 64000, usd: 0.0455 },
      { upTo: null, usd: 0.03185 },
    ]);
    expect(price(keys.ebsStorage('us-east-1', 'st1')).usd).toBe(0.045);
    expect(price(keys.ebsStorage('us-east-1', 'sc1')).usd).toBe(0.015);
    expect(price(keys.ebsIoRequests('us-east-1'))).toMatchObject({ usd: 0.00000005, unit: 'USD/request' });
    expect(price(keys.ebsSnapshot('us-east-1')).usd).toBe(0.05);
    expect(price(keys.ebsSnapshot('us-east-1', 'archive')).usd).toBe(0.0125);
  });

  it('has S3 storage classes with Standard tiers in GB, and per-request prices', () => {
    const standard = price(keys.s3Storage('us-east-1', 'STANDARD'));
    expect(standard.usd).toBe(0.023);
    expect(standard.tiers).toEqual([
      { upTo: 51200, usd: 0.023 },
      { upTo: 512000, usd: 0.022 },
      { upTo: null, usd: 0.021 },
    ]);
    expect(price(keys.s3Storage('us-east-1', 'INTELLIGENT_TIERING')).tiers?.map((t) => t.upTo)).toEqual([51200, 512000, null]);
    expect(price(keys.s3Storage('us-east-1', 'STANDARD_IA')).usd).toBe(0.0125);
    expect(price(keys.s3Storage('us-east-1', 'DEEP_ARCHIVE'))).toMatchObject({ usd: 0.00099, source: 'aws-s3-deep-archive' });
    expect(price(keys.s3Requests('us-east-1', 'STANDARD', 'tier1'))).toMatchObject({ usd: 0.000005, unit: 'USD/request' });
    expect(price(keys.s3Requests('us-east-1', 'STANDARD', 'tier2')).usd).toBe(0.0000004);
    expect(price(keys.s3Storage('eu-west-1', 'STANDARD')).usd).toBe(0.023);
  });

  it('has EKS, Fargate, NAT, public IPv4, endpoints and load balancers', () => {
    expect(price(keys.eksCluster('us-east-1'))).toMatchObject({ usd: 0.1, unit: 'USD/hour' });
    expect(price(keys.eksCluster('us-east-1', 'extended')).usd).toBe(0.5);
    expect(price(keys.fargateVcpu('us-east-1'))).toMatchObject({ usd: 0.04048, unit: 'USD/vCPU-hour' });
    expect(price(keys.fargateMemory('us-east-1'))).toMatchObject({ usd: 0.004445, unit: 'USD/GB-hour' });
    expect(price(keys.fargateVcpu('us-east-1', 'arm')).usd).toBe(0.03238);
    expect(price(keys.natGatewayHour('us-east-1')).usd).toBe(0.045);
    expect(price(keys.natGatewayData('us-east-1'))).toMatchObject({ usd: 0.045, unit: 'USD/GB' });
    expect(price(keys.natGatewayHour('eu-west-1')).usd).toBe(0.048);
    expect(price(keys.publicIpv4('us-east-1')).usd).toBe(0.005);
    expect(price(keys.publicIpv4('us-east-1', 'idle')).usd).toBe(0.005);
    expect(price(keys.vpcEndpointHour('us-east-1')).usd).toBe(0.01);
    expect(price(keys.vpcEndpointData('us-east-1')).usd).toBe(0.01);
    expect(price(keys.loadBalancer('us-east-1', 'alb', 'hour')).usd).toBe(0.0225);
    expect(price(keys.loadBalancer('us-east-1', 'alb', 'lcu'))).toMatchObject({ usd: 0.008, unit: 'USD/LCU-hour' });
    expect(price(keys.loadBalancer('us-east-1', 'nlb', 'lcu')).usd).toBe(0.006);
    expect(price(keys.loadBalancer('us-east-1', 'classic', 'gb')).usd).toBe(0.008);
  });

  it('has data transfer to the internet (tiered) and between regions', () => {
    const out = price(keys.dataTransferInternetOut('us-east-1'));
    expect(out.usd).toBe(0.09);
    expect(out.tiers?.[0]).toEqual({ upTo: 10240, usd: 0.09 });
    expect(out.tiers?.at(-1)).toEqual({ upTo: null, usd: 0.05 });
    expect(price(keys.dataTransferInterRegion('us-east-1', 'us-west-2')).usd).toBe(0.02);
  });

  it('has RDS instance-hours with db. names, and RDS storage', () => {
    expect(price(keys.rdsInstance('us-east-1', 'mysql', 'db.m5.large', 'single-az'))).toMatchObject({ usd: 0.171, sourceDate: '2025-06-05' });
    expect(price(keys.rdsInstance('us-east-1', 'mysql', 'db.m5.large', 'multi-az')).usd).toBe(0.342);
    expect(price(keys.rdsInstance('us-east-1', 'postgres', 'db.m5.large', 'single-az')).usd).toBe(0.178);
    expect(price(keys.rdsInstance('eu-west-1', 'mysql', 'db.m5.large', 'single-az')).usd).toBe(0.189);
    expect(price(keys.rdsStorage('us-east-1', 'gp2', 'single-az'))).toMatchObject({ usd: 0.115, source: 'aws-rds-storage' });
    expect(price(keys.rdsStorage('us-east-1', 'gp3', 'multi-az')).usd).toBe(0.23);
    expect(price(keys.rdsIops('us-east-1', 'io1', 'single-az')).usd).toBe(0.1);
  });

  it('has ElastiCache, EFS, Lambda and CloudWatch Logs', () => {
    expect(price(keys.elasticacheNode('us-east-1', 'redis', 'cache.r7g.large')).usd).toBe(0.219);
    expect(price(keys.elasticacheNode('us-east-1', 'valkey', 'cache.r7g.large')).usd).toBe(0.1752);
    expect(price(keys.efsStorage('us-east-1', 'standard')).usd).toBe(0.3);
    expect(price(keys.efsProvisionedThroughput('us-east-1'))).toMatchObject({ usd: 6, unit: 'USD/MiBps-month' });
    expect(price(keys.lambdaRequests('us-east-1'))).toMatchObject({ usd: 0.0000002, unit: 'USD/request' });
    const duration = price(keys.lambdaDuration('us-east-1'));
    expect(duration).toMatchObject({ usd: 0.0000166667, unit: 'USD/GB-second' });
    expect(duration.tiers?.map((t) => t.upTo)).toEqual([6e9, 15e9, null]);
    expect(price(keys.lambdaProvisionedDuration('us-east-1')).usd).toBe(0.0000097222);
    expect(price(keys.cloudwatchLogsIngest('us-east-1'))).toMatchObject({ usd: 0.5, unit: 'USD/GB' });
    expect(price(keys.cloudwatchLogsStorage('us-east-1'))).toMatchObject({ usd: 0.03, unit: 'USD/GB-month' });
  });
});

describe('embedded price book: SageMaker and GitHub', () => {
  it('has SageMaker hosting prices with status and basis in the note', () => {
    const g5 = price(keys.sagemakerInstance('us-east-1', 'hosting', 'ml.g5.xlarge'));
    expect(g5).toMatchObject({ usd: 1.408, source: 'sagemaker-consensus' });
    expect(g5.note).toMatch(/^consensus; basis: /);
    expect(price(keys.sagemakerInstance('us-east-1', 'notebook', 'ml.g5.xlarge')).usd).toBe(1.41);
  });

  it('never uses stale (pre-cut) SageMaker rows', () => {
    expect(reason(keys.sagemakerInstance('us-east-1', 'hosting', 'ml.p4d.24xlarge'))).toContain('ml.p4d.24xlarge hosting');
    expect(reason(keys.sagemakerInstance('us-east-1', 'hosting', 'ml.p5.48xlarge'))).toContain('not in the snapshot');
  });

  it('has GitHub runner prices from 2026-01-01 under the global region', () => {
    const linux = price(keys.githubRunner('linux-2-core'));
    expect(linux).toMatchObject({ usd: 0.006, unit: 'USD/minute', sourceDate: '2026-01-01' });
    expect(linux.note).toContain('until 2025-12-31');
    expect(price(keys.githubRunner('linux-4-core-gpu')).usd).toBe(0.052);
    expect(book.regions()).not.toContain('global');
  });
});

describe('embedded price book: misses, meta, speed', () => {
  it('explains why a price is missing', () => {
    expect(reason(keys.ec2Instance('us-east-1', 'm9.huge'))).toBe('no price for m9.huge in us-east-1 (instance type not in the snapshot)');
    expect(reason(keys.ec2Instance('xx-fake-1', 'm5.large'))).toBe('region xx-fake-1 not in the snapshot');
    expect(reason(keys.ec2Instance('eu-west-1', 'p5en.48xlarge'))).toMatch(/^no price for p5en\.48xlarge in eu-west-1 \(not in the snapshot for this region; it has prices in \d+ other region\(s\): .*us-east-1/);
    expect(reason(keys.ec2Spot('us-east-1', 'p5e.48xlarge'))).toContain('p5e.48xlarge (spot)');
    expect(reason(keys.ebsStorage('us-east-1', 'gp9'))).toBe('no price for ebs:gp9:storage in us-east-1 (AmazonEC2 key not in the snapshot)');
    expect(reason({ service: 'AmazonFoo', region: 'us-east-1', key: 'x' })).toBe('no AmazonFoo prices in the snapshot (service not in the snapshot)');
    expect(reason(keys.eksCluster('us-east-1-atl-1'))).toBe('no AmazonEKS prices for region us-east-1-atl-1 in the snapshot');
  });

  it('reports its meta and regions', () => {
    const snapshot = JSON.parse(readFileSync(embeddedSnapshotPath(), 'utf8')) as Snapshot;
    expect(book.meta).toEqual({ source: 'embedded', capturedAt: snapshot.capturedAt });
    expect(snapshot.capturedAt).toMatch(DATE);
    expect(book.regions()).toEqual(expect.arrayContaining(['us-east-1', 'us-west-2', 'eu-west-1', 'ap-south-2']));
    expect(book.regionOfLocation('EU (Ireland)')).toBe('eu-west-1');
    expect(loadEmbeddedPriceBook()).toBe(book);
    expect(loadPriceBook()).toBe(book);
  });

  it('keeps a date on every source and every dated group', () => {
    const snapshot = JSON.parse(readFileSync(embeddedSnapshotPath(), 'utf8')) as Snapshot;
    for (const s of snapshot.sources) expect({ id: s.id, date: s.date }).toEqual({ id: s.id, date: expect.stringMatching(DATE) });
    for (const regions of Object.values(snapshot.prices)) {
      for (const groups of Object.values(regions)) {
        for (const g of groups) if (g.d !== undefined) expect(g.d).toMatch(DATE);
      }
    }
    expect(snapshot.capturedAt).toBe([...snapshot.sources.map((s) => s.date)].sort().at(-1));
  });

  it('answers a lookup in well under 2 microseconds once a region is loaded', () => {
    const qs = [
      keys.ec2Instance('us-east-1', 'm5.large'),
      keys.ebsStorage('eu-west-1', 'gp3'),
      keys.rdsInstance('us-east-1', 'mysql', 'db.m5.large', 'single-az'),
      keys.s3Storage('us-west-2', 'STANDARD'),
    ];
    for (const q of qs) book.lookup(q);
    const n = 200_000;
    const t0 = performance.now();
    for (let i = 0; i < n; i++) book.lookup(qs[i % qs.length] as PriceQuery);
    const perLookupUs = ((performance.now() - t0) * 1000) / n;
    expect(perLookupUs).toBeLessThan(2);
  });

  it('loads other snapshot files and rejects what is not a snapshot', () => {
    const mini = loadPriceBookFile(join(root, 'test/fixtures/pricing/catalog-mini-data/expected-snapshot.json'));
    expect(mini.meta.source).toBe('file');
    expect(mini.lookup(keys.ec2Instance('us-east-1', 'm5.large'))).toMatchObject({ ok: true, price: { usd: 0.096 } });
    expect(() => createPriceBook({ schema: 'something-else' })).toThrow(/not a usable mlcost price snapshot: schema/);
    expect(() => createPriceBook([])).toThrow(/expected a JSON object/);
    expect(() => loadPriceBookFile(join(root, 'package.json'))).toThrow(/package\.json: not a usable mlcost price snapshot/);
  });

  it('treats keys that look like object members as plain misses', () => {
    expect(book.lookup({ service: 'AmazonEC2', region: 'us-east-1', key: 'constructor' }).ok).toBe(false);
    expect(book.lookup({ service: 'constructor', region: 'us-east-1', key: 'x' }).ok).toBe(false);
    expect(book.instanceSpec('constructor')).toBeUndefined();
    expect(book.spotAdvice('us-east-1', '__proto__')).toBeUndefined();
  });
});

describe('price literals', () => {
  it('live only in the snapshot, not in the catalog code', () => {
    for (const file of ['src/pricing/catalog/price-book.ts', 'src/pricing/catalog/offer-normalizer.ts', 'src/adapters/snapshot-file.ts', 'src/pricing/keys.ts']) {
      const text = readFileSync(join(root, file), 'utf8');
      expect({ file, decimals: text.match(/\b\d+\.\d+\b/g) ?? [] }).toEqual({ file, decimals: [] });
    }
  });
});

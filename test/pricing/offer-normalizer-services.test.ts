/**
 * The normalizer on every service `mlcost prices update` pulls: GetProducts items (JSON strings, as
 * the live API returns them) -> the exact keys of src/pricing/keys.ts. Real EC2 samples plus
 * CONSTRUCTED items for the other services (test/fixtures/pricing/price-list-api/README.md).
 */
import { describe, expect, it } from '@jest/globals';
import { normalizeOfferProducts, type NormalizedPrice, type OfferSkip } from '../../src/pricing/catalog/offer-normalizer.js';
import { keys } from '../../src/pricing/keys.js';
import type { PriceQuery } from '../../src/core/types.js';
import { constructedItems, item, realEc2Items, type PriceListItem } from '../fixtures/pricing/price-list-api/items.js';

const catalog = constructedItems();

function run(items: PriceListItem[], asOf = '2026-11-28'): { prices: NormalizedPrice[]; skipped: OfferSkip[] } {
  const skipped: OfferSkip[] = [];
  // As the live API returns them: each PriceList item is a JSON string.
  const prices = normalizeOfferProducts({ PriceList: items.map((i) => JSON.stringify(i)) }, { asOf, onSkip: (s) => skipped.push(s) });
  return { prices, skipped };
}

function priceOf(prices: NormalizedPrice[], q: PriceQuery): NormalizedPrice {
  const p = prices.find((x) => x.service === q.service && x.region === q.region && x.key === q.key);
  if (!p) throw new Error(`no price for ${q.service} ${q.region} ${q.key}; got ${prices.map((x) => `${x.service}/${x.key}`).join(', ')}`);
  return p;
}

function of(service: string): PriceListItem[] {
  const list = catalog[service];
  if (!list) throw new Error(`no constructed items for ${service}`);
  return list;
}

const R = 'us-east-1';

describe('EC2 (real samples as GetProducts items)', () => {
  const { prices, skipped } = run(realEc2Items());

  it('reads on-demand Linux prices and skips the $0 Capacity Block SKU', () => {
    expect(priceOf(prices, keys.ec2Instance(R, 'm5.large'))).toMatchObject({ usd: 0.096, unit: 'USD/hour', sku: '6C86BEPQVG73ZGGR', sourceDate: '2021-02-01' });
    expect(priceOf(prices, keys.ec2Instance(R, 'p4d.24xlarge'))).toMatchObject({ usd: 32.7726, sku: 'H7NGEAC6UEHNTKSJ' });
    expect(skipped).toContainEqual({ sku: 'YSXJGN78QTXNVGDQ', reason: 'market option CapacityBlock (not on-demand)' });
  });

  it('does not read an upfront fee listed under OnDemand as an hourly price', () => {
    expect(prices.some((p) => p.region === 'us-east-2' && p.key === 'instance:m5.large')).toBe(false);
    expect(skipped).toContainEqual({ sku: '8D49XP354UEYTHGM', reason: 'reserved term (3yr All Upfront) listed under OnDemand' });
  });

  it('reads the EC2 offer\'s gp3 storage and its NLB row', () => {
    expect(priceOf(prices, keys.ebsStorage('us-east-2', 'gp3')).usd).toBe(0.08);
    expect(priceOf(prices, keys.loadBalancer('us-east-2', 'nlb', 'hour')).usd).toBe(0.0225);
  });
});

describe('EC2 (constructed)', () => {
  const { prices, skipped } = run(of('AmazonEC2'));

  it('maps EBS, NAT and instances', () => {
    expect(priceOf(prices, keys.ec2Instance(R, 'g5.xlarge')).usd).toBe(1.006);
    expect(priceOf(prices, keys.ebsStorage(R, 'gp3'))).toMatchObject({ usd: 0.08, unit: 'USD/GB-month' });
    expect(priceOf(prices, keys.ebsThroughput(R, 'gp3'))).toMatchObject({ usd: 0.04, unit: 'USD/MiBps-month' });
    expect(priceOf(prices, keys.natGatewayHour(R)).usd).toBe(0.045);
    expect(priceOf(prices, keys.natGatewayData(R))).toMatchObject({ usd: 0.045, unit: 'USD/GB' });
  });

  it('assembles io2 IOPS from its three tier products into one tiered price', () => {
    expect(priceOf(prices, keys.ebsIops(R, 'io2'))).toMatchObject({
      usd: 0.065,
      tiers: [
        { upTo: 32000, usd: 0.065 },
        { upTo: 64000, usd: 0.0455 },
        { upTo: null, usd: 0.0319 },
      ],
    });
  });

  it('skips the io2 tiers when one is missing rather than store a flat price', () => {
    const partial = of('AmazonEC2').filter((i) => i.product.attributes.usagetype !== 'EBS:VolumeP-IOPS.io2.tier3');
    const again = run(partial);
    expect(again.prices.some((p) => p.key === 'ebs:io2:iops')).toBe(false);
    expect(again.skipped.some((s) => /tier 1 of 3 for ebs:io2:iops: the other tiers are missing/.test(s.reason))).toBe(true);
  });

  it('takes today\'s term, not one announced for later', () => {
    expect(priceOf(prices, keys.ec2Instance(R, 'g6.xlarge')).usd).toBe(0.8048);
    // Without a date, the newest term wins (the behaviour of the offline build).
    expect(priceOf(normalizeOfferProducts(of('AmazonEC2')), keys.ec2Instance(R, 'g6.xlarge')).usd).toBe(0.7);
    expect(skipped.filter((s) => s.sku === 'SYNG6FUTURE00001')).toEqual([]);
  });
});

describe('other services (constructed items)', () => {
  it('SageMaker: instance usages, not managed spot; ML storage', () => {
    const { prices, skipped } = run(of('AmazonSageMaker'));
    expect(priceOf(prices, keys.sagemakerInstance(R, 'hosting', 'ml.g5.xlarge')).usd).toBe(1.408);
    expect(priceOf(prices, keys.sagemakerInstance(R, 'training', 'ml.g5.xlarge')).usd).toBe(1.408);
    expect(skipped.some((s) => /managed spot/.test(s.reason))).toBe(true);
    expect(priceOf(prices, keys.sagemakerStorage(R, 'hosting'))).toMatchObject({ usd: 0.14, unit: 'USD/GB-month' });
  });

  it('EKS control plane; Fargate from AmazonECS wins over the EKS copy', () => {
    const { prices, skipped } = run([...of('AmazonEKS'), ...of('AmazonECS')]);
    expect(priceOf(prices, keys.eksCluster(R, 'standard')).usd).toBe(0.1);
    expect(priceOf(prices, keys.eksCluster(R, 'extended')).usd).toBe(0.6);
    const vcpu = priceOf(prices, keys.fargateVcpu(R, 'x86'));
    expect(vcpu).toMatchObject({ usd: 0.04048, unit: 'USD/vCPU-hour', offerCode: 'AmazonECS' });
    expect(skipped.some((s) => /duplicate of .* for fargate:vcpu:x86 .*\(same price\)/.test(s.reason))).toBe(true);
    expect(priceOf(prices, keys.fargateMemory(R, 'x86'))).toMatchObject({ usd: 0.004445, unit: 'USD/GB-hour' });
    expect(priceOf(prices, keys.fargateVcpu(R, 'arm')).usd).toBe(0.03238);
    expect(priceOf(prices, keys.fargateSpotVcpu(R, 'x86')).usd).toBe(0.012144);
    expect(priceOf(prices, keys.fargateStorage(R)).usd).toBe(0.000111);
  });

  it('S3: tiered Standard storage, classes and request tiers', () => {
    const { prices } = run(of('AmazonS3'));
    expect(priceOf(prices, keys.s3Storage(R, 'STANDARD'))).toMatchObject({
      usd: 0.023,
      unit: 'USD/GB-month',
      tiers: [
        { upTo: 51200, usd: 0.023 },
        { upTo: 512000, usd: 0.022 },
        { upTo: null, usd: 0.021 },
      ],
    });
    expect(priceOf(prices, keys.s3Storage(R, 'STANDARD_IA')).usd).toBe(0.0125);
    expect(priceOf(prices, keys.s3Storage(R, 'GLACIER')).usd).toBe(0.0036);
    expect(priceOf(prices, keys.s3Requests(R, 'STANDARD', 'tier1'))).toMatchObject({ usd: 0.000005, unit: 'USD/request' });
    expect(priceOf(prices, keys.s3Requests(R, 'STANDARD_IA', 'tier2')).usd).toBe(0.000001);
  });

  it('RDS: engines and deployments, Aurora I/O-Optimized, storage, Serverless v2, backup; not Oracle', () => {
    const { prices, skipped } = run(of('AmazonRDS'));
    expect(priceOf(prices, keys.rdsInstance(R, 'postgres', 'db.r6g.large', 'multi-az')).usd).toBe(0.45);
    expect(priceOf(prices, keys.auroraInstance(R, 'aurora-postgresql', 'db.r6g.large', 'io-optimized')).usd).toBe(0.338);
    expect(skipped.some((s) => s.reason === 'RDS engine Oracle not handled')).toBe(true);
    expect(priceOf(prices, keys.rdsStorage(R, 'gp3', 'single-az')).usd).toBe(0.115);
    expect(priceOf(prices, keys.auroraServerless(R, 'aurora-mysql', 'v2', 'standard'))).toMatchObject({ usd: 0.12, unit: 'USD/ACU-hour' });
    expect(priceOf(prices, keys.rdsBackupStorage(R)).usd).toBe(0.095);
  });

  it('ElastiCache nodes by engine', () => {
    const { prices } = run(of('AmazonElastiCache'));
    expect(priceOf(prices, keys.elasticacheNode(R, 'redis', 'cache.r7g.large')).usd).toBe(0.219);
    expect(priceOf(prices, keys.elasticacheNode(R, 'valkey', 'cache.r7g.large')).usd).toBe(0.1752);
  });

  it('EFS: storage and provisioned throughput; the ambiguous IA meter is left to the snapshot', () => {
    const { prices, skipped } = run(of('AmazonEFS'));
    expect(priceOf(prices, keys.efsStorage(R, 'standard')).usd).toBe(0.3);
    expect(priceOf(prices, keys.efsProvisionedThroughput(R))).toMatchObject({ usd: 6, unit: 'USD/MiBps-month' });
    expect(prices.some((p) => p.key === 'storage:ia')).toBe(false);
    expect(skipped.some((s) => /Infrequent Access meter; kept from the snapshot/.test(s.reason))).toBe(true);
  });

  it('FSx for Lustre: persistent with throughput, scratch without', () => {
    const { prices } = run(of('AmazonFSx'));
    expect(priceOf(prices, keys.fsxLustreStorage(R, 'PERSISTENT_2', 125)).usd).toBe(0.145);
    expect(priceOf(prices, keys.fsxLustreStorage(R, 'SCRATCH_2')).usd).toBe(0.14);
  });

  it('Lambda: tiered duration, requests; not Lambda@Edge', () => {
    const { prices, skipped } = run(of('AWSLambda'));
    expect(priceOf(prices, keys.lambdaDuration(R, 'x86'))).toMatchObject({
      usd: 0.0000166667,
      unit: 'USD/GB-second',
      tiers: [
        { upTo: 6000000000, usd: 0.0000166667 },
        { upTo: 15000000000, usd: 0.000015 },
        { upTo: null, usd: 0.0000133334 },
      ],
    });
    expect(priceOf(prices, keys.lambdaRequests(R)).usd).toBe(0.0000002);
    expect(skipped.some((s) => /AWS-Lambda-Edge-Requests not handled/.test(s.reason))).toBe(true);
  });

  it('CloudWatch Logs ingestion and storage', () => {
    const { prices } = run(of('AmazonCloudWatch'));
    expect(priceOf(prices, keys.cloudwatchLogsIngest(R)).usd).toBe(0.5);
    expect(priceOf(prices, keys.cloudwatchLogsStorage(R)).usd).toBe(0.03);
  });

  it('Data transfer: tiered internet egress (region from fromRegionCode), inter-region', () => {
    const { prices } = run(of('AWSDataTransfer'));
    expect(priceOf(prices, keys.dataTransferInternetOut(R)).tiers).toEqual([
      { upTo: 10240, usd: 0.09 },
      { upTo: 51200, usd: 0.085 },
      { upTo: 153600, usd: 0.07 },
      { upTo: null, usd: 0.05 },
    ]);
    expect(priceOf(prices, keys.dataTransferInterRegion(R, 'us-west-2')).usd).toBe(0.02);
  });

  it('a free first tier of egress is a real tier, not a missing price', () => {
    const free = item('AWSDataTransfer', 'Data Transfer', { transferType: 'AWS Outbound', fromRegionCode: 'eu-west-1', fromLocation: 'EU (Ireland)', toLocation: 'External', usagetype: 'EU-DataTransfer-Out-Bytes' }, [
      { usd: '0.0000000000', unit: 'GB', begin: '0', end: '100' },
      { usd: '0.0900000000', unit: 'GB', begin: '100', end: 'Inf' },
    ]);
    expect(priceOf(run([free]).prices, keys.dataTransferInternetOut('eu-west-1'))).toMatchObject({ usd: 0, tiers: [{ upTo: 100, usd: 0 }, { upTo: null, usd: 0.09 }] });
  });

  it('EMR fee, MSK broker and storage, ALB, public IPv4, VPC endpoint, Kinesis shard', () => {
    const { prices } = run([...of('ElasticMapReduce'), ...of('AmazonMSK'), ...of('AWSELB'), ...of('AmazonVPC'), ...of('AmazonKinesis')]);
    expect(priceOf(prices, keys.emrFee(R, 'm5.xlarge')).usd).toBe(0.048);
    expect(priceOf(prices, keys.mskBroker(R, 'kafka.m5.large')).usd).toBe(0.21);
    expect(priceOf(prices, keys.mskStorage(R, 'standard')).usd).toBe(0.1);
    expect(priceOf(prices, keys.loadBalancer(R, 'alb', 'hour')).usd).toBe(0.0225);
    expect(priceOf(prices, keys.loadBalancer(R, 'alb', 'lcu')).usd).toBe(0.008);
    expect(priceOf(prices, keys.publicIpv4(R, 'in-use')).usd).toBe(0.005);
    expect(priceOf(prices, keys.vpcEndpointHour(R)).usd).toBe(0.01);
    expect(priceOf(prices, keys.kinesisStream(R, 'provisioned', 'shard-hour')).usd).toBe(0.015);
  });

  it('every constructed service yields prices, each with a SKU, a rate code and an effective date', () => {
    for (const [service, items] of Object.entries(catalog)) {
      const { prices } = run(items);
      expect({ service, n: prices.length > 0 }).toEqual({ service, n: true });
      for (const p of prices) expect(p).toMatchObject({ sku: expect.stringMatching(/^SYN/), rateCode: expect.stringContaining('.JRTCKXETXF.'), sourceDate: '2026-10-01' });
    }
  });
});

describe('dimensions', () => {
  it('refuses dimensions that are not contiguous tiers', () => {
    const gap = item('AmazonS3', 'Storage', { usagetype: 'TimedStorage-ByteHrs' }, [
      { usd: '0.023', unit: 'GB-Mo', begin: '0', end: '51200' },
      { usd: '0.021', unit: 'GB-Mo', begin: '60000', end: 'Inf' },
    ]);
    const { prices, skipped } = run([gap]);
    expect(prices).toEqual([]);
    expect(skipped[0]?.reason).toBe('price dimensions are not contiguous tiers');
  });

  it('refuses a unit it does not expect', () => {
    const odd = item('AmazonEC2', 'NAT Gateway', { usagetype: 'NatGateway-Hours' }, [{ usd: '0.045', unit: 'Quantity-Hrs' }]);
    expect(run([odd]).skipped[0]?.reason).toBe('unit Quantity-Hrs, expected Hrs or Hours or Hour');
  });
});

/**
 * `updatePrices` and the AWS adapters against the loopback stand-in of the Price List and EC2 APIs
 * (real SDK clients, real wire formats): pagination, throttling with backoff, credentials,
 * partial failures, the traps of the price data, spot price history.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { createPriceListFetcher, withRetries, classifyAwsError, AwsCallError } from '../../src/adapters/aws-price-list.js';
import { outcomeOf, updatePrices } from '../../src/adapters/price-update.js';
import { loadEmbeddedPriceBook } from '../../src/adapters/snapshot-file.js';
import { createPriceBook, type Snapshot } from '../../src/pricing/catalog/price-book.js';
import { keys } from '../../src/pricing/keys.js';
import type { PriceQuery } from '../../src/core/types.js';
import { startAwsStandin, standinEnv, useEnv, type AwsStandin, type PricingRequest, type StandinFailure, type StandinRequest } from '../helpers/aws-standin.js';
import { standinCatalog } from '../fixtures/pricing/price-list-api/items.js';

const NOW = new Date('2026-11-28T12:00:00Z');
const base = loadEmbeddedPriceBook().snapshot();
const fastRetry = { sleep: async () => undefined, random: () => 0.5 };

let failWith: ((r: StandinRequest) => StandinFailure | undefined) | undefined;
let standin: AwsStandin;
let restoreEnv: () => void;

beforeAll(async () => {
  standin = await startAwsStandin({
    products: standinCatalog(),
    pageSize: 2,
    spotHistory: {
      'us-east-1': [
        ...['us-east-1a', 'us-east-1b', 'us-east-1c'].flatMap((zone, i) => [
          { AvailabilityZone: zone, InstanceType: 'm5.large', ProductDescription: 'Linux/UNIX', SpotPrice: (0.03 + i * 0.003).toFixed(6), Timestamp: '2026-11-20T00:00:00Z' },
          { AvailabilityZone: zone, InstanceType: 'm5.large', ProductDescription: 'Linux/UNIX', SpotPrice: (0.04 + i * 0.003).toFixed(6), Timestamp: '2026-11-24T12:00:00Z' },
        ]),
        { AvailabilityZone: 'us-east-1a', InstanceType: 'm5.large', ProductDescription: 'Windows', SpotPrice: '0.2', Timestamp: '2026-11-22T00:00:00Z' },
        { AvailabilityZone: 'us-east-1a', InstanceType: 'g5.xlarge', ProductDescription: 'Linux/UNIX', SpotPrice: '0.45', Timestamp: '2026-11-19T00:00:00Z' },
      ],
    },
    fail: (r) => failWith?.(r),
  });
  restoreEnv = useEnv(standinEnv(standin.url));
});

afterEach(() => {
  failWith = undefined;
  standin.requests.length = 0;
});

afterAll(async () => {
  restoreEnv();
  await standin.close();
});

function price(s: Snapshot, q: PriceQuery) {
  const r = createPriceBook(s).lookup(q);
  if (!r.ok) throw new Error(r.reason);
  return r.price;
}

function pricingRequests(): PricingRequest[] {
  return standin.requests.filter((r): r is PricingRequest => r.api === 'pricing');
}

describe('GetProducts through the stand-in', () => {
  it('pages with NextToken, filtered to the region and the attributes needed', async () => {
    const fetcher = createPriceListFetcher({ retry: fastRetry });
    const items = await fetcher.products('AmazonEC2', 'us-east-1');
    const skus = items.map((i) => (i as { product: { sku: string } }).product.sku).sort();
    // Linux/shared compute (m5.large, p4d and its Capacity Block SKU, g5, g6) + EBS and NAT rows; not us-east-2.
    expect(skus).toContain('6C86BEPQVG73ZGGR');
    expect(skus).toContain('YSXJGN78QTXNVGDQ');
    expect(skus).not.toContain('M6UGCCQ3CDJQAA37');
    const requests = pricingRequests();
    expect(requests.length).toBeGreaterThan(4);
    expect(requests.filter((r) => r.nextToken !== undefined).length).toBeGreaterThan(2);
    for (const r of requests) {
      expect(r).toMatchObject({ region: 'us-east-1', serviceCode: 'AmazonEC2', formatVersion: 'aws_v1', maxResults: 100 });
      expect(r.filters[0]).toEqual({ Type: 'TERM_MATCH', Field: 'regionCode', Value: 'us-east-1' });
    }
    expect(requests.some((r) => r.filters.some((f) => f.Field === 'operatingSystem' && f.Value === 'Linux'))).toBe(true);
    expect(requests.some((r) => r.filters.some((f) => f.Type === 'ANY_OF' && f.Field === 'productFamily'))).toBe(true);
  });

  it('retries throttling with exponential backoff and jitter, then succeeds', async () => {
    let throttled = 0;
    failWith = (r) => (r.api === 'pricing' && throttled++ < 3 ? { status: 400, code: 'ThrottlingException', message: 'Rate exceeded' } : undefined);
    const delays: number[] = [];
    const lines: string[] = [];
    const fetcher = createPriceListFetcher({ retry: { sleep: async (ms) => void delays.push(ms), random: () => 1, baseDelayMs: 100 }, log: (l) => lines.push(l) });
    const items = await fetcher.products('AmazonS3', 'us-east-1');
    expect(items.length).toBe(5);
    expect(delays).toEqual([100, 200, 400]);
    expect(lines[0]).toMatch(/^AmazonS3 us-east-1 page 1: throttled, retrying in 100 ms \(attempt 2 of 6\)$/);
  });

  it('gives up after the last attempt, saying how many', async () => {
    failWith = (r) => (r.api === 'pricing' ? { status: 400, code: 'ThrottlingException', message: 'Rate exceeded' } : undefined);
    const fetcher = createPriceListFetcher({ retry: { ...fastRetry, maxAttempts: 3 } });
    await expect(fetcher.products('AmazonS3', 'us-east-1')).rejects.toThrow(/throttled by AWS: ThrottlingException: Rate exceeded \(after 3 attempts\)/);
  });

  it('classifies errors: credentials and access stop the run; throttling, 5xx and network are retried', () => {
    expect(classifyAwsError(Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' }))).toMatchObject({ kind: 'credentials', fatal: true, retryable: false });
    expect(classifyAwsError(Object.assign(new Error('denied'), { name: 'AccessDeniedException', $metadata: { httpStatusCode: 400 } }))).toMatchObject({ kind: 'access-denied', fatal: true });
    expect(classifyAwsError(Object.assign(new Error('x'), { name: 'RequestLimitExceeded' }))).toMatchObject({ kind: 'throttled', retryable: true });
    expect(classifyAwsError(Object.assign(new Error('x'), { name: 'InternalErrorException', $metadata: { httpStatusCode: 500 } }))).toMatchObject({ kind: 'server', retryable: true });
    expect(classifyAwsError(Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }))).toMatchObject({ kind: 'network', retryable: true });
    expect(classifyAwsError(Object.assign(new Error('bad'), { name: 'InvalidParameterException' }))).toMatchObject({ kind: 'invalid-request', retryable: false, fatal: false });
  });

  it('withRetries does not retry what cannot succeed', async () => {
    let calls = 0;
    const err = await withRetries('x', async () => {
      calls++;
      throw Object.assign(new Error('nope'), { name: 'InvalidParameterException' });
    }, fastRetry).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AwsCallError);
    expect(calls).toBe(1);
  });
});

describe('updatePrices through the stand-in', () => {
  it('refreshes every service, dates prices with today, and keeps the rest of the base', async () => {
    const report = await updatePrices({ base, regions: ['us-east-1'], now: NOW, retry: fastRetry });
    expect(outcomeOf(report)).toBe('ok');
    expect(report.failed).toEqual([]);
    const s = report.snapshot as Snapshot;
    expect(s.capturedAt).toBe('2026-11-28');
    expect(s.refresh).toMatchObject({ date: '2026-11-28', endpointRegion: 'us-east-1', regions: ['us-east-1'], failed: [] });
    expect(price(s, keys.ec2Instance('us-east-1', 'g5.xlarge'))).toMatchObject({ usd: 1.006, source: 'aws-price-list-AmazonEC2', sourceDate: '2026-11-28' });
    expect(price(s, keys.natGatewayHour('us-east-1'))).toMatchObject({ source: 'aws-price-list-AmazonEC2' });
    expect(price(s, keys.fargateVcpu('us-east-1'))).toMatchObject({ usd: 0.04048, source: 'aws-price-list-AmazonECS' });
    expect(price(s, keys.s3Storage('us-east-1', 'STANDARD')).tiers).toHaveLength(3);
    expect(price(s, keys.mskBroker('us-east-1', 'kafka.m5.large'))).toMatchObject({ usd: 0.21, source: 'aws-price-list-AmazonMSK' });
    // The $0 Capacity Block SKU is not p4d's price; the Capacity Block price stays the snapshot's.
    expect(price(s, keys.ec2Instance('us-east-1', 'p4d.24xlarge')).usd).toBe(32.7726);
    expect(price(s, keys.ec2CapacityBlock('us-east-1', 'p4d.24xlarge'))).toMatchObject({ source: 'koyakimu-capacity-blocks' });
    // Not refreshed (region not asked for): unchanged, old date.
    expect(price(s, keys.ec2Instance('eu-west-1', 'm5.large'))).toMatchObject({ source: 'quinnypig-ec2-ondemand', sourceDate: '2025-06-13' });
    expect(report.refreshedPrices).toBeGreaterThan(40);
    expect(report.keptPrices).toBeGreaterThan(10000);
    // One source per service fetched.
    expect(s.sources.filter((x) => x.id.startsWith('aws-price-list-')).map((x) => x.id).sort()).toContain('aws-price-list-AWSLambda');
  });

  it('never reads the upfront fee listed under OnDemand as an hourly price', async () => {
    const report = await updatePrices({ base, services: ['AmazonEC2'], regions: ['us-east-2'], now: NOW, retry: fastRetry });
    const s = report.snapshot as Snapshot;
    const m5 = price(s, keys.ec2Instance('us-east-2', 'm5.large'));
    expect(m5.usd).not.toBe(1161);
    expect(m5.source).toBe('quinnypig-ec2-ondemand');
    expect(price(s, keys.ebsStorage('us-east-2', 'gp3'))).toMatchObject({ usd: 0.08, source: 'aws-price-list-AmazonEC2' });
  });

  it('partial failure: keeps the base prices of what failed, and says which', async () => {
    failWith = (r) => (r.api === 'pricing' && r.serviceCode === 'AmazonS3' ? { status: 400, code: 'ThrottlingException', message: 'Rate exceeded' } : undefined);
    const report = await updatePrices({ base, services: ['AmazonEC2', 'AmazonS3'], regions: ['us-east-1'], now: NOW, retry: { ...fastRetry, maxAttempts: 2 } });
    expect(outcomeOf(report)).toBe('partial');
    expect(report.failed).toEqual([{ service: 'AmazonS3', region: 'us-east-1', kind: 'throttled', reason: 'throttled by AWS: ThrottlingException: Rate exceeded (after 2 attempts)' }]);
    const s = report.snapshot as Snapshot;
    expect(price(s, keys.s3Storage('us-east-1', 'STANDARD'))).toMatchObject({ source: 'aws-s3' });
    expect(price(s, keys.ec2Instance('us-east-1', 'g5.xlarge')).source).toBe('aws-price-list-AmazonEC2');
    expect(s.refresh?.failed).toEqual([{ service: 'AmazonS3', region: 'us-east-1', reason: expect.stringMatching(/^throttled/) }]);
  });

  it('stops at once when AWS refuses the credentials, fetching nothing', async () => {
    failWith = (r) => (r.api === 'pricing' ? { status: 400, code: 'UnrecognizedClientException', message: 'The security token included in the request is invalid.' } : undefined);
    const report = await updatePrices({ base, services: ['AmazonEC2', 'AmazonS3', 'AWSLambda'], regions: ['us-east-1', 'us-west-2'], now: NOW, retry: fastRetry, concurrency: 1 });
    expect(outcomeOf(report)).toBe('nothing');
    expect(report.snapshot).toBeNull();
    expect(report.fatal).toMatchObject({ kind: 'access-denied' });
    expect(report.fatal?.message).toMatch(/standard AWS credential chain/);
    expect(pricingRequests()).toHaveLength(1);
    expect(report.failed).toHaveLength(6);
  });

  it('reports missing credentials naming the standard credential chain (no network tried)', async () => {
    const restore = useEnv({ ...standinEnv(standin.url), AWS_ACCESS_KEY_ID: undefined, AWS_SECRET_ACCESS_KEY: undefined });
    try {
      const report = await updatePrices({ base, services: ['AmazonEC2'], regions: ['us-east-1'], now: NOW, retry: fastRetry });
      expect(outcomeOf(report)).toBe('nothing');
      expect(report.fatal?.kind).toBe('credentials');
      expect(report.fatal?.message).toMatch(/no usable AWS credentials .*standard AWS credential chain: AWS_ACCESS_KEY_ID/);
      expect(standin.requests).toHaveLength(0);
    } finally {
      restore();
    }
  });

  it('rejects unknown service codes and bad regions before any request', async () => {
    await expect(updatePrices({ base, services: ['AmazonEc2'], regions: ['us-east-1'], now: NOW })).rejects.toThrow(/unknown service code "AmazonEc2"; did you mean AmazonEC2\?/);
    await expect(updatePrices({ base, services: ['AmazonEC2'], regions: ['useast1'], now: NOW })).rejects.toThrow(/not a region code/);
    expect(standin.requests).toHaveLength(0);
  });
});

describe('spot price history through the stand-in (EC2 query/XML protocol)', () => {
  it('averages 7 days per instance type and region, Linux/UNIX only, across zones and pages', async () => {
    let limited = 0;
    failWith = (r) => (r.api === 'ec2' && limited++ < 1 ? { status: 503, code: 'RequestLimitExceeded', message: 'Request limit exceeded.' } : undefined);
    const report = await updatePrices({ base, services: ['AmazonEC2'], regions: ['us-east-1'], spot: true, instanceTypes: ['m5.large', 'g5.xlarge'], now: NOW, retry: fastRetry });
    expect(outcomeOf(report)).toBe('ok');
    const ec2 = standin.requests.filter((r) => r.api === 'ec2');
    expect(ec2.length).toBeGreaterThan(2);
    expect(ec2[1]).toMatchObject({ region: 'us-east-1', action: 'DescribeSpotPriceHistory', params: { 'ProductDescription.1': 'Linux/UNIX', 'InstanceType.1': 'g5.xlarge', 'InstanceType.2': 'm5.large' } });
    const s = report.snapshot as Snapshot;
    // The window is 11-21 12:00 to 11-28 12:00. Per zone i: 0.03+i*0.003 (in effect at the start)
    // for 3 days, then 0.04+i*0.003 for 4: (3 x 0.03 + 4 x 0.04) / 7 + 0.003 (mean of i*0.003) = 0.038714.
    const m5 = price(s, keys.ec2Spot('us-east-1', 'm5.large'));
    expect(m5).toMatchObject({ usd: 0.038714, source: 'aws-ec2-spot-history', sourceDate: '2026-11-28' });
    expect(m5.note).toMatch(/^7-day average of spot price history/);
    // g5's one record predates the window and held all week.
    expect(price(s, keys.ec2Spot('us-east-1', 'g5.xlarge')).usd).toBe(0.45);
    // Types without history keep the Spot Advisor estimate, recomputed from the fresh on-demand price.
    expect(price(s, keys.ec2Spot('us-east-1', 'c5.large')).source).toBe('aws-spot-advisor');
    expect(report.spot?.fetched).toEqual([{ region: 'us-east-1', types: 2, records: 7 }]); // the Windows record is filtered out
  });

  it('a region whose history fails keeps its estimates, and the refresh is partial', async () => {
    failWith = (r) => (r.api === 'ec2' ? { status: 400, code: 'InvalidParameterValue', message: 'bad instance type' } : undefined);
    const report = await updatePrices({ base, services: ['AmazonEC2'], regions: ['us-east-1'], spot: true, instanceTypes: ['m5.large'], now: NOW, retry: fastRetry });
    expect(outcomeOf(report)).toBe('partial');
    expect(report.spot?.failed).toEqual([{ region: 'us-east-1', reason: expect.stringContaining('bad instance type') }]);
    expect(price(report.snapshot as Snapshot, keys.ec2Spot('us-east-1', 'm5.large')).source).toBe('aws-spot-advisor');
  });
});

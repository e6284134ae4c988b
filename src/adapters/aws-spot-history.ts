/**
 * EC2 DescribeSpotPriceHistory (`@aws-sdk/client-ec2`): Linux/UNIX spot prices of the last days,
 * all availability zones of a region, for a list of instance types. The endpoint honours
 * AWS_ENDPOINT_URL_EC2 (tests point it at a loopback stand-in); credentials come from the
 * standard AWS credential chain; retries and error classification as for the Price List API.
 */
import { DescribeSpotPriceHistoryCommand, EC2Client } from '@aws-sdk/client-ec2';
import type { SpotRecord } from '../pricing/catalog/spot-history.js';
import { AwsCallError, withRetries, type Log, type RetryOptions } from './aws-price-list.js';

export interface SpotHistoryOptions {
  region: string;
  instanceTypes: string[];
  /** End of the window (default: now). */
  end?: Date;
  /** Length of the window in days (default 7). */
  days?: number;
  retry?: RetryOptions;
  log?: Log;
  requestTimeoutMs?: number;
  /** Instance types per request series (default 50). */
  chunk?: number;
}

/** Every Linux/UNIX spot price record of the window for the instance types, in all zones. */
export async function fetchSpotHistory(options: SpotHistoryOptions): Promise<SpotRecord[]> {
  const end = options.end ?? new Date();
  const start = new Date(end.getTime() - (options.days ?? 7) * 86400000);
  const timeout = options.requestTimeoutMs ?? 30000;
  const client = new EC2Client({
    region: options.region,
    maxAttempts: 1,
    requestHandler: { requestTimeout: timeout, connectionTimeout: Math.min(timeout, 10000) },
  });
  const chunk = options.chunk ?? 50;
  const records: SpotRecord[] = [];
  const types = [...new Set(options.instanceTypes)].sort();
  for (let i = 0; i < types.length; i += chunk) {
    const batch = types.slice(i, i + chunk);
    let token: string | undefined;
    const seen = new Set<string>();
    for (let page = 1; ; page++) {
      const where = `spot price history ${options.region} (${batch.length} types) page ${page}`;
      const out = await withRetries(
        where,
        () =>
          client.send(
            new DescribeSpotPriceHistoryCommand({
              InstanceTypes: batch as never[],
              ProductDescriptions: ['Linux/UNIX'],
              StartTime: start,
              EndTime: end,
              MaxResults: 1000,
              ...(token ? { NextToken: token } : {}),
            }),
          ),
        options.retry,
        options.log,
      );
      for (const r of out.SpotPriceHistory ?? []) {
        const usd = Number(r.SpotPrice);
        const at = r.Timestamp instanceof Date ? r.Timestamp.getTime() : NaN;
        if (!r.InstanceType || !r.AvailabilityZone || !Number.isFinite(usd) || !Number.isFinite(at)) continue;
        records.push({ instanceType: r.InstanceType, zone: r.AvailabilityZone, usd, at });
      }
      token = out.NextToken || undefined;
      if (token === undefined) break;
      if (seen.has(token)) throw new AwsCallError({ kind: 'unknown', retryable: false, fatal: false, message: `${where}: the API returned the same NextToken twice` });
      seen.add(token);
    }
  }
  return records;
}

/**
 * The AWS Price List Query API (`@aws-sdk/client-pricing` GetProducts): which products mlcost asks
 * for, pagination, retries with exponential backoff and jitter, and error classification.
 *
 * Credentials come from the standard AWS credential chain (environment variables, the shared
 * config and credentials files with AWS_PROFILE, SSO, web identity, container and instance
 * roles). The endpoint honours AWS_ENDPOINT_URL_PRICING (tests point it at a loopback stand-in).
 * The Price List API has endpoints in us-east-1, eu-central-1 and ap-south-1 only; the prices of
 * every region are read from any of them.
 */
import { GetProductsCommand, PricingClient, type Filter } from '@aws-sdk/client-pricing';

/** Price List service codes `mlcost prices update` reads, in the order they are fetched. */
export const PRICE_LIST_SERVICES = [
  'AmazonEC2',
  'AmazonSageMaker',
  'AmazonEKS',
  'AmazonECS',
  'AmazonS3',
  'AmazonRDS',
  'AmazonElastiCache',
  'AmazonEFS',
  'AmazonFSx',
  'AWSLambda',
  'AmazonCloudWatch',
  'AWSDataTransfer',
  'ElasticMapReduce',
  'AmazonMSK',
  'AWSELB',
  'AmazonVPC',
  'AmazonKinesis',
] as const;

export const PRICE_LIST_ENDPOINT_REGIONS = ['us-east-1', 'eu-central-1', 'ap-south-1'] as const;

type FilterSpec = { type: 'TERM_MATCH' | 'ANY_OF'; field: string; value: string };

const term = (field: string, value: string): FilterSpec => ({ type: 'TERM_MATCH', field, value });
const anyOf = (field: string, values: string[]): FilterSpec => ({ type: 'ANY_OF', field, value: values.join(',') });

/**
 * The GetProducts queries of a service in one region, besides the region filter: only the
 * products the normalizer reads (an unfiltered AmazonEC2 region is hundreds of thousands of
 * products, almost all of them other operating systems and tenancies).
 */
const SERVICE_QUERIES: Record<string, { regionField: string; queries: FilterSpec[][] }> = {
  AmazonEC2: {
    regionField: 'regionCode',
    queries: [
      [
        term('productFamily', 'Compute Instance'),
        term('operatingSystem', 'Linux'),
        term('tenancy', 'Shared'),
        term('preInstalledSw', 'NA'),
        term('capacitystatus', 'Used'),
        term('licenseModel', 'No License required'),
      ],
      [anyOf('productFamily', ['Storage', 'System Operation', 'Provisioned Throughput', 'Storage Snapshot', 'NAT Gateway'])],
    ],
  },
  AmazonRDS: {
    regionField: 'regionCode',
    queries: [
      [
        term('productFamily', 'Database Instance'),
        anyOf('databaseEngine', ['MySQL', 'PostgreSQL', 'MariaDB', 'Aurora MySQL', 'Aurora PostgreSQL']),
      ],
      [anyOf('productFamily', ['Database Storage', 'Provisioned IOPS', 'Provisioned Throughput', 'Storage Snapshot', 'System Operation', 'ServerlessV2', 'Serverless'])],
    ],
  },
  AmazonElastiCache: { regionField: 'regionCode', queries: [[anyOf('productFamily', ['Cache Instance', 'Storage Snapshot'])]] },
  AmazonFSx: { regionField: 'regionCode', queries: [[term('fileSystemType', 'Lustre')]] },
  AWSDataTransfer: { regionField: 'fromRegionCode', queries: [[anyOf('transferType', ['AWS Outbound', 'InterRegion Outbound'])]] },
};

function queriesOf(service: string, region: string): Filter[][] {
  const spec = SERVICE_QUERIES[service] ?? { regionField: 'regionCode', queries: [[]] };
  return spec.queries.map((filters) =>
    [term(spec.regionField, region), ...filters].map((f) => ({ Type: f.type, Field: f.field, Value: f.value })),
  );
}

// ---------------------------------------------------------------------------------------------
// Errors

export type AwsFailureKind =
  | 'credentials'
  | 'access-denied'
  | 'throttled'
  | 'invalid-request'
  | 'network'
  | 'server'
  | 'unknown';

export interface AwsFailure {
  kind: AwsFailureKind;
  /** Worth trying again after a pause. */
  retryable: boolean;
  /** Stops the whole run: no other request can succeed either (no or bad credentials). */
  fatal: boolean;
  message: string;
}

/** An AWS call that failed for good (after retries), classified. */
export class AwsCallError extends Error {
  constructor(readonly failure: AwsFailure) {
    super(failure.message);
    this.name = 'AwsCallError';
  }
}

export const CREDENTIALS_HELP =
  'mlcost uses the standard AWS credential chain: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (with AWS_SESSION_TOKEN for ' +
  'temporary credentials), or AWS_PROFILE with ~/.aws/config and ~/.aws/credentials (including SSO: aws sso login), web ' +
  'identity (AWS_ROLE_ARN + AWS_WEB_IDENTITY_TOKEN_FILE), or a container or instance role. The identity needs ' +
  'pricing:GetProducts (and ec2:DescribeSpotPriceHistory for --spot).';

const THROTTLING = new Set(['ThrottlingException', 'Throttling', 'TooManyRequestsException', 'RequestLimitExceeded', 'SlowDown', 'RequestThrottled', 'RequestThrottledException']);
const ACCESS = new Set([
  'AccessDeniedException',
  'AccessDenied',
  'UnrecognizedClientException',
  'InvalidSignatureException',
  'SignatureDoesNotMatch',
  'ExpiredTokenException',
  'ExpiredToken',
  'InvalidClientTokenId',
  'AuthFailure',
  'UnauthorizedOperation',
  'IncompleteSignature',
]);
const SERVER = new Set(['InternalErrorException', 'InternalError', 'InternalFailure', 'ServiceUnavailable', 'Unavailable', 'ServiceUnavailableException']);
const INVALID = new Set(['InvalidParameterException', 'InvalidParameterValue', 'InvalidParameterCombination', 'NotFoundException', 'ValidationException', 'InvalidNextTokenException']);
const NETWORK_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH', 'ECONNABORTED']);

function errorName(e: unknown): string {
  if (typeof e !== 'object' || e === null) return '';
  const x = e as { name?: unknown; Code?: unknown; code?: unknown };
  if (typeof x.name === 'string' && x.name !== 'Error') return x.name;
  if (typeof x.Code === 'string') return x.Code;
  return typeof x.code === 'string' ? x.code : '';
}

/** What went wrong with an AWS SDK call, and whether trying again can help. */
export function classifyAwsError(e: unknown): AwsFailure {
  if (e instanceof AwsCallError) return e.failure;
  const name = errorName(e);
  const code = typeof e === 'object' && e !== null ? (e as { code?: unknown }).code : undefined;
  const status = typeof e === 'object' && e !== null ? (e as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode : undefined;
  const raw = e instanceof Error ? e.message : String(e);
  const message = `${name && !raw.includes(name) ? `${name}: ` : ''}${raw}`;
  if (name === 'CredentialsProviderError' || /Could not load credentials|Unable to find (environment variable )?credentials|Token is expired|SSO session/i.test(raw)) {
    return { kind: 'credentials', retryable: false, fatal: true, message: `no usable AWS credentials (${raw}). ${CREDENTIALS_HELP}` };
  }
  if (ACCESS.has(name) || status === 401 || status === 403) {
    return { kind: 'access-denied', retryable: false, fatal: true, message: `AWS refused the credentials: ${message}. ${CREDENTIALS_HELP}` };
  }
  if (THROTTLING.has(name) || status === 429 || (e as { $retryable?: { throttling?: boolean } } | null)?.$retryable?.throttling === true) {
    return { kind: 'throttled', retryable: true, fatal: false, message: `throttled by AWS: ${message}` };
  }
  if (SERVER.has(name) || (status !== undefined && status >= 500)) {
    return { kind: 'server', retryable: true, fatal: false, message: `AWS server error: ${message}` };
  }
  if (INVALID.has(name)) return { kind: 'invalid-request', retryable: false, fatal: false, message };
  if ((typeof code === 'string' && NETWORK_CODES.has(code)) || name === 'TimeoutError' || /socket hang up|timed? ?out|ECONNRESET|ECONNREFUSED/i.test(raw)) {
    return { kind: 'network', retryable: true, fatal: false, message: `network error: ${message}` };
  }
  return { kind: 'unknown', retryable: false, fatal: false, message };
}

// ---------------------------------------------------------------------------------------------
// Retries

export interface RetryOptions {
  /** Attempts in all, the first included (default 6). */
  maxAttempts?: number;
  /** First pause in ms (default 500); doubles on each retry, up to maxDelayMs (default 20 s). */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** Injected in tests. */
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

export type Log = (line: string) => void;

const defaultSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs `call`, trying again after retryable failures (throttling, 5xx, network) with exponential
 * backoff and "equal jitter" (half the delay fixed, half random). Throws AwsCallError.
 */
export async function withRetries<T>(what: string, call: () => Promise<T>, options: RetryOptions = {}, log?: Log): Promise<T> {
  const maxAttempts = options.maxAttempts ?? 6;
  const base = options.baseDelayMs ?? 500;
  const max = options.maxDelayMs ?? 20000;
  const sleep = options.sleep ?? defaultSleep;
  const random = options.random ?? Math.random;
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (e) {
      const failure = classifyAwsError(e);
      if (!failure.retryable || attempt >= maxAttempts) {
        const tries = attempt > 1 ? ` (after ${attempt} attempts)` : '';
        throw new AwsCallError({ ...failure, message: `${failure.message}${tries}` });
      }
      const cap = Math.min(max, base * 2 ** (attempt - 1));
      const delay = Math.round(cap / 2 + random() * (cap / 2));
      log?.(`${what}: ${failure.kind}, retrying in ${delay} ms (attempt ${attempt + 1} of ${maxAttempts})`);
      await sleep(delay);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// GetProducts

export interface PriceListClientOptions {
  /** Region of the Price List API endpoint: us-east-1 (default), eu-central-1 or ap-south-1. */
  endpointRegion?: string;
  retry?: RetryOptions;
  log?: Log;
  /** Per-request timeout in ms (default 30 s). */
  requestTimeoutMs?: number;
  /** Stop after this many pages of one query (a guard against a looping NextToken; default 5,000). */
  maxPages?: number;
}

export interface PriceListFetcher {
  /** Every PriceList item (parsed JSON) of one service in one region, all queries, all pages. */
  products(service: string, region: string): Promise<unknown[]>;
  readonly endpointRegion: string;
}

function parseItem(item: unknown, where: string): unknown {
  // PriceList items come back as String objects holding JSON.
  try {
    return JSON.parse(String(item)) as unknown;
  } catch (e) {
    throw new AwsCallError({ kind: 'unknown', retryable: false, fatal: false, message: `${where}: a PriceList item is not JSON (${(e as Error).message})` });
  }
}

export function createPriceListFetcher(options: PriceListClientOptions = {}): PriceListFetcher {
  const endpointRegion = options.endpointRegion ?? 'us-east-1';
  const timeout = options.requestTimeoutMs ?? 30000;
  // Retries are ours (logged, classified), so the SDK makes one attempt per call.
  const client = new PricingClient({
    region: endpointRegion,
    maxAttempts: 1,
    requestHandler: { requestTimeout: timeout, connectionTimeout: Math.min(timeout, 10000) },
  });
  const maxPages = options.maxPages ?? 5000;

  async function query(service: string, region: string, filters: Filter[]): Promise<unknown[]> {
    const items: unknown[] = [];
    let token: string | undefined;
    const seen = new Set<string>();
    let restarted = false;
    for (let page = 1; ; page++) {
      if (page > maxPages) throw new AwsCallError({ kind: 'unknown', retryable: false, fatal: false, message: `${service} ${region}: more than ${maxPages} pages; stopped` });
      const where = `${service} ${region} page ${page}`;
      let out;
      try {
        out = await withRetries(
          where,
          () => client.send(new GetProductsCommand({ ServiceCode: service, Filters: filters, FormatVersion: 'aws_v1', MaxResults: 100, ...(token ? { NextToken: token } : {}) })),
          options.retry,
          options.log,
        );
      } catch (e) {
        // A NextToken that expired while we paused: start the query again, once.
        if (!restarted && e instanceof AwsCallError && /ExpiredNextToken/.test(e.message)) {
          restarted = true;
          items.length = 0;
          token = undefined;
          seen.clear();
          page = 0;
          continue;
        }
        throw e;
      }
      for (const item of out.PriceList ?? []) items.push(parseItem(item, where));
      token = out.NextToken || undefined;
      if (token === undefined) return items;
      if (seen.has(token)) throw new AwsCallError({ kind: 'unknown', retryable: false, fatal: false, message: `${where}: the API returned the same NextToken twice` });
      seen.add(token);
    }
  }

  return {
    endpointRegion,
    async products(service: string, region: string): Promise<unknown[]> {
      const all: unknown[] = [];
      for (const filters of queriesOf(service, region)) all.push(...(await query(service, region, filters)));
      return all;
    },
  };
}

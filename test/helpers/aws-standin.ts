/**
 * A loopback stand-in for the two AWS APIs `mlcost prices update` calls, speaking their real wire
 * protocols so the real SDK clients run unchanged (pointed here with AWS_ENDPOINT_URL_PRICING and
 * AWS_ENDPOINT_URL_EC2):
 *
 *   - Price List Query API, JSON 1.1: POST / with `X-Amz-Target: AWSPriceListService.GetProducts`,
 *     body `{ServiceCode, Filters: [{Type, Field, Value}], FormatVersion, NextToken, MaxResults}`;
 *     answers `{FormatVersion: 'aws_v1', PriceList: [<JSON string>, ...], NextToken}` with the
 *     filters applied (TERM_MATCH, EQUALS, ANY_OF, NONE_OF, CONTAINS) and pages of MaxResults;
 *     errors as `{"__type": "ThrottlingException", "message": ...}` with HTTP 400.
 *   - EC2 Query API: POST / form-encoded `Action=DescribeSpotPriceHistory&InstanceType.1=...`;
 *     answers the `DescribeSpotPriceHistoryResponse` XML (`spotPriceHistorySet`, `nextToken`);
 *     errors as `<Response><Errors><Error><Code>RequestLimitExceeded</Code>...`. The region is
 *     read from the SigV4 credential scope of the Authorization header, as AWS would route it.
 *
 * Every request is recorded. Behaviour is scripted with `fail(request)`.
 */
import http, { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { types } from 'node:util';

/**
 * Jest runs several test files in one worker process and node:http is shared between them. A file
 * that activates nock and never calls `nock.restore()` leaves `http.request`, `http.get` and
 * `http.ClientRequest` wrapped in nock's Proxies after its module registry is gone; every later
 * HTTP request in the worker then fails inside nock ("Cannot destructure property
 * 'interceptorsFor' ..."). No file is running nock while this one runs (one file per worker at a
 * time), so a Proxy found here is such a leftover: put Node's own functions back, rebuilt from the
 * untouched `_http_client` ClientRequest, exactly as node:http defines them.
 */
export function undoLeakedHttpInterceptors(): boolean {
  if (!types.isProxy(http.request) && !types.isProxy(http.get) && !types.isProxy(http.ClientRequest)) return false;
  const { ClientRequest } = createRequire(import.meta.url)('_http_client') as { ClientRequest: typeof http.ClientRequest };
  const request = (...args: unknown[]): http.ClientRequest => Reflect.construct(ClientRequest, args) as http.ClientRequest;
  const get = (...args: unknown[]): http.ClientRequest => {
    const req = request(...args);
    req.end();
    return req;
  };
  Object.assign(http, { ClientRequest, request, get });
  return true;
}

export interface PricingRequest {
  api: 'pricing';
  region: string;
  serviceCode: string;
  filters: { Type: string; Field: string; Value: string }[];
  nextToken?: string;
  maxResults?: number;
  formatVersion?: string;
  /** 1-based count of pricing requests so far. */
  n: number;
}

export interface Ec2Request {
  api: 'ec2';
  region: string;
  action: string;
  params: Record<string, string>;
  n: number;
}

export type StandinRequest = PricingRequest | Ec2Request;

export interface StandinFailure {
  status: number;
  /** Error code: `ThrottlingException`, `AccessDeniedException`, `RequestLimitExceeded`, ... */
  code: string;
  message: string;
}

export interface SpotHistoryRecord {
  AvailabilityZone: string;
  InstanceType: string;
  ProductDescription: string;
  SpotPrice: string;
  Timestamp: string;
}

export interface StandinOptions {
  /** GetProducts items by service code (objects; served as JSON strings, as the live API does). */
  products?: Record<string, unknown[]>;
  /** DescribeSpotPriceHistory records by region. */
  spotHistory?: Record<string, SpotHistoryRecord[]>;
  /** Page size cap for both APIs (default: the request's MaxResults). */
  pageSize?: number;
  /** Return a failure for a request, or undefined to answer it normally. */
  fail?: (request: StandinRequest) => StandinFailure | undefined;
}

export interface AwsStandin {
  url: string;
  requests: StandinRequest[];
  close(): Promise<void>;
}

function attributeOf(item: Record<string, unknown>, field: string): string | undefined {
  if (field === 'ServiceCode') return typeof item.serviceCode === 'string' ? item.serviceCode : undefined;
  const product = item.product as { productFamily?: string; sku?: string; attributes?: Record<string, string> } | undefined;
  if (field === 'productFamily') return product?.productFamily;
  if (field === 'sku') return product?.sku;
  return product?.attributes?.[field];
}

function matches(item: Record<string, unknown>, filter: { Type: string; Field: string; Value: string }): boolean {
  const v = attributeOf(item, filter.Field);
  const values = filter.Value.split(',').map((s) => s.trim());
  switch (filter.Type) {
    case 'TERM_MATCH':
    case 'EQUALS':
      return v !== undefined && v.toLowerCase() === filter.Value.toLowerCase();
    case 'ANY_OF':
      return v !== undefined && values.some((x) => x.toLowerCase() === v.toLowerCase());
    case 'NONE_OF':
      return v === undefined || !values.some((x) => x.toLowerCase() === v.toLowerCase());
    case 'CONTAINS':
      return v !== undefined && v.toLowerCase().includes(filter.Value.toLowerCase());
    default:
      throw new Error(`unknown filter type ${filter.Type}`);
  }
}

function regionOfAuth(req: IncomingMessage): string {
  const auth = req.headers.authorization ?? '';
  return /Credential=[^/]+\/\d{8}\/([^/]+)\//.exec(auth)?.[1] ?? 'unknown';
}

function token(offset: number, query: string): string {
  return Buffer.from(JSON.stringify({ offset, query })).toString('base64url');
}

function readToken(text: string | undefined, query: string): number | 'invalid' {
  if (!text) return 0;
  try {
    const t = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as { offset: number; query: string };
    return t.query === query && Number.isInteger(t.offset) ? t.offset : 'invalid';
  } catch {
    return 'invalid';
  }
}

function xmlEscape(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export async function startAwsStandin(options: StandinOptions = {}): Promise<AwsStandin> {
  undoLeakedHttpInterceptors();
  const requests: StandinRequest[] = [];
  let n = 0;

  function pricing(req: IncomingMessage, body: string, res: ServerResponse): void {
    const target = String(req.headers['x-amz-target'] ?? '');
    const json = (status: number, value: unknown): void => {
      res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': `req-${n}` });
      res.end(JSON.stringify(value));
    };
    if (target !== 'AWSPriceListService.GetProducts') {
      json(400, { __type: 'UnknownOperationException', message: `unsupported operation ${target}` });
      return;
    }
    const input = JSON.parse(body) as { ServiceCode?: string; Filters?: PricingRequest['filters']; NextToken?: string; MaxResults?: number; FormatVersion?: string };
    const request: PricingRequest = {
      api: 'pricing',
      region: regionOfAuth(req),
      serviceCode: input.ServiceCode ?? '',
      filters: input.Filters ?? [],
      ...(input.NextToken ? { nextToken: input.NextToken } : {}),
      ...(input.MaxResults !== undefined ? { maxResults: input.MaxResults } : {}),
      ...(input.FormatVersion ? { formatVersion: input.FormatVersion } : {}),
      n: ++n,
    };
    requests.push(request);
    const failure = options.fail?.(request);
    if (failure) {
      json(failure.status, { __type: failure.code, message: failure.message });
      return;
    }
    if (!input.ServiceCode) {
      json(400, { __type: 'InvalidParameterException', message: 'ServiceCode is required' });
      return;
    }
    if (input.MaxResults !== undefined && (input.MaxResults < 1 || input.MaxResults > 100)) {
      json(400, { __type: 'InvalidParameterException', message: 'MaxResults must be between 1 and 100' });
      return;
    }
    const items = options.products?.[input.ServiceCode];
    if (items === undefined) {
      json(400, { __type: 'NotFoundException', message: `service ${input.ServiceCode} not found` });
      return;
    }
    const query = JSON.stringify([input.ServiceCode, input.Filters ?? []]);
    const offset = readToken(input.NextToken, query);
    if (offset === 'invalid') {
      json(400, { __type: 'InvalidNextTokenException', message: 'the NextToken is not valid for this request' });
      return;
    }
    const matching = items.filter((item) => (input.Filters ?? []).every((f) => matches(item as Record<string, unknown>, f)));
    const size = Math.min(input.MaxResults ?? 100, options.pageSize ?? 100);
    const page = matching.slice(offset, offset + size);
    const next = offset + size < matching.length ? token(offset + size, query) : undefined;
    json(200, { FormatVersion: 'aws_v1', PriceList: page.map((item) => JSON.stringify(item)), ...(next ? { NextToken: next } : {}) });
  }

  function ec2(req: IncomingMessage, body: string, res: ServerResponse): void {
    const params = Object.fromEntries(new URLSearchParams(body));
    const request: Ec2Request = { api: 'ec2', region: regionOfAuth(req), action: params.Action ?? '', params, n: ++n };
    requests.push(request);
    const xml = (status: number, text: string): void => {
      res.writeHead(status, { 'content-type': 'text/xml;charset=UTF-8' });
      res.end(`<?xml version="1.0" encoding="UTF-8"?>\n${text}`);
    };
    const error = (status: number, code: string, message: string): void =>
      xml(status, `<Response><Errors><Error><Code>${code}</Code><Message>${xmlEscape(message)}</Message></Error></Errors><RequestID>req-${n}</RequestID></Response>`);
    const failure = options.fail?.(request);
    if (failure) {
      error(failure.status, failure.code, failure.message);
      return;
    }
    if (request.action !== 'DescribeSpotPriceHistory') {
      error(400, 'InvalidAction', `The action ${request.action} is not valid for this web service.`);
      return;
    }
    const list = (prefix: string): string[] =>
      Object.entries(params)
        .filter(([k]) => new RegExp(`^${prefix}\\.\\d+$`).test(k))
        .map(([, v]) => v);
    const types = list('InstanceType');
    const descriptions = list('ProductDescription');
    const start = params.StartTime ? Date.parse(params.StartTime) : -Infinity;
    const end = params.EndTime ? Date.parse(params.EndTime) : Infinity;
    const all = (options.spotHistory?.[request.region] ?? [])
      .filter((r) => (types.length === 0 || types.includes(r.InstanceType)) && (descriptions.length === 0 || descriptions.includes(r.ProductDescription)))
      .filter((r) => Date.parse(r.Timestamp) <= end);
    // As EC2 does: records in the window, plus the one in effect at its start in each zone and type.
    const inWindow = all.filter((r) => Date.parse(r.Timestamp) >= start);
    const before = new Map<string, SpotHistoryRecord>();
    for (const r of all) {
      if (Date.parse(r.Timestamp) >= start) continue;
      const id = `${r.InstanceType}|${r.AvailabilityZone}`;
      const prior = before.get(id);
      if (!prior || Date.parse(prior.Timestamp) < Date.parse(r.Timestamp)) before.set(id, r);
    }
    const records = [...inWindow, ...before.values()].sort((a, b) => Date.parse(b.Timestamp) - Date.parse(a.Timestamp));
    const query = JSON.stringify([types, descriptions, params.StartTime ?? '', params.EndTime ?? '']);
    const offset = readToken(params.NextToken, query);
    if (offset === 'invalid') {
      error(400, 'InvalidParameterValue', 'Invalid value for NextToken');
      return;
    }
    const size = Math.min(Number(params.MaxResults ?? 1000), options.pageSize ?? 1000);
    const page = records.slice(offset, offset + size);
    const next = offset + size < records.length ? token(offset + size, query) : '';
    const items = page
      .map(
        (r) =>
          `<item><instanceType>${xmlEscape(r.InstanceType)}</instanceType><productDescription>${xmlEscape(r.ProductDescription)}</productDescription>` +
          `<spotPrice>${xmlEscape(r.SpotPrice)}</spotPrice><timestamp>${new Date(r.Timestamp).toISOString()}</timestamp>` +
          `<availabilityZone>${xmlEscape(r.AvailabilityZone)}</availabilityZone></item>`,
      )
      .join('');
    xml(
      200,
      `<DescribeSpotPriceHistoryResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>req-${n}</requestId>` +
        `<spotPriceHistorySet>${items}</spotPriceHistorySet><nextToken>${next}</nextToken></DescribeSpotPriceHistoryResponse>`,
    );
  }

  const server: Server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (body += c));
    req.on('end', () => {
      try {
        if (req.headers['x-amz-target']) pricing(req, body, res);
        else ec2(req, body, res);
      } catch (e) {
        res.writeHead(500, { 'content-type': 'application/x-amz-json-1.1' });
        res.end(JSON.stringify({ __type: 'InternalErrorException', message: (e as Error).message }));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The AWS environment of a test: fake keys, the stand-in's endpoints, nothing from the real machine. */
export function standinEnv(url: string): Record<string, string | undefined> {
  return {
    AWS_ENDPOINT_URL_PRICING: url,
    AWS_ENDPOINT_URL_EC2: url,
    AWS_ACCESS_KEY_ID: 'AKIDSTANDIN000000000',
    AWS_SECRET_ACCESS_KEY: 'standin-secret',
    AWS_SESSION_TOKEN: undefined,
    AWS_PROFILE: undefined,
    AWS_DEFAULT_PROFILE: undefined,
    AWS_REGION: undefined,
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_CONFIG_FILE: '/nonexistent/mlcost-test-aws-config',
    AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/mlcost-test-aws-credentials',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: undefined,
    AWS_CONTAINER_CREDENTIALS_FULL_URI: undefined,
    AWS_WEB_IDENTITY_TOKEN_FILE: undefined,
    AWS_ROLE_ARN: undefined,
  };
}

/**
 * Sets `env` on process.env (undefined deletes) and returns a function that restores it. Fails
 * when the endpoints are not loopback: a test must never reach real AWS.
 */
export function useEnv(env: Record<string, string | undefined>): () => void {
  for (const k of ['AWS_ENDPOINT_URL_PRICING', 'AWS_ENDPOINT_URL_EC2']) {
    const v = env[k];
    if (v === undefined || !/^http:\/\/127\.0\.0\.1:\d+$/.test(v)) throw new Error(`${k} must point at the loopback stand-in, got ${String(v)}`);
  }
  const saved = new Map<string, string | undefined>();
  for (const [k, v] of Object.entries(env)) {
    saved.set(k, process.env[k]);
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  return () => {
    for (const [k, v] of saved) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  };
}

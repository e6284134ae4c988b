/**
 * `mlcost prices update` end to end against the loopback stand-in (exit codes 0, 2, 3; the file it
 * writes), then `--prices` / MLCOST_PRICES reading that file: source `live`, its date in the footer.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../src/cli/main.js';
import type { Breakdown } from '../../src/core/types.js';
import { createPriceBook, validateSnapshot } from '../../src/pricing/catalog/price-book.js';
import { keys } from '../../src/pricing/keys.js';
import { startAwsStandin, standinEnv, useEnv, type AwsStandin, type StandinFailure, type StandinRequest } from '../helpers/aws-standin.js';
import { standinCatalog } from '../fixtures/pricing/price-list-api/items.js';

const repoRoot = join(import.meta.dirname, '..', '..');
const today = (): string => new Date().toISOString().slice(0, 10);

let standin: AwsStandin;
let restoreEnv: () => void;
let tmp: string;
let failWith: ((r: StandinRequest) => StandinFailure | undefined) | undefined;

beforeAll(async () => {
  standin = await startAwsStandin({ products: standinCatalog(), fail: (r) => failWith?.(r) });
  restoreEnv = useEnv(standinEnv(standin.url));
  tmp = mkdtempSync(join(tmpdir(), 'mlcost-prices-'));
});

afterEach(() => {
  failWith = undefined;
});

afterAll(async () => {
  restoreEnv();
  await standin.close();
  rmSync(tmp, { recursive: true, force: true });
});

async function cli(args: string[], env: Record<string, string> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(args, { out: (s) => out.push(s), err: (s) => err.push(s), env, cwd: repoRoot });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('mlcost prices update', () => {
  it('exits 0 and writes a snapshot in the embedded format, dated today', async () => {
    const file = join(tmp, 'ok.json');
    const r = await cli(['prices', 'update', '--services', 'AmazonEC2,AmazonS3,AmazonECS', '--regions', 'us-east-1', '--out', file]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(new RegExp(`^wrote .*ok\\.json: \\d+ prices refreshed on ${today()} \\(3 services in 1 regions\\), [\\d,]+ kept from the base snapshot with their own dates$`));
    expect(r.err).toMatch(/AmazonEC2 us-east-1: \d+ prices from \d+ products/);
    const snapshot = validateSnapshot(JSON.parse(readFileSync(file, 'utf8')));
    expect(snapshot).toMatchObject({ capturedAt: today(), generatedBy: expect.stringMatching(/^mlcost prices update \(base: scripts\/build-price-catalog.ts\)$/) });
    const book = createPriceBook(snapshot);
    expect(book.lookup(keys.fargateVcpu('us-east-1'))).toMatchObject({ ok: true, price: { usd: 0.04048, source: 'aws-price-list-AmazonECS', sourceDate: today() } });
  });

  it('--prices and MLCOST_PRICES read it: source live, its date in the JSON and the footer', async () => {
    const file = join(tmp, 'ok.json');
    if (!existsSync(file)) await cli(['prices', 'update', '--services', 'AmazonEC2', '--regions', 'us-east-1', '--out', file, '--quiet']);
    const json = await cli(['breakdown', 'examples/ml-platform/base', '--format', 'json', '--prices', file]);
    expect(json.code).toBe(0);
    const b = JSON.parse(json.out) as Breakdown;
    expect(b.prices).toMatchObject({ source: 'live', capturedAt: today() });
    const bastion = b.projects[0]?.resources.find((x) => x.address === 'aws_instance.bastion');
    expect(bastion?.costComponents[0]?.priceSource).toMatchObject({ source: 'aws-price-list-AmazonEC2', date: today() });
    const md = await cli(['breakdown', 'examples/ml-platform/base', '--format', 'markdown'], { MLCOST_PRICES: file });
    expect(md.out).toContain(`Prices: AWS list prices, AWS Price List API refresh of ${today()}`);
    // The embedded snapshot says so too.
    const embedded = await cli(['breakdown', 'examples/ml-platform/base', '--format', 'markdown']);
    expect(embedded.out).toMatch(/Prices: AWS list prices, embedded snapshot \d{4}-\d{2}-\d{2}/);
  });

  it('exits 3 on a partial refresh: the file is written, the failures are listed', async () => {
    failWith = (r) => (r.api === 'pricing' && r.serviceCode === 'AmazonS3' ? { status: 400, code: 'InvalidParameterException', message: 'Filter value is not valid' } : undefined);
    const file = join(tmp, 'partial.json');
    const r = await cli(['prices', 'update', '--services', 'AmazonEC2,AmazonS3', '--regions', 'us-east-1', '--out', file, '--quiet']);
    expect(r.code).toBe(3);
    expect(existsSync(file)).toBe(true);
    expect(r.err).toContain('could not refresh 1 service/region pair(s); their prices are kept from the base snapshot:');
    expect(r.err).toContain('  AmazonS3 us-east-1: InvalidParameterException: Filter value is not valid');
    expect(r.err).toContain('partial refresh');
    const s3 = createPriceBook(JSON.parse(readFileSync(file, 'utf8'))).lookup(keys.s3Storage('us-east-1', 'STANDARD'));
    expect(s3).toMatchObject({ ok: true, price: { source: 'aws-s3' } });
  });

  it('exits 2 without credentials, naming the standard credential chain, and writes nothing', async () => {
    const restore = useEnv({ ...standinEnv(standin.url), AWS_ACCESS_KEY_ID: undefined, AWS_SECRET_ACCESS_KEY: undefined });
    try {
      const file = join(tmp, 'none.json');
      const r = await cli(['prices', 'update', '--services', 'AmazonEC2', '--regions', 'us-east-1', '--out', file, '--quiet']);
      expect(r.code).toBe(2);
      expect(r.err).toMatch(/mlcost: no usable AWS credentials .* standard AWS credential chain/);
      expect(r.err).toContain('none.json was not written');
      expect(existsSync(file)).toBe(false);
    } finally {
      restore();
    }
  });

  it('exits 2 on bad arguments, before any request', async () => {
    const before = standin.requests.length;
    const r = await cli(['prices', 'update', '--services', 'AmazonEc2', '--out', join(tmp, 'x.json')]);
    expect(r.code).toBe(2);
    expect(r.err).toContain('unknown service code "AmazonEc2"; did you mean AmazonEC2?');
    const endpoint = await cli(['prices', 'update', '--endpoint-region', 'eu-west-1', '--out', join(tmp, 'x.json')]);
    expect(endpoint.code).toBe(2);
    expect(endpoint.err).toContain('the Price List API has no endpoint in eu-west-1');
    expect(standin.requests.length).toBe(before);
  });

  it('--base keeps a previous refresh: a second run over it refreshes only what it asks for', async () => {
    const first = join(tmp, 'first.json');
    const second = join(tmp, 'second.json');
    expect((await cli(['prices', 'update', '--services', 'AmazonS3', '--regions', 'us-east-1', '--out', first, '--quiet'])).code).toBe(0);
    expect((await cli(['prices', 'update', '--services', 'AWSLambda', '--regions', 'us-east-1', '--base', first, '--out', second, '--quiet'])).code).toBe(0);
    const book = createPriceBook(JSON.parse(readFileSync(second, 'utf8')));
    expect(book.lookup(keys.s3Storage('us-east-1', 'STANDARD'))).toMatchObject({ ok: true, price: { source: 'aws-price-list-AmazonS3' } });
    expect(book.lookup(keys.lambdaRequests('us-east-1'))).toMatchObject({ ok: true, price: { source: 'aws-price-list-AWSLambda' } });
  });
});

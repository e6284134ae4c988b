/**
 * The fake GitHub behind nock (no network), and a Probot instance wired for tests: retries and
 * throttling off (the function form of `defaults`, so no per-request wait), a fresh RSA key.
 */
import { afterAll, afterEach, beforeEach, expect } from '@jest/globals';
import nock from 'nock';
import { generateKeyPairSync } from 'node:crypto';
import { Probot } from 'probot';
import { TestOctokit } from './github-octokit.js';
import { FakeGitHub } from './github-fake.js';
import { createApp } from '../../src/app/probot.js';
import type { AppOptions } from '../../src/app/probot.js';
import type { PipelineResult } from '../../src/app/pipeline.js';

export const API = 'https://api.github.com';

let key: string | undefined;
/** An RSA private key in GitHub's format (PKCS#1 PEM), made once per test file. */
export function privateKey(): string {
  key ??= generateKeyPairSync('rsa', { modulusLength: 2048, privateKeyEncoding: { type: 'pkcs1', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } }).privateKey;
  return key;
}

/** Routes every request to api.github.com into the fake. Call `nock.cleanAll()` after. */
export function nockGitHub(fake: FakeGitHub, base = API): void {
  // An earlier test file in this worker may have restored Node's http module (see afterAll there).
  if (!nock.isActive()) nock.activate();
  nock.disableNetConnect();
  for (const method of ['GET', 'POST', 'PATCH', 'PUT', 'DELETE']) {
    nock(base)
      .persist()
      .intercept(/.*/, method)
      .reply(async (request: Request) => {
        const url = new URL(request.url);
        const body = method === 'GET' || method === 'DELETE' ? undefined : await request.text();
        const res = fake.handle(method, `${url.pathname}${url.search}`, body);
        if (res.delayMs) await new Promise((r) => setTimeout(r, res.delayMs));
        return [res.status, res.body as nock.Body, res.headers];
      });
  }
}

export { TestOctokit };

/**
 * A Probot with the mlcost app loaded, quiet logs, retries and throttling off, on the in-process
 * queue; a delivery's handler returns once its analysis has run (`awaitJobs`), so tests can look
 * at the outcome right after `receive`.
 */
export async function testProbot(options: AppOptions = {}): Promise<Probot> {
  const probot = new Probot({ appId: 1, privateKey: privateKey(), secret: 'test-secret', Octokit: TestOctokit, logLevel: 'fatal' });
  // One try per job unless a test asks for retries: a failure shows on the check run at once.
  await probot.load(createApp({ awaitJobs: true, env: { ...process.env, REDIS_URL: '', MLCOST_JOB_ATTEMPTS: '1' }, ...options }));
  return probot;
}

/** What a test of the App sees: the fake GitHub, the loaded Probot and each run's result. */
export interface FakeApp {
  readonly fake: FakeGitHub;
  readonly probot: Probot;
  readonly results: PipelineResult[];
}

/**
 * Registers the hooks every App test file needs: a fresh fake GitHub behind nock and a loaded App
 * before each test, no OpenAPI violation after each, and Node's http module restored after the
 * file (nock patches it for the whole worker). Call it at the top of a file or `describe`.
 */
export function useFakeApp(options: AppOptions = {}): FakeApp {
  let fake: FakeGitHub | undefined;
  let probot: Probot | undefined;
  let results: PipelineResult[] = [];
  beforeEach(async () => {
    fake = new FakeGitHub();
    nockGitHub(fake);
    results = [];
    probot = await testProbot({ ...options, onResult: (r, t) => (results.push(r), options.onResult?.(r, t)) });
  });
  afterEach(() => {
    nock.cleanAll();
    expect(fake?.violations).toEqual([]);
  });
  afterAll(() => {
    nock.restore();
    nock.enableNetConnect();
  });
  const must = <T>(v: T | undefined, what: string): T => {
    if (v === undefined) throw new Error(`${what} is set up in beforeEach`);
    return v;
  };
  return {
    get fake() {
      return must(fake, 'fake');
    },
    get probot() {
      return must(probot, 'probot');
    },
    get results() {
      return results;
    },
  };
}

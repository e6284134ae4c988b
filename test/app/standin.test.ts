/**
 * The pipeline on real sockets (the loopback stand-in): a request that hangs is abandoned at its
 * deadline and the check run says which one; the OpenAPI check refuses a malformed body.
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { FakeGitHub } from '../helpers/github-fake.js';
import { startStandin } from '../helpers/github-standin.js';
import type { Standin } from '../helpers/github-standin.js';
import { TestOctokit } from '../helpers/github-octokit.js';
import { instanceTf, scenario } from '../helpers/github-scenario.js';
import { assertValidRequest } from '../helpers/openapi.js';
import { runPullRequest } from '../../src/app/pipeline.js';
import { loadPriceBook } from '../../src/adapters/prices.js';
import { loadRenderer } from '../../src/adapters/templates.js';
import type { Log } from '../../src/adapters/github.js';

let fake: FakeGitHub;
let standin: Standin;
const quiet: Log = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

beforeEach(async () => {
  // Load GitHub's OpenAPI description now: the stand-in checks every body with it, in this process.
  assertValidRequest('POST', '/repos/o/r/issues/1/comments', { body: 'warm-up' });
  fake = new FakeGitHub();
  standin = await startStandin(fake);
});
afterEach(async () => {
  await standin.close();
});

describe('on a real socket', () => {
  it('abandons a request at its deadline and names it in the failed check run', async () => {
    const s = scenario(fake, { base: { 'infra/main.tf': instanceTf('m5.large') }, head: { 'infra/main.tf': instanceTf('m5.xlarge') } });
    fake.fail({ method: 'GET', path: /\/git\/trees\//, status: 200, delayMs: 8000, times: 1 });
    const octokit = new TestOctokit({ auth: { token: 'ghs_testtoken' }, baseUrl: `${standin.origin}/api/v3` });
    const t0 = Date.now();
    const r = await runPullRequest(octokit, s.target, { book: loadPriceBook(), renderer: loadRenderer(), log: quiet, requestTimeoutMs: 1000 });
    for (const r of fake.requests) expect(r.path).not.toMatch(/%7B/);
    expect(Date.now() - t0).toBeLessThan(5000);
    expect(r.conclusion).toBe('failure');
    const run = fake.checkRuns[0];
    expect(run?.status).toBe('completed');
    expect(run?.output.summary).toContain(`<code>GET /api/v3/repos/acme/infra/git/trees/${s.headSha}</code> did not answer within`);
    expect(fake.violations).toEqual([]);
  });
});

describe('the OpenAPI check', () => {
  it('refuses a malformed check run, an unknown endpoint and a comment without a body', () => {
    expect(() => assertValidRequest('POST', '/repos/o/r/check-runs', { name: 'mlcost', head_sha: 'abc', output: { summary: 'no title' } })).toThrow(/title/);
    expect(() =>
      assertValidRequest('PATCH', '/repos/o/r/check-runs/1', { conclusion: 'passed', output: { title: 't', summary: 's' } }),
    ).toThrow(/conclusion/);
    expect(() => assertValidRequest('POST', '/repos/o/r/issues/1/comments', {})).toThrow(/body/);
    expect(() => assertValidRequest('POST', '/repos/o/r/check-runs', { name: 'x', head_sha: 'a', output: { title: 't', summary: 'x'.repeat(65536) } })).toThrow(/65535/);
    expect(() => assertValidRequest('GET', '/repos/o/r/not-an-endpoint', undefined)).toThrow(/not an operation/);
    expect(() => assertValidRequest('POST', '/repos/o/r/check-runs', { name: 'mlcost', head_sha: 'abc', status: 'in_progress', output: { title: 't', summary: 's' } })).not.toThrow();
  });
});

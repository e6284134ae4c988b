/**
 * The GitHub App's handlers, driven by real webhook payloads (@octokit/webhooks-examples) against
 * a nock'd GitHub whose every request body is checked against GitHub's OpenAPI description.
 */
import { afterAll, afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import nock from 'nock';
import type { Probot } from 'probot';
import { FakeGitHub } from '../helpers/github-fake.js';
import { nockGitHub, testProbot } from '../helpers/github-nock.js';
import { checkRunRerequested, checkSuiteRerequested, pullRequestEvent } from '../helpers/github-payloads.js';
import type { Target } from '../helpers/github-payloads.js';
import { instanceTf, scenario } from '../helpers/github-scenario.js';
import type { PipelineResult } from '../../src/app/pipeline.js';
import { COMMENT_MARKER } from '../../src/report/view-model.js';

let fake: FakeGitHub;
let probot: Probot;
let results: PipelineResult[];
let delivery = 0;

async function setup(options: Parameters<typeof testProbot>[0] = {}): Promise<void> {
  results = [];
  probot = await testProbot({ ...options, onResult: (r) => results.push(r) });
}

beforeEach(async () => {
  fake = new FakeGitHub();
  nockGitHub(fake);
  await setup();
});

afterEach(() => {
  nock.cleanAll();
  expect(fake.violations).toEqual([]);
});

// nock patches Node's http module for the whole worker: undo it so later test files get real loopback HTTP.
afterAll(() => {
  nock.restore();
  nock.enableNetConnect();
});

async function deliver(name: string, payload: Record<string, unknown>): Promise<void> {
  await probot.receive({ id: `delivery-${++delivery}`, name: name as 'pull_request', payload: payload as never });
}

const pr = (action: string, t: Target, changes?: Record<string, unknown>) => deliver('pull_request', pullRequestEvent(action, t, changes));

function lastRun() {
  const run = fake.checkRuns[fake.checkRuns.length - 1];
  if (!run) throw new Error('no check run');
  return run;
}

function basic() {
  return scenario(fake, {
    base: { 'README.md': '# infra\n', 'infra/main.tf': instanceTf('m5.large'), 'infra/variables.tf': 'variable "unused" {\n  default = 1\n}\n' },
    head: { 'infra/main.tf': instanceTf('m5.xlarge') },
  });
}

describe('pull_request events', () => {
  it('first run: an in-progress check run, then one comment and a completed check, in at most 8 requests', async () => {
    const s = basic();
    await pr('opened', s.target);
    const run = lastRun();
    expect(run.head_sha).toBe(s.headSha);
    expect(run.name).toBe('mlcost');
    expect(run.updates[0]).toMatchObject({ status: 'in_progress', head_sha: s.headSha });
    expect(run.status).toBe('completed');
    expect(run.conclusion).toBe('success');
    expect(run.output.title).toMatch(/^\+\$70\.08\/month/);
    const comments = fake.comments('acme/infra', 7);
    expect(comments).toHaveLength(1);
    expect(comments[0]?.body.startsWith(`${COMMENT_MARKER} head=${s.headSha} -->`)).toBe(true);
    expect(comments[0]?.body).toContain('+$70.08 / month');
    // Token, check run, compare, tree, blobs + config, PR state + comments, comment, check run.
    expect(fake.requests).toHaveLength(8);
    expect(results[0]?.requests).toBe(8);
    // The untouched variables.tf of the changed module was read too: both sides, once (same blob).
    const blobQuery = fake.requests.find((r) => r.path === '/graphql' && /mlcostBlobs/.test(String((r.body as { query: string }).query)));
    const vars = (blobQuery?.body as { variables: Record<string, string> }).variables;
    const oidOfVariables = s.repo.commits.get(s.headSha)?.tree.get('infra/variables.tf');
    expect(Object.values(vars).filter((v) => v === oidOfVariables)).toHaveLength(1);
  });

  it('a second push updates the same comment in place', async () => {
    const s = basic();
    await pr('opened', s.target);
    const first = fake.comments('acme/infra', 7)[0];
    const t2 = s.push({ 'infra/main.tf': instanceTf('m5.2xlarge') });
    await pr('synchronize', t2);
    const comments = fake.comments('acme/infra', 7);
    expect(comments).toHaveLength(1);
    expect(comments[0]?.id).toBe(first?.id);
    expect(comments[0]?.body).toContain(`head=${t2.headSha}`);
    expect(comments[0]?.body).toContain('+$210.24 / month');
    expect(fake.requests.filter((r) => r.method === 'PATCH' && /issues\/comments/.test(r.path))).toHaveLength(1);
    expect(fake.checkRuns.map((r) => r.head_sha)).toEqual([s.headSha, t2.headSha]);
    expect(results[1]?.requests).toBeLessThanOrEqual(8);
  });

  it('a stale delivery (an older head) does not overwrite the comment; its check run still completes', async () => {
    await setup({ staleRecheckMs: 20 });
    const s = basic();
    const older = s.target;
    const newer = s.push({ 'infra/main.tf': instanceTf('m5.2xlarge') });
    await pr('synchronize', newer);
    const before = fake.comments('acme/infra', 7)[0]?.body;
    await pr('opened', older); // delivered late
    expect(fake.comments('acme/infra', 7)).toHaveLength(1);
    expect(fake.comments('acme/infra', 7)[0]?.body).toBe(before);
    expect(fake.comments('acme/infra', 7)[0]?.body).toContain(`head=${newer.headSha}`);
    const run = fake.checkRuns.find((r) => r.head_sha === older.headSha);
    expect(run?.conclusion).toBe('success');
    expect(results[1]?.comment).toMatchObject({ action: 'stale' });
    // The head was read twice (the API can lag behind a webhook) before giving up on the comment.
    const stateReads = fake.requests.filter((r) => r.path === '/graphql' && /mlcostPullState/.test(String((r.body as { query: string }).query)));
    expect(stateReads).toHaveLength(3); // once for the newer delivery, twice for the stale one
  });

  it('reads the head again when the API lags behind the webhook, then writes the comment', async () => {
    await setup({ staleRecheckMs: 20 });
    const s = basic();
    const newer = s.push({ 'infra/main.tf': instanceTf('m5.2xlarge') });
    const pull = s.pull;
    // The API still reports the previous head for the first read.
    pull.head.sha = s.headSha;
    const realHandle = fake.handle.bind(fake);
    let reads = 0;
    fake.handle = (m, p, b) => {
      if (p.endsWith('/graphql') && /mlcostPullState/.test(String((b as string) ?? ''))) {
        if (++reads === 2) pull.head.sha = newer.headSha;
      }
      return realHandle(m, p, b);
    };
    await pr('synchronize', newer);
    expect(reads).toBe(2);
    expect(fake.comments('acme/infra', 7)[0]?.body).toContain(`head=${newer.headSha}`);
  });

  it('an unchanged analysis does not rewrite the comment', async () => {
    const s = basic();
    await pr('opened', s.target);
    await pr('reopened', s.target);
    expect(fake.requests.filter((r) => r.method === 'PATCH' && /issues\/comments/.test(r.path))).toHaveLength(0);
    expect(results[1]?.comment).toMatchObject({ action: 'unchanged' });
  });

  it('no relevant file changed: success with "nothing to price", and no comment', async () => {
    const s = scenario(fake, { base: { 'infra/main.tf': instanceTf('m5.large'), 'docs/a.md': 'a' }, head: { 'docs/a.md': 'b', 'infra/README.md': 'about' } });
    await pr('opened', s.target);
    const run = lastRun();
    expect(run.conclusion).toBe('success');
    expect(run.output.title).toBe('Nothing to price');
    expect(run.output.summary).toContain('nothing to price');
    expect(fake.comments('acme/infra', 7)).toHaveLength(0);
  });

  it('an existing comment is kept up to date when the pull request stops touching priced files', async () => {
    const s = basic();
    await pr('opened', s.target);
    const t2 = s.push({ 'infra/main.tf': instanceTf('m5.large') }); // reverted
    await pr('synchronize', t2);
    expect(lastRun().output.title).toBe('Nothing to price');
    expect(fake.comments('acme/infra', 7)[0]?.body).toContain('no infrastructure changes to price');
  });

  it('ignores a comment with our marker written by someone else', async () => {
    const s = basic();
    const impostor = fake.addComment('acme/infra', 7, `${COMMENT_MARKER} head=${s.headSha} -->\nI am not the bot`);
    await pr('opened', s.target);
    const comments = fake.comments('acme/infra', 7);
    expect(comments).toHaveLength(2);
    expect(comments.find((c) => c.id === impostor.id)?.body).toContain('I am not the bot');
    expect(comments.find((c) => c.id !== impostor.id)?.user.login).toBe('mlcost[bot]');
  });

  it('removes duplicate comments a concurrent delivery on another replica created', async () => {
    const s = basic();
    fake.addComment('acme/infra', 7, `${COMMENT_MARKER} head=none -->\nold`, { login: 'mlcost[bot]', type: 'Bot' });
    fake.addComment('acme/infra', 7, `${COMMENT_MARKER} head=none -->\nduplicate`, { login: 'mlcost[bot]', type: 'Bot' });
    await pr('opened', s.target);
    const comments = fake.comments('acme/infra', 7);
    expect(comments).toHaveLength(1);
    expect(comments[0]?.body).toContain(`head=${s.headSha}`);
  });

  it('two deliveries for the same pull request and head while one is queued: analysed once, one comment', async () => {
    const s = basic();
    await Promise.all([pr('opened', s.target), pr('ready_for_review', s.target)]);
    expect(fake.comments('acme/infra', 7)).toHaveLength(1);
    expect(fake.checkRuns).toHaveLength(1);
  });

  it('serialises two heads of the same pull request: one comment, never two', async () => {
    const s = basic();
    const t2 = s.push({ 'infra/main.tf': instanceTf('m5.2xlarge') });
    await Promise.all([pr('opened', s.target), pr('synchronize', t2)]);
    expect(fake.comments('acme/infra', 7)).toHaveLength(1);
    expect(fake.comments('acme/infra', 7)[0]?.body).toContain(`head=${t2.headSha}`);
  });

  it('edited: only a change of base branch re-runs the analysis', async () => {
    const s = basic();
    await pr('edited', s.target, { title: { from: 'old title' } });
    expect(fake.requests).toHaveLength(0);
    await pr('edited', s.target, { base: { ref: { from: 'develop' }, sha: { from: '0'.repeat(40) } } });
    expect(lastRun().conclusion).toBe('success');
  });

  it('prices against the merge base: commits on the base branch since the branch point are not counted', async () => {
    const s = basic();
    s.advanceBase({ 'infra/gpu.tf': instanceTf('p4d.24xlarge', 'gpu') });
    await pr('synchronize', { ...s.target, baseSha: s.pull.base.sha });
    expect(lastRun().output.title).toMatch(/^\+\$70\.08\/month/);
    expect(fake.comments('acme/infra', 7)[0]?.body).not.toContain('gpu');
  });

  it('a deleted module and a renamed file affect both sides', async () => {
    const s = scenario(fake, {
      base: { 'old/main.tf': instanceTf('m5.large', 'a'), 'moved/main.tf': instanceTf('t3.micro', 'b') },
      head: { 'old/main.tf': null, 'moved/main.tf': null, 'new/main.tf': instanceTf('t3.micro', 'b') },
    });
    await pr('opened', s.target);
    const body = fake.comments('acme/infra', 7)[0]?.body ?? '';
    expect(body).toContain('<code>old</code>');
    expect(body).toContain('<code>moved</code>');
    expect(body).toContain('<code>new</code>');
    expect(lastRun().output.title).toMatch(/^-\$70\.88\/month/);
  });
});

describe('configuration', () => {
  it('is read from the base branch: a pull request cannot loosen its own thresholds', async () => {
    const s = scenario(fake, {
      base: { '.mlcost.yml': 'thresholds:\n  maxMonthlyIncrease: 50\n', 'infra/main.tf': instanceTf('m5.large') },
      head: { '.mlcost.yml': 'thresholds:\n  maxMonthlyIncrease: 100000\n', 'infra/main.tf': instanceTf('m5.xlarge') },
    });
    await pr('opened', s.target);
    const run = lastRun();
    expect(run.conclusion).toBe('failure');
    expect(run.output.summary).toContain('1 guardrail failed');
  });

  it('a warning-only breach is neutral; .github/mlcost.yml is accepted', async () => {
    const s = scenario(fake, {
      base: { '.github/mlcost.yml': 'thresholds:\n  maxMonthlyIncrease:\n    amount: 50\n    severity: warning\n', 'infra/main.tf': instanceTf('m5.large') },
      head: { 'infra/main.tf': instanceTf('m5.xlarge') },
    });
    await pr('opened', s.target);
    expect(lastRun().conclusion).toBe('neutral');
  });

  it('a broken config fails the check with the key and line, and posts no comment', async () => {
    const s = scenario(fake, {
      base: { '.mlcost.yml': 'version: 1\nthresholds:\n  maxMonthlyIncrese: 50\n', 'infra/main.tf': instanceTf('m5.large') },
      head: { 'infra/main.tf': instanceTf('m5.xlarge') },
    });
    await pr('opened', s.target);
    const run = lastRun();
    expect(run.conclusion).toBe('failure');
    expect(run.output.title).toBe('mlcost: .mlcost.yml is invalid');
    expect(run.output.summary).toContain('<code>.mlcost.yml:3:3</code>');
    expect(run.output.summary).toContain('thresholds.maxMonthlyIncrese');
    expect(run.output.summary).toContain('did you mean');
    expect(fake.comments('acme/infra', 7)).toHaveLength(0);
  });

  it('comment: on-change stays silent until the cost changes; never posts nothing', async () => {
    const s = scenario(fake, {
      base: { '.mlcost.yml': 'comment: on-change\n', 'infra/main.tf': instanceTf('m5.large') },
      head: { 'infra/main.tf': `${instanceTf('m5.large')}\n# a comment\n` },
    });
    await pr('opened', s.target);
    expect(lastRun().conclusion).toBe('success');
    expect(fake.comments('acme/infra', 7)).toHaveLength(0);
    const t2 = s.push({ 'infra/main.tf': instanceTf('m5.xlarge') });
    await pr('synchronize', t2);
    expect(fake.comments('acme/infra', 7)).toHaveLength(1);
    const t3 = s.push({ 'infra/main.tf': `${instanceTf('m5.xlarge')}\n# again\n` });
    await pr('synchronize', t3);
    expect(fake.comments('acme/infra', 7)[0]?.body).toContain(`head=${t3.headSha}`);

    const n = scenario(fake, { repo: 'quiet', base: { '.mlcost.yml': 'comment: never\n', 'main.tf': instanceTf('m5.large') }, head: { 'main.tf': instanceTf('m5.xlarge') } });
    await pr('opened', n.target);
    expect(fake.comments('acme/quiet', 7)).toHaveLength(0);
    expect(lastRun().conclusion).toBe('success');
  });

  it('organisation defaults from the .github repository, extended with _extends', async () => {
    const org = fake.repo('acme', '.github');
    org.branch('main', org.commit({ '.github/mlcost.yml': '_extends: policies:base.yml\nthresholds:\n  maxMonthlyIncrease: 60\n' }));
    const policies = fake.repo('acme', 'policies');
    policies.branch('main', policies.commit({ 'base.yml': 'thresholds:\n  maxMonthlyIncrease: 1000000\n  maxMonthlyTotal:\n    amount: 100\n    severity: warning\n' }));
    const s = basic();
    await pr('opened', s.target);
    const run = lastRun();
    expect(run.conclusion).toBe('failure'); // 70.08 > 60 from the org file, which wins over policies
    expect(run.output.text ?? run.output.summary).toBeDefined();
    expect(fake.comments('acme/infra', 7)[0]?.body).toContain('maxMonthlyTotal');
  });

  it('the repository file extends another repository and wins over it', async () => {
    const shared = fake.repo('acme', 'shared');
    shared.branch('main', shared.commit({ '.mlcost.yml': 'thresholds:\n  maxMonthlyIncrease: 10\n  maxMonthlyIncreasePercent: 1\n' }));
    const s = scenario(fake, {
      base: { '.mlcost.yml': '_extends: shared\nthresholds:\n  maxMonthlyIncrease: 100\n', 'infra/main.tf': instanceTf('m5.large') },
      head: { 'infra/main.tf': instanceTf('m5.xlarge') },
    });
    await pr('opened', s.target);
    const body = fake.comments('acme/infra', 7)[0]?.body ?? '';
    expect(body).not.toContain('max-monthly-increase</code>:'); // 100 (ours) not breached
    expect(body).toContain('max-monthly-increase-percent');
    expect(lastRun().conclusion).toBe('failure');
  });

  it('an _extends that cannot be read is a config error on its line', async () => {
    const s = scenario(fake, {
      base: { '.mlcost.yml': '# defaults\n_extends: nowhere\n', 'infra/main.tf': instanceTf('m5.large') },
      head: { 'infra/main.tf': instanceTf('m5.xlarge') },
    });
    await pr('opened', s.target);
    expect(lastRun().conclusion).toBe('failure');
    expect(lastRun().output.summary).toContain('<code>.mlcost.yml:2:1</code>');
    expect(lastRun().output.summary).toContain('nowhere');
  });
});

describe('errors', () => {
  it('a GitHub 500 while fetching files ends as a failed check run that says what failed', async () => {
    const s = basic();
    fake.fail({ method: 'GET', path: /\/git\/trees\//, status: 500, message: 'Server Error' });
    await pr('opened', s.target);
    const run = lastRun();
    expect(run.conclusion).toBe('failure');
    expect(run.output.title).toBe('mlcost could not analyse this pull request');
    expect(run.output.summary).toContain(`GET /repos/acme/infra/git/trees/${s.headSha}`);
    expect(run.output.summary).toContain('HTTP 500');
    expect(run.output.summary).toContain('Re-run');
    expect(run.output.summary).not.toMatch(/ghs_|token/i);
    expect(fake.comments('acme/infra', 7)).toHaveLength(0);
  });

  it('a GraphQL error while reading blobs ends as a failed check run', async () => {
    const s = basic();
    fake.fail({ method: 'POST', path: /^\/graphql$/, status: 502, message: 'Bad Gateway' });
    await pr('opened', s.target);
    expect(lastRun().conclusion).toBe('failure');
    expect(lastRun().output.summary).toContain('POST /graphql');
  });

  it('a request that does not answer in time ends as a failed check run naming it', async () => {
    await setup({ requestTimeoutMs: 300 });
    const s = basic();
    fake.fail({ method: 'GET', path: /\/compare\//, status: 500, delayMs: 3000, times: 1 });
    // (nock cannot abort a reply in flight; test/app/standin.test.ts checks the abort on a real socket)
    await pr('opened', s.target);
    expect(lastRun().conclusion).toBe('failure');
    expect(lastRun().output.summary).toContain('did not answer within');
    expect(lastRun().output.summary).toContain('/compare/');
  });

  it('a comment that cannot be written leaves the analysis in the check run, with a note', async () => {
    const s = basic();
    fake.fail({ method: 'POST', path: /\/issues\/\d+\/comments$/, status: 403, message: 'Resource not accessible by integration' });
    await pr('opened', s.target);
    expect(lastRun().conclusion).toBe('success');
    expect(lastRun().output.summary).toContain('comment could not be written');
  });

  it('a check run that cannot be created is logged; nothing else is attempted', async () => {
    const s = basic();
    fake.fail({ method: 'POST', path: /\/check-runs$/, status: 403, message: 'Resource not accessible by integration' });
    await pr('opened', s.target);
    expect(fake.checkRuns).toHaveLength(0);
    expect(results[0]?.failure).toContain('403');
    expect(fake.comments('acme/infra', 7)).toHaveLength(0);
  });

  it('a broken file in one project still prices the others', async () => {
    const s = scenario(fake, {
      base: { 'a/main.tf': instanceTf('m5.large', 'a'), 'b/main.tf': instanceTf('m5.large', 'b') },
      head: { 'a/main.tf': 'resource "aws_instance" "a" {\n  instance_type = \n', 'b/main.tf': instanceTf('m5.xlarge', 'b') },
    });
    await pr('opened', s.target);
    const body = fake.comments('acme/infra', 7)[0]?.body ?? '';
    expect(body).toContain('Analysis errors');
    expect(body).toContain('<code>b</code>');
    expect(lastRun().annotations.some((a) => a['path'] === 'a/main.tf')).toBe(true);
  });
});

describe('limits', () => {
  it('a comment of more than 4,000 lines is cut to fit GitHub\u2019s 65,536 characters', async () => {
    const { loadRenderer } = await import('../../src/adapters/templates.js');
    const many = (type: string) =>
      `provider "aws" {\n  region = "us-east-1"\n}\n` +
      Array.from({ length: 2500 }, (_, i) => `resource "aws_instance" "vm_${i}" {\n  ami = "a"\n  instance_type = "${type}"\n}\n`).join('');
    const s = scenario(fake, { base: { 'big/main.tf': many('m5.large') }, head: { 'big/main.tf': many('m5.xlarge') } });
    await pr('opened', s.target);
    const body = fake.comments('acme/infra', 7)[0]?.body ?? '';
    expect(body.length).toBeLessThanOrEqual(65536);
    expect(body.length).toBeGreaterThan(30000);
    expect(body.startsWith(COMMENT_MARKER)).toBe(true);
    expect(body).toMatch(/left out|not shown|more/);
    const full = loadRenderer().renderComment(results[0]?.analysis?.diff as never, { maxLength: Infinity });
    expect(full.split('\n').length).toBeGreaterThan(4000);
    const run = lastRun();
    expect(run.output.summary?.length).toBeLessThanOrEqual(65535);
    expect(run.output.text?.length).toBeLessThanOrEqual(65535);
  });

  it('more than 50 annotations are sent in batches of 50, each update carrying title and summary', async () => {
    const head: Record<string, string> = {};
    for (let i = 0; i < 60; i++) head[`mods/m${String(i).padStart(3, '0')}/main.tf`] = `provider "aws" {\n  region = "us-east-1"\n}\nresource "aws_instance" "x" {\n  instance_type = "m5.large"\n  ami = \n}\n`;
    const s = scenario(fake, { base: { 'README.md': 'x' }, head });
    await pr('opened', s.target);
    const run = lastRun();
    const n = results[0]?.analysis?.check.annotations.length ?? 0;
    expect(n).toBeGreaterThan(100);
    expect(run.annotations).toHaveLength(n);
    expect(run.annotations.filter((a) => a['path'] === 'mods/m000/main.tf').length).toBeGreaterThan(0);
    const patches = run.updates.slice(1);
    expect(patches).toHaveLength(Math.ceil(n / 50));
    for (const p of patches) {
      const out = p['output'] as { title: string; summary: string; annotations: unknown[] };
      expect(out.title).toBeTruthy();
      expect(out.summary).toBeTruthy();
      expect(out.annotations.length).toBeLessThanOrEqual(50);
    }
    expect(patches[0]).toMatchObject({ status: 'completed', conclusion: 'success' });
  });

  it('requests per event do not grow with the number of changed files', async () => {
    const small = scenario(fake, { repo: 'small', base: { 'm/main.tf': instanceTf('m5.large') }, head: { 'm/main.tf': instanceTf('m5.xlarge') } });
    await pr('opened', small.target);
    const base: Record<string, string> = {};
    const head: Record<string, string> = {};
    for (let d = 0; d < 15; d++) {
      for (let f = 0; f < 10; f++) {
        // Distinct texts: no two files share a blob, so nothing is saved by deduplication.
        base[`mods/d${d}/f${f}.tf`] = instanceTf('m5.large', `vm_${d}_${f}`).replace(/provider[\s\S]*?\}\n\n/, '');
        head[`mods/d${d}/f${f}.tf`] = instanceTf('m5.xlarge', `vm_${d}_${f}`).replace(/provider[\s\S]*?\}\n\n/, '');
      }
    }
    const big = scenario(fake, { repo: 'big', base, head });
    await pr('opened', big.target);
    expect(results[1]?.requests).toBe(results[0]?.requests === 8 ? 7 : results[0]?.requests); // warm token on the second
    expect(lastRun().conclusion).toBe('success');
  });

  it('more than 300 changed files: the merge base\u2019s tree gives the complete change list', async () => {
    const base: Record<string, string> = { 'infra/main.tf': instanceTf('m5.large') };
    const head: Record<string, string> = { 'infra/main.tf': instanceTf('m5.xlarge') };
    for (let i = 0; i < 320; i++) head[`docs/p${i}.md`] = `page ${i}`;
    const s = scenario(fake, { base, head });
    await pr('opened', s.target);
    expect(fake.requests.filter((r) => /\/git\/trees\//.test(r.path))).toHaveLength(2);
    expect(lastRun().output.title).toMatch(/^\+\$70\.08\/month/);
  });

  it('a tree too large to list whole: directory listings through GraphQL instead', async () => {
    fake.treeEntryLimit = 3;
    const base: Record<string, string> = { 'infra/main.tf': instanceTf('m5.large'), 'infra/vars.tf': 'variable "x" {\n  default = 1\n}\n' };
    for (let i = 0; i < 10; i++) base[`other/f${i}.txt`] = 'x';
    const s = scenario(fake, { base, head: { 'infra/main.tf': instanceTf('m5.xlarge') } });
    await pr('opened', s.target);
    expect(fake.requests.some((r) => r.path === '/graphql' && /mlcostDirs/.test(String((r.body as { query: string }).query)))).toBe(true);
    expect(lastRun().output.title).toMatch(/^\+\$70\.08\/month/);
  });

  it('a blob GraphQL truncates is read through the REST blob API', async () => {
    fake.graphqlTextLimit = 50;
    const s = basic();
    await pr('opened', s.target);
    expect(fake.requests.some((r) => /\/git\/blobs\//.test(r.path))).toBe(true);
    expect(lastRun().output.title).toMatch(/^\+\$70\.08\/month/);
  });

  it('GitHub Enterprise Server without fullDatabaseId: falls back to databaseId', async () => {
    fake.noFullDatabaseId = true;
    const s = basic();
    await pr('opened', s.target);
    await pr('reopened', s.push({ 'infra/main.tf': instanceTf('m5.2xlarge') }));
    expect(fake.comments('acme/infra', 7)).toHaveLength(1);
  });
});

describe('re-runs', () => {
  it('check_run.rerequested creates a new check run for that head SHA', async () => {
    const s = basic();
    await pr('opened', s.target);
    await deliver('check_run', checkRunRerequested(s.target));
    expect(fake.checkRuns).toHaveLength(2);
    expect(lastRun()).toMatchObject({ head_sha: s.headSha, conclusion: 'success', status: 'completed' });
  });

  it('check_run.rerequested without listed pull requests finds the PR from the external id; other checks are ignored', async () => {
    const s = basic();
    await deliver('check_run', checkRunRerequested(s.target, { listPulls: false }));
    expect(lastRun()).toMatchObject({ head_sha: s.headSha, conclusion: 'success' });
    const n = fake.requests.length;
    await deliver('check_run', checkRunRerequested(s.target, { name: 'other-ci' }));
    expect(fake.requests).toHaveLength(n);
  });

  it('check_suite.rerequested re-runs, also for a fork PR the suite does not list', async () => {
    const s = basic();
    await pr('opened', s.target);
    await deliver('check_suite', checkSuiteRerequested(s.target));
    await deliver('check_suite', checkSuiteRerequested(s.target, { listPulls: false }));
    expect(fake.checkRuns).toHaveLength(3);
    expect(fake.checkRuns.every((r) => r.conclusion === 'success')).toBe(true);
  });

  it('a re-run whose pull request cannot be read still reports a failed check run', async () => {
    const s = basic();
    fake.fail({ method: 'GET', path: /\/pulls\/7$/, status: 500 });
    await deliver('check_run', checkRunRerequested(s.target));
    expect(lastRun()).toMatchObject({ conclusion: 'failure', status: 'completed', head_sha: s.headSha });
    expect(lastRun().output.summary).toContain('GET /repos/acme/infra/pulls/7');
  });
});

describe('start-up', () => {
  it('refuses to run in production without a webhook secret', async () => {
    const saved = { env: process.env['NODE_ENV'], secret: process.env['WEBHOOK_SECRET'] };
    process.env['NODE_ENV'] = 'production';
    delete process.env['WEBHOOK_SECRET'];
    try {
      const { createApp } = await import('../../src/app/probot.js');
      expect(() => createApp()({ log: { info: () => {} } } as never)).toThrow(/WEBHOOK_SECRET/);
    } finally {
      if (saved.env === undefined) delete process.env['NODE_ENV'];
      else process.env['NODE_ENV'] = saved.env;
      if (saved.secret !== undefined) process.env['WEBHOOK_SECRET'] = saved.secret;
    }
  });
});

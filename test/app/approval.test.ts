/**
 * Approving a breach through the App's webhooks, against the fake GitHub (every request checked
 * against GitHub's OpenAPI description): the approval label by an admin, by a reader, by a bot; the
 * check run's "Approve cost" button; a new push after an approval; removing the label.
 */
import { afterAll, afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import nock from 'nock';
import type { Probot } from 'probot';
import { FakeGitHub } from '../helpers/github-fake.js';
import { nockGitHub, testProbot } from '../helpers/github-nock.js';
import { checkRunRequestedAction, pullRequestEvent, pullRequestLabel } from '../helpers/github-payloads.js';
import type { Sender, Target } from '../helpers/github-payloads.js';
import { instanceTf, scenario } from '../helpers/github-scenario.js';
import { parseCommentMarker } from '../../src/report/view-model.js';

let fake: FakeGitHub;
let probot: Probot;
let delivery = 0;

beforeEach(async () => {
  fake = new FakeGitHub();
  nockGitHub(fake);
  probot = await testProbot();
});

afterEach(() => {
  nock.cleanAll();
  expect(fake.violations).toEqual([]);
  delete process.env['MLCOST_APPROVAL_KEY'];
});

afterAll(() => {
  nock.restore();
  nock.enableNetConnect();
});

async function deliver(name: string, payload: Record<string, unknown>): Promise<void> {
  await probot.receive({ id: `approval-${++delivery}`, name: name as 'pull_request', payload: payload as never });
}

const alice: Sender = { login: 'alice' };
const rita: Sender = { login: 'rita' };
const bot: Sender = { login: 'renovate[bot]', type: 'Bot' };

function lastRun() {
  const run = fake.checkRuns[fake.checkRuns.length - 1];
  if (!run) throw new Error('no check run');
  return run;
}

/** How the comment writes `@login` (no mention: GitHub does not notify). */
const at = (login: string) => `&#64;&#8205;${login}`;

function comment(): string {
  return fake.comments('acme/infra', 7)[0]?.body ?? '';
}

/** m5.large -> m5.xlarge: +$70.08 / month, over a $50 limit: the check fails. */
function breach(config = 'thresholds:\n  maxMonthlyIncrease: 50\n') {
  const s = scenario(fake, {
    base: { '.mlcost.yml': config, 'infra/main.tf': instanceTf('m5.large') },
    head: { 'infra/main.tf': instanceTf('m5.xlarge') },
  });
  fake.roles.set('acme/infra:alice', 'admin');
  fake.roles.set('acme/infra:mia', 'maintain');
  fake.roles.set('acme/infra:rita', 'read');
  return s;
}

const label = (t: Target, name: string, sender: Sender, action: 'labeled' | 'unlabeled' = 'labeled') => deliver('pull_request', pullRequestLabel(action, t, name, sender));

describe('approving a breach', () => {
  it('a failed check offers the "Approve cost" button and names the label in the comment', async () => {
    const s = breach();
    await deliver('pull_request', pullRequestEvent('opened', s.target));
    expect(lastRun().conclusion).toBe('failure');
    expect(lastRun().actions).toEqual([{ label: 'Approve cost', description: 'Approve this cost breach (maintainers)', identifier: 'approve-cost' }]);
    expect(comment()).toContain("approve a breach with the <code>mlcost:approved</code> label or the check's &quot;Approve cost&quot; button (maintainers)");
  });

  it('the label added by an admin: success, and who approved, when and for which head, in the comment and the check', async () => {
    const s = breach();
    await deliver('pull_request', pullRequestEvent('opened', s.target));
    const before = fake.requests.length;
    await label(s.target, 'mlcost:approved', alice);
    const run = lastRun();
    expect(run.conclusion).toBe('success');
    expect(run.head_sha).toBe(s.headSha);
    expect(run.output.summary).toMatch(new RegExp(`^✅ Approved by ${at('alice')} on \\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2} UTC for head ${s.headSha.slice(0, 7)}: the failed guardrails below do not block this pull request\\.`));
    expect(run.output.title).toMatch(/· approved$/);
    expect(run.actions).toEqual([]);
    expect(comment()).toContain(`✅ Approved by ${at('alice')} on`);
    expect(parseCommentMarker(comment())?.state).toMatchObject({ 'approved-by': 'alice', 'approved-head': s.headSha, 'approved-delta': '7008', 'approved-via': 'label' });
    // The role was read through the API.
    expect(fake.requests.slice(before).some((r) => r.method === 'GET' && r.path === '/repos/acme/infra/collaborators/alice/permission')).toBe(true);
  });

  it('the label added by a reader is ignored, and the comment says so and why', async () => {
    const s = breach();
    await deliver('pull_request', pullRequestEvent('opened', s.target));
    await label(s.target, 'mlcost:approved', rita);
    expect(lastRun().conclusion).toBe('failure');
    expect(comment()).toContain(`The <code>mlcost:approved</code> label added by ${at('rita')} was ignored: approving a breach needs write, maintain or admin permission on this repository, and ${at('rita')} has read.`);
    expect(parseCommentMarker(comment())?.state).toEqual({});
  });

  it('the minimum role comes from the config', async () => {
    const s = breach('thresholds:\n  maxMonthlyIncrease: 50\napproval:\n  minimumPermission: admin\n  label: cost-ok\n');
    await deliver('pull_request', pullRequestEvent('opened', s.target));
    const runs = fake.checkRuns.length;
    await label(s.target, 'mlcost:approved', { login: 'mia' }); // not the configured label: nothing runs
    expect(fake.checkRuns).toHaveLength(runs);
    await label(s.target, 'cost-ok', { login: 'mia' });
    expect(lastRun().conclusion).toBe('failure');
    expect(comment()).toContain(`needs admin permission on this repository, and ${at('mia')} has maintain`);
    await label(s.target, 'cost-ok', alice);
    expect(lastRun().conclusion).toBe('success');
  });

  it('a label by a bot, or another label, runs nothing', async () => {
    const s = breach();
    await deliver('pull_request', pullRequestEvent('opened', s.target));
    const runs = fake.checkRuns.length;
    const requests = fake.requests.length;
    await label(s.target, 'mlcost:approved', bot);
    expect(fake.requests.length).toBe(requests);
    await label(s.target, 'needs-review', alice);
    expect(fake.checkRuns).toHaveLength(runs);
    // The pull request and the configuration were read to know the approval label; nothing was written.
    expect(fake.requests.slice(requests).filter((r) => !/access_tokens/.test(r.path)).map((r) => `${r.method} ${r.path}`)).toEqual(['GET /repos/acme/infra/pulls/7', 'POST /graphql']);
  });

  it('the "Approve cost" button selected by a maintainer approves', async () => {
    const s = breach();
    await deliver('pull_request', pullRequestEvent('opened', s.target));
    await deliver('check_run', checkRunRequestedAction(s.target, 'approve-cost', { login: 'mia' }));
    expect(lastRun().conclusion).toBe('success');
    expect(lastRun().output.summary).toContain(`✅ Approved by ${at('mia')}`);
    expect(parseCommentMarker(comment())?.state['approved-via']).toBe('button');
  });

  it('the button selected by a reader is ignored, said in the comment', async () => {
    const s = breach();
    await deliver('pull_request', pullRequestEvent('opened', s.target));
    await deliver('check_run', checkRunRequestedAction(s.target, 'approve-cost', rita));
    expect(lastRun().conclusion).toBe('failure');
    expect(comment()).toContain(`The &quot;Approve cost&quot; button selected by ${at('rita')} was ignored`);
  });

  it('a new push that raises the cost needs a new approval; one that does not keeps it', async () => {
    const s = breach();
    await deliver('pull_request', pullRequestEvent('opened', s.target));
    await label(s.target, 'mlcost:approved', alice);
    expect(lastRun().conclusion).toBe('success');

    // Same cost (a comment only): the approval holds, still naming the head it was given for.
    const same = s.push({ 'infra/main.tf': `${instanceTf('m5.xlarge')}\n# tidy\n` });
    await deliver('pull_request', pullRequestEvent('synchronize', same));
    expect(lastRun().head_sha).toBe(same.headSha);
    expect(lastRun().conclusion).toBe('success');
    expect(lastRun().output.summary).toContain(`for head ${s.headSha.slice(0, 7)}`);

    // More cost: the approval lapses and the check fails again, saying why.
    const more = s.push({ 'infra/main.tf': instanceTf('m5.2xlarge') });
    await deliver('pull_request', pullRequestEvent('synchronize', more));
    expect(lastRun().conclusion).toBe('failure');
    expect(lastRun().actions).toHaveLength(1);
    expect(comment()).toContain('no longer applies: this push raises the monthly change from +&#36;70.08 to +&#36;210.24');
    expect(parseCommentMarker(comment())?.state).toEqual({});

    // Approving again covers the new figure.
    await label(more, 'mlcost:approved', alice);
    expect(lastRun().conclusion).toBe('success');
  });

  it('removing the label withdraws an approval given with it', async () => {
    const s = breach();
    await deliver('pull_request', pullRequestEvent('opened', s.target));
    await label(s.target, 'mlcost:approved', alice);
    await label(s.target, 'mlcost:approved', { login: 'mia' }, 'unlabeled');
    expect(lastRun().conclusion).toBe('failure');
    expect(comment()).toContain(`was withdrawn: ${at('mia')} removed the <code>mlcost:approved</code> label`);
  });

  it('with a key, an approval record edited by hand is not trusted', async () => {
    process.env['MLCOST_APPROVAL_KEY'] = 'test-approval-key';
    const s = breach();
    await deliver('pull_request', pullRequestEvent('opened', s.target));
    await label(s.target, 'mlcost:approved', alice);
    expect(parseCommentMarker(comment())?.state['approved-sig']).toMatch(/^[0-9a-f]{32}$/);
    // Someone with write access rewrites who approved.
    const c = fake.comments('acme/infra', 7)[0]!;
    c.body = c.body.replace('approved-by=alice', 'approved-by=bob');
    const t2 = s.push({ 'infra/main.tf': `${instanceTf('m5.xlarge')}\n# again\n` });
    await deliver('pull_request', pullRequestEvent('synchronize', t2));
    expect(lastRun().conclusion).toBe('failure');
    expect(comment()).toContain('not signed by mlcost');
  });
});

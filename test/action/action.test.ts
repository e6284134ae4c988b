/**
 * The Action's entry point with a fake event file: in-process against the nock'd GitHub, and once
 * as a real process (the way action.yml runs it) against the loopback stand-in.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import nock from 'nock';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { FakeGitHub } from '../helpers/github-fake.js';
import { nockGitHub, TestOctokit } from '../helpers/github-nock.js';
import { pullRequestEvent } from '../helpers/github-payloads.js';
import { instanceTf, scenario } from '../helpers/github-scenario.js';
import type { Scenario } from '../helpers/github-scenario.js';
import { startStandin } from '../helpers/github-standin.js';
import { runAction } from '../../src/action/main.js';
import { COMMENT_MARKER } from '../../src/report/view-model.js';

const ROOT = join(import.meta.dirname, '..', '..');
let tmp: string;
let fake: FakeGitHub;
let lines: string[];

beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'mlcost-action-'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

beforeEach(() => {
  fake = new FakeGitHub();
  fake.botLogin = 'github-actions[bot]';
  lines = [];
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

function envFor(s: Scenario, extra: Record<string, string> = {}, eventName = 'pull_request'): Record<string, string> {
  const dir = mkdtempSync(join(tmp, 'run-'));
  const eventPath = join(dir, 'event.json');
  writeFileSync(eventPath, JSON.stringify(pullRequestEvent('opened', s.target)));
  writeFileSync(join(dir, 'output'), '');
  writeFileSync(join(dir, 'summary'), '');
  return {
    GITHUB_EVENT_NAME: eventName,
    GITHUB_EVENT_PATH: eventPath,
    GITHUB_REPOSITORY: 'acme/infra',
    GITHUB_API_URL: 'https://api.github.com',
    GITHUB_OUTPUT: join(dir, 'output'),
    GITHUB_STEP_SUMMARY: join(dir, 'summary'),
    MLCOST_GITHUB_TOKEN: 'ghs_testtoken',
    ...extra,
  };
}

async function run(env: Record<string, string>): Promise<number> {
  return runAction({ out: (l) => lines.push(l), env, Octokit: TestOctokit });
}

function basic(config?: string): Scenario {
  return scenario(fake, {
    base: { 'infra/main.tf': instanceTf('m5.large'), 'other/main.tf': instanceTf('t3.micro', 'o'), ...(config ? { '.mlcost.yml': config } : {}) },
    head: { 'infra/main.tf': instanceTf('m5.xlarge'), 'other/main.tf': instanceTf('t3.small', 'o') },
  });
}

describe('the Action, in-process', () => {
  beforeEach(() => nockGitHub(fake));

  it('posts the same comment and check run as the App, and sets its outputs', async () => {
    const s = basic();
    const env = envFor(s);
    expect(await run(env)).toBe(0);
    const comment = fake.comments('acme/infra', 7)[0];
    expect(comment?.body.startsWith(`${COMMENT_MARKER} head=${s.headSha} -->`)).toBe(true);
    expect(comment?.user.login).toBe('github-actions[bot]');
    expect(fake.checkRuns[0]).toMatchObject({ name: 'mlcost', status: 'completed', conclusion: 'success', head_sha: s.headSha });
    // No token exchange: 7 requests.
    expect(fake.requests).toHaveLength(7);
    const outputs = readFileSync(env['GITHUB_OUTPUT'] as string, 'utf8');
    expect(outputs).toContain('conclusion=success');
    expect(outputs).toMatch(/monthly-delta=\d/);
    expect(outputs).toContain(`comment-id=${comment?.id}`);
    expect(readFileSync(env['GITHUB_STEP_SUMMARY'] as string, 'utf8')).toContain('mlcost');
    expect(lines.some((l) => /7 GitHub requests/.test(l))).toBe(true);
    // A second run updates the same comment.
    expect(await run(envFor(s))).toBe(0);
    expect(fake.comments('acme/infra', 7)).toHaveLength(1);
  });

  it('path limits the analysis to a directory', async () => {
    const s = basic();
    await run(envFor(s, { MLCOST_PATH: './infra/' }));
    const body = fake.comments('acme/infra', 7)[0]?.body ?? '';
    expect(body).toContain('<code>infra</code>');
    expect(body).not.toContain('<code>other</code>');
  });

  it('a breached threshold fails the step (unless fail-job is false); config input picks the file', async () => {
    const s = basic('thresholds:\n  maxMonthlyIncrease: 10\n');
    expect(await run(envFor(s))).toBe(1);
    expect(fake.checkRuns[0]?.conclusion).toBe('failure');
    expect(await run(envFor(s, { MLCOST_FAIL_JOB: 'false' }))).toBe(0);
    expect(await run(envFor(s, { MLCOST_CONFIG: 'ci/missing.yml' }))).toBe(1);
    expect(fake.checkRuns[2]?.output.title).toBe('mlcost: ci/missing.yml is invalid');
  });

  it('with a read-only token (a fork\u2019s pull request) it still analyses and writes the job summary', async () => {
    const s = basic();
    fake.fail({ method: 'POST', path: /\/check-runs$/, status: 403, message: 'Resource not accessible by integration' });
    fake.fail({ method: 'POST', path: /\/comments$/, status: 403, message: 'Resource not accessible by integration' });
    const env = envFor(s);
    expect(await run(env)).toBe(0);
    expect(readFileSync(env['GITHUB_STEP_SUMMARY'] as string, 'utf8')).toContain('+$70.08 / month');
    expect(lines.some((l) => l.startsWith('::error::') && l.includes('check run'))).toBe(true);
  });

  it('other events are skipped with a warning', async () => {
    const s = basic();
    expect(await run(envFor(s, {}, 'push'))).toBe(0);
    expect(lines.some((l) => l.startsWith('::warning::'))).toBe(true);
    expect(fake.requests).toHaveLength(0);
  });
});

describe('the Action as a process', () => {
  it('runs its entry point against the loopback stand-in', async () => {
    const s = basic();
    const standin = await startStandin(fake);
    try {
      const env = envFor(s, { GITHUB_API_URL: `${standin.origin}/api/v3`, PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '' });
      const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'src/action/main.ts'], { cwd: ROOT, env, timeout: 25_000 });
      expect(stdout).toMatch(/mlcost: success · comment created · 7 GitHub requests/);
      expect(fake.comments('acme/infra', 7)).toHaveLength(1);
      expect(fake.checkRuns[0]?.conclusion).toBe('success');
      expect(standin.rejected).toEqual([]);
    } finally {
      await standin.close();
    }
  }, 30_000);
});

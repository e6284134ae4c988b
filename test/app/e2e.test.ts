/**
 * End to end: the real server, started the way `npm start` starts it (Probot's `run` with the
 * standard environment, through tsx instead of the build), on loopback; GitHub is the loopback
 * stand-in (GHE_HOST / GHE_PROTOCOL), which verifies the App's JWT and the installation token.
 * A signed `pull_request.opened` delivery over HTTP must produce the comment and the check run;
 * deliveries with a bad or no signature are refused and change nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createHmac, generateKeyPairSync, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { FakeGitHub } from '../helpers/github-fake.js';
import { freePort, startStandin } from '../helpers/github-standin.js';
import type { Standin } from '../helpers/github-standin.js';
import { pullRequestEvent } from '../helpers/github-payloads.js';
import { instanceTf, scenario } from '../helpers/github-scenario.js';
import type { Scenario } from '../helpers/github-scenario.js';
import { COMMENT_MARKER } from '../../src/report/view-model.js';

const ROOT = join(import.meta.dirname, '..', '..');
const SECRET = 'e2e-webhook-secret';
const APP_ID = 31337;

let fake: FakeGitHub;
let standin: Standin;
let child: ChildProcess | undefined;
let port: number;
let logs = '';
let s: Scenario;

async function waitFor(check: () => boolean | Promise<boolean>, ms: number, what: string): Promise<void> {
  const until = Date.now() + ms;
  for (;;) {
    if (await check()) return;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}\n--- app output ---\n${logs}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function sign(body: string, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

async function post(body: string, headers: Record<string, string>): Promise<Response> {
  return fetch(`http://127.0.0.1:${port}/api/github/webhooks`, {
    method: 'POST',
    body,
    headers: { 'content-type': 'application/json', 'x-github-event': 'pull_request', 'x-github-delivery': randomUUID(), ...headers },
  });
}

beforeAll(async () => {
  fake = new FakeGitHub();
  s = scenario(fake, { base: { 'infra/main.tf': instanceTf('m5.large') }, head: { 'infra/main.tf': instanceTf('m5.xlarge') } });
  const keys = generateKeyPairSync('rsa', { modulusLength: 2048, privateKeyEncoding: { type: 'pkcs1', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } });
  standin = await startStandin(fake, { app: { id: APP_ID, publicKey: keys.publicKey } });
  port = await freePort();
  child = spawn(process.execPath, ['--import', 'tsx', 'node_modules/probot/bin/probot.js', 'run', './src/app/probot.ts'], {
    cwd: ROOT,
    env: {
      PATH: process.env['PATH'] ?? '',
      HOME: process.env['HOME'] ?? '',
      NODE_ENV: 'production',
      APP_ID: String(APP_ID),
      PRIVATE_KEY: keys.privateKey,
      WEBHOOK_SECRET: SECRET,
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      LOG_FORMAT: 'json',
      GHE_HOST: standin.host,
      GHE_PROTOCOL: 'http',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (d: Buffer) => (logs += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (logs += d.toString()));
  await waitFor(
    async () => {
      if (child?.exitCode !== null) throw new Error(`the app exited with ${child?.exitCode}\n${logs}`);
      try {
        return (await fetch(`http://127.0.0.1:${port}/ping`)).status === 200;
      } catch {
        return false;
      }
    },
    20_000,
    'the app to answer /ping',
  );
}, 30_000);

afterAll(async () => {
  if (child && child.exitCode === null) {
    const exited = new Promise((r) => child?.once('exit', r));
    child.kill('SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([exited, new Promise((r) => (timer = setTimeout(r, 3000)))]);
    clearTimeout(timer);
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
  await standin?.close();
});

describe('the App over HTTP', () => {
  it('answers /ping (the container health check)', async () => {
    const res = await fetch(`http://127.0.0.1:${port}/ping`);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('PONG');
  });

  it('a signed pull_request.opened delivery produces one comment and a completed check run', async () => {
    const body = JSON.stringify(pullRequestEvent('opened', { ...s.target, installationId: 99 }));
    const res = await post(body, { 'x-hub-signature-256': sign(body, SECRET) });
    expect(res.status).toBeLessThan(300);
    await waitFor(() => fake.checkRuns[0]?.status === 'completed' && fake.comments('acme/infra', 7).length === 1, 20_000, 'the check run to complete');

    const run = fake.checkRuns[0];
    expect(run).toMatchObject({ name: 'mlcost', head_sha: s.headSha, conclusion: 'success', external_id: 'mlcost:pr=7' });
    expect(run?.updates[0]).toMatchObject({ status: 'in_progress' });
    expect(run?.output.title).toMatch(/^\+\$70\.08\/month/);
    const comment = fake.comments('acme/infra', 7)[0];
    expect(comment?.body.startsWith(`${COMMENT_MARKER} head=${s.headSha} -->`)).toBe(true);
    expect(comment?.body).toContain('+$70.08 / month');
    expect(comment?.user.login).toBe('mlcost[bot]');
    // Authenticated as GitHub expects: the JWT for the token, the token for the rest.
    expect(standin.rejected).toEqual([]);
    expect(fake.requests[0]?.path).toBe('/app/installations/99/access_tokens');
    expect(fake.violations).toEqual([]);
    // The request count is logged with the delivery id.
    await waitFor(() => /"requests":8/.test(logs), 5000, 'the summary log line');
    expect(logs).toMatch(/"delivery":"[0-9a-f-]{36}"/);
  }, 30_000);

  it('refuses a delivery with a bad signature, and one without a signature, changing nothing', async () => {
    const before = { requests: fake.requests.length, runs: fake.checkRuns.length, body: fake.comments('acme/infra', 7)[0]?.body };
    const t2 = s.push({ 'infra/main.tf': instanceTf('m5.2xlarge') });
    const body = JSON.stringify(pullRequestEvent('synchronize', { ...t2, installationId: 99 }));
    const bad = await post(body, { 'x-hub-signature-256': sign(body, 'not-the-secret') });
    expect(bad.status).toBeGreaterThanOrEqual(400);
    expect(bad.status).toBeLessThan(500);
    const none = await post(body, {});
    expect(none.status).toBeGreaterThanOrEqual(400);
    expect(none.status).toBeLessThan(500);
    await new Promise((r) => setTimeout(r, 300));
    expect(fake.requests.length).toBe(before.requests);
    expect(fake.checkRuns.length).toBe(before.runs);
    expect(fake.comments('acme/infra', 7)[0]?.body).toBe(before.body);
  });
});

/**
 * Failures of the distributed App, on loopback with a Redis of the test's own (persistent, so it
 * can be restarted): a worker killed mid-job (SIGKILL) leaves its job to another worker and
 * nothing is lost; Redis restarted mid-run: the server answers 503 with Retry-After while it is
 * down and the queued jobs complete once it is back; a GitHub that keeps failing ends, after the
 * last try, in one failed check run that says what failed.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { FakeGitHub } from '../helpers/github-fake.js';
import { pullRequestEvent } from '../helpers/github-payloads.js';
import type { Target } from '../helpers/github-payloads.js';
import { instanceTf, scenario } from '../helpers/github-scenario.js';
import type { Scenario } from '../helpers/github-scenario.js';
import { startCluster, waitFor } from '../helpers/cluster.js';
import type { Cluster } from '../helpers/cluster.js';
import { startRedisServer } from '../helpers/redis.js';
import type { RedisProcess } from '../helpers/redis.js';
import { COMMENT_MARKER } from '../../src/report/view-model.js';

let fake: FakeGitHub;
let redis: RedisProcess;
let cluster: Cluster;

beforeAll(async () => {
  fake = new FakeGitHub();
  redis = await startRedisServer({ persist: true });
  cluster = await startCluster({
    fake,
    redisUrl: redis.url,
    prefix: 'mlcost',
    workers: 1,
    env: { MLCOST_JOB_ATTEMPTS: '3', MLCOST_GITHUB_RETRIES: '0' },
    workerEnv: { MLCOST_WORKER_CONCURRENCY: '4' },
  });
}, 60_000);

afterAll(async () => {
  await cluster?.stop();
  await redis?.destroy();
}, 30_000);

function runsOf(repo: string, number = 7) {
  return fake.checkRuns.filter((r) => r.repo === repo && r.external_id === `mlcost:pr=${number}`);
}

function pr(name: string): Scenario {
  return scenario(fake, { repo: name, base: { 'infra/main.tf': instanceTf('m5.large') }, head: { 'infra/main.tf': instanceTf('m5.xlarge') } });
}

function opened(t: Target): Record<string, unknown> {
  return pullRequestEvent('opened', t);
}

/** Exactly one completed check run on the head and one comment for it. */
function expectDone(s: Scenario): void {
  const runs = runsOf(s.repo.fullName);
  expect({ repo: s.repo.fullName, runs: runs.map((r) => `${r.head_sha.slice(0, 7)} ${r.status} ${r.conclusion}`) }).toEqual({ repo: s.repo.fullName, runs: [`${s.headSha.slice(0, 7)} completed success`] });
  const comments = fake.comments(s.repo.fullName, 7);
  expect(comments).toHaveLength(1);
  expect(comments[0]?.body.startsWith(`${COMMENT_MARKER} head=${s.headSha} -->`)).toBe(true);
}

const done = (s: Scenario) => runsOf(s.repo.fullName).some((r) => r.status === 'completed') && fake.comments(s.repo.fullName, 7).length === 1;

describe('failures', () => {
  it('a worker killed mid-job: another worker finishes the job, on the same check run; nothing is lost', async () => {
    const slow = pr('slow');
    const others = Array.from({ length: 8 }, (_, i) => pr(`k${i}`));
    cluster.standin.delay = (_m, p) => (p.startsWith('/api/v3/repos/acme/slow/compare') ? 3000 : p.startsWith('/api/v3/repos/acme/k') ? 300 : 0);
    try {
      const first = cluster.workers[0];
      if (!first) throw new Error('no worker');
      expect((await cluster.deliver('pull_request', opened(slow.target))).status).toBe(200);
      for (const s of others) expect((await cluster.deliver('pull_request', opened(s.target))).status).toBe(200);
      // The slow job is in flight on the only worker: its check run exists, GitHub holds its compare.
      await waitFor(() => cluster.standin.arrivals.some((a) => a.path.startsWith('/api/v3/repos/acme/slow/compare')), 15_000, 'the slow job to start', cluster.logs);
      expect(runsOf('acme/slow')).toHaveLength(1);
      const second = await cluster.addWorker();
      await cluster.kill(first, 'SIGKILL');
      expect(first.child.signalCode).toBe('SIGKILL');

      await waitFor(() => [slow, ...others].every(done), 40_000, 'every job after the kill', cluster.logs);
      await new Promise((r) => setTimeout(r, 300));
      for (const s of [slow, ...others]) expectDone(s);
      // The survivor finished the slow one, on the check run the killed worker had created.
      expect(second.output()).toMatch(/"repo":"acme\/slow"[^\n]*"msg":"mlcost: success · comment created/);
      expect(fake.violations).toEqual([]);
    } finally {
      cluster.standin.delay = () => 0;
    }
  }, 60_000);

  it('Redis restarted mid-run: 503 with Retry-After while it is down, and every queued job completes after', async () => {
    const queued = Array.from({ length: 6 }, (_, i) => pr(`rs${i}`));
    const late = pr('late');
    cluster.standin.delay = (_m, p) => (p.startsWith('/api/v3/repos/acme/rs') && p.includes('/compare/') ? 1500 : 0);
    try {
      for (const s of queued) expect((await cluster.deliver('pull_request', opened(s.target))).status).toBe(200);
      await waitFor(() => cluster.standin.arrivals.some((a) => a.path.startsWith('/api/v3/repos/acme/rs') && a.path.includes('/compare/')), 15_000, 'jobs in flight', cluster.logs);

      await redis.stop();
      const body = opened(late.target);
      let refused = await cluster.deliver('pull_request', body);
      for (let i = 0; i < 20 && refused.status !== 503; i++) {
        await new Promise((r) => setTimeout(r, 100));
        refused = await cluster.deliver('pull_request', body);
      }
      expect(refused.status).toBe(503);
      expect(Number(refused.retryAfter)).toBeGreaterThan(0);
      expect(refused.ms).toBeLessThan(1000);
      expect((await fetch(`http://127.0.0.1:${cluster.server.port}/readyz`)).status).toBe(503);
      expect((await fetch(`http://127.0.0.1:${cluster.server.port}/healthz`)).status).toBe(200);

      await redis.start();
      await waitFor(async () => (await fetch(`http://127.0.0.1:${cluster.server.port}/readyz`)).status === 200, 15_000, 'the server to reconnect', cluster.logs);
      // GitHub's redelivery keeps the delivery id: it was refused, so it is processed now.
      expect((await cluster.deliver('pull_request', body, { id: refused.id })).status).toBe(200);

      await waitFor(() => [...queued, late].every(done), 45_000, 'every job after the restart', cluster.logs);
      await new Promise((r) => setTimeout(r, 300));
      for (const s of [...queued, late]) expectDone(s);
      const metrics = await (await fetch(`http://127.0.0.1:${cluster.server.port}/metrics`)).text();
      expect(metrics).toMatch(/^mlcost_webhooks_failed_total\{reason="queue_unavailable"\} [1-9]/m);
    } finally {
      cluster.standin.delay = () => 0;
    }
  }, 80_000);

  it('GitHub failing on every try: retried with backoff, then one failed check run saying what failed', async () => {
    const s = pr('broken');
    fake.fail({ method: 'GET', path: /^\/repos\/acme\/broken\/git\/trees\//, status: 502, message: 'Bad Gateway' });
    expect((await cluster.deliver('pull_request', opened(s.target))).status).toBe(200);
    await waitFor(() => runsOf('acme/broken').some((r) => r.status === 'completed'), 20_000, 'the failed check run', cluster.logs);
    const runs = runsOf('acme/broken');
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ status: 'completed', conclusion: 'failure' });
    expect(runs[0]?.output.summary).toContain(`/repos/acme/broken/git/trees/${s.headSha}`);
    expect(runs[0]?.output.summary).toContain('HTTP 502');
    expect(fake.requests.filter((r) => r.path.startsWith('/repos/acme/broken/git/trees/'))).toHaveLength(3);
    expect(fake.comments('acme/broken', 7)).toHaveLength(0);
  }, 30_000);
});

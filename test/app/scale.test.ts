/**
 * The App for an organisation, on loopback with a real Redis: the webhook server (Probot's `run`)
 * only verifies, deduplicates and queues; four `mlcost worker` processes analyse; GitHub is the
 * stand-in. A burst of 200 deliveries for 50 pull requests (four pushes each, delivered out of
 * order) ends with exactly one comment and one completed check run on each pull request's newest
 * head; a delivery sent twice is processed once; metrics and logs say what happened.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Queue } from 'bullmq';
import { FakeGitHub } from '../helpers/github-fake.js';
import { pullRequestEvent } from '../helpers/github-payloads.js';
import type { Target } from '../helpers/github-payloads.js';
import { instanceTf, scenario } from '../helpers/github-scenario.js';
import { startCluster, waitFor } from '../helpers/cluster.js';
import type { Cluster } from '../helpers/cluster.js';
import { testRedis } from '../helpers/redis.js';
import type { TestRedis } from '../helpers/redis.js';
import { COMMENT_MARKER } from '../../src/report/view-model.js';

let fake: FakeGitHub;
let redis: TestRedis;
let cluster: Cluster;
let queue: Queue;

const TYPES = ['m5.large', 'm5.xlarge', 'm5.2xlarge', 'm5.4xlarge', 'c5.large'];

beforeAll(async () => {
  fake = new FakeGitHub();
  redis = await testRedis();
  cluster = await startCluster({ fake, redisUrl: redis.url, prefix: redis.prefix, workers: 4, workerEnv: { MLCOST_WORKER_CONCURRENCY: '4' } });
  queue = new Queue('analyses', { connection: { url: redis.url }, prefix: redis.prefix });
}, 60_000);

afterAll(async () => {
  await queue?.close();
  await cluster?.stop();
  await redis?.close();
}, 30_000);

/** A pull request's check runs (ours name the PR in their external id). */
function runsOf(repo: string, number: number) {
  return fake.checkRuns.filter((r) => r.repo === repo && r.external_id === `mlcost:pr=${number}`);
}

async function quiet(): Promise<boolean> {
  const c = await queue.getJobCounts('wait', 'active', 'delayed', 'prioritized');
  return Object.values(c).every((n) => n === 0) && fake.checkRuns.every((r) => r.status === 'completed');
}

/** A payload whose pull request was last updated `at`. */
function event(action: string, t: Target, at: number): Record<string, unknown> {
  const p = pullRequestEvent(action, t);
  (p['pull_request'] as Record<string, unknown>)['updated_at'] = new Date(at).toISOString().replace(/\.\d{3}Z$/, 'Z');
  return p;
}

function shuffled<T>(items: T[], seed: number): T[] {
  const out = [...items];
  let x = seed;
  for (let i = out.length - 1; i > 0; i--) {
    x = (x * 1103515245 + 12345) % 2147483648;
    const j = x % (i + 1);
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

async function inParallel<T, R>(items: T[], width: number, f: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await f(items[i] as T);
      }
    }),
  );
  return out;
}

describe('queue-backed workers on Redis', () => {
  it('200 deliveries for 50 pull requests in a burst: one comment and one completed check run on each newest head', async () => {
    const t0 = Date.parse('2025-06-01T12:00:00Z');
    const prs = Array.from({ length: 50 }, (_, i) => {
      const s = scenario(fake, { repo: `r${String(i).padStart(2, '0')}`, base: { 'infra/main.tf': instanceTf('m5.large') }, head: { 'infra/main.tf': instanceTf(TYPES[1] as string) } });
      const heads: Target[] = [s.target];
      for (let k = 2; k <= 4; k++) heads.push(s.push({ 'infra/main.tf': instanceTf(TYPES[k] as string) }));
      return { s, heads };
    });
    const deliveries = prs.flatMap(({ heads }) => heads.map((t, k) => ({ action: k === 0 ? 'opened' : 'synchronize', payload: event(k === 0 ? 'opened' : 'synchronize', t, t0 + k * 1000) })));
    expect(deliveries).toHaveLength(200);

    const acks = await inParallel(shuffled(deliveries, 7), 50, (d) => cluster.deliver('pull_request', d.payload));
    expect(acks.filter((a) => a.status >= 300)).toEqual([]);

    await waitFor(
      async () => prs.every(({ s, heads }) => runsOf(s.repo.fullName, 7).some((r) => r.head_sha === heads[3]?.headSha && r.status === 'completed')) && (await quiet()),
      60_000,
      'every pull request to be analysed at its newest head',
      cluster.logs,
    );
    for (const { s, heads } of prs) {
      const newest = heads[3]?.headSha as string;
      const onNewest = runsOf(s.repo.fullName, 7).filter((r) => r.head_sha === newest);
      expect({ repo: s.repo.fullName, runs: onNewest.length, status: onNewest[0]?.status, conclusion: onNewest[0]?.conclusion }).toEqual({ repo: s.repo.fullName, runs: 1, status: 'completed', conclusion: 'success' });
      const comments = fake.comments(s.repo.fullName, 7);
      expect({ repo: s.repo.fullName, comments: comments.length }).toEqual({ repo: s.repo.fullName, comments: 1 });
      expect(comments[0]?.body.startsWith(`${COMMENT_MARKER} head=${newest} -->`)).toBe(true);
      expect(comments[0]?.body).toContain('c5.large');
    }
    // Older heads were superseded: most never ran; none left a check run in progress.
    expect(fake.checkRuns.filter((r) => r.status !== 'completed')).toEqual([]);
    expect(fake.checkRuns.length).toBeLessThan(200);
    expect(fake.violations).toEqual([]);
    // Every worker took a share.
    const ran = cluster.workers.filter((w) => /"msg":"mlcost: (success|neutral|failure) · /.test(w.output()));
    expect(ran.length).toBeGreaterThanOrEqual(2);
  }, 90_000);

  it('the same delivery sent twice is processed once; the same head from another delivery while queued too', async () => {
    const s = scenario(fake, { repo: 'dup', base: { 'infra/main.tf': instanceTf('m5.large') }, head: { 'infra/main.tf': instanceTf('m5.xlarge') } });
    // Hold the analysis in flight for a moment.
    cluster.standin.delay = (_m, p) => (p.startsWith('/api/v3/repos/acme/dup/compare') ? 1500 : 0);
    try {
      const payload = event('opened', s.target, Date.parse('2025-06-01T12:00:00Z'));
      const first = await cluster.deliver('pull_request', payload);
      const again = await cluster.deliver('pull_request', payload, { id: first.id });
      const other = await cluster.deliver('pull_request', { ...payload, action: 'ready_for_review' });
      expect([first.status, again.status, other.status]).toEqual([200, 200, 200]);
      await waitFor(async () => runsOf('acme/dup', 7).some((r) => r.status === 'completed') && (await quiet()), 20_000, 'the analysis', cluster.logs);
      await new Promise((r) => setTimeout(r, 500));
      expect(runsOf('acme/dup', 7)).toHaveLength(1);
      expect(fake.comments('acme/dup', 7)).toHaveLength(1);
      const server = cluster.server.output();
      expect(server).toContain(`"delivery":"${first.id}"`);
      expect(server).toMatch(new RegExp(`"delivery":"${first.id}"[^\\n]*this delivery was received before`));
      expect(server).toMatch(new RegExp(`"delivery":"${other.id}"[^\\n]*already queued or running`));
    } finally {
      cluster.standin.delay = () => 0;
    }
  }, 30_000);

  it('metrics on the server and the workers; JSON logs carry delivery, repository, pull request and head', async () => {
    const server = await (await fetch(`http://127.0.0.1:${cluster.server.port}/metrics`)).text();
    expect(server).toMatch(/^mlcost_webhooks_received_total\{event="pull_request.opened"\} \d+/m);
    expect(server).toMatch(/^mlcost_webhooks_deduplicated_total\{reason="delivery"\} [1-9]/m);
    expect(server).toMatch(/^mlcost_webhooks_deduplicated_total\{reason="job"\} [1-9]/m);
    expect(server).toMatch(/^mlcost_queue_depth\{state="waiting"\} 0/m);
    expect(server).toMatch(/^mlcost_webhook_ack_seconds_bucket\{le="0.1",status="200"\} \d+/m);
    const workers = await Promise.all(cluster.workers.map(async (w) => (await fetch(`http://127.0.0.1:${w.port}/metrics`)).text()));
    const all = workers.join('\n');
    expect(all).toMatch(/^mlcost_analysis_duration_seconds_count\{kind="terraform",conclusion="success"\} [1-9]/m);
    expect(all).toMatch(/^mlcost_github_requests_total\{method="POST",status="201"\} [1-9]/m);
    expect(all).toMatch(/^mlcost_github_rate_limit_remaining\{installation="4242"\} 4999/m);
    expect(all).toMatch(/^mlcost_prices_age_seconds\{source="embedded"\} \d+/m);
    expect(all).toMatch(/^mlcost_queue_wait_seconds_count [1-9]/m);
    expect(all).toMatch(/^mlcost_jobs_total\{outcome="completed"\} [1-9]/m);

    const line = cluster.workers
      .flatMap((w) => w.output().split('\n'))
      .map((l) => {
        try {
          return JSON.parse(l) as Record<string, unknown>;
        } catch {
          return null;
        }
      })
      .find((l) => typeof l?.['msg'] === 'string' && /· \d+ GitHub requests/.test(l['msg'] as string));
    expect(line).toMatchObject({ repo: expect.stringMatching(/^acme\//), pr: 7, head: expect.stringMatching(/^[0-9a-f]{40}$/), delivery: expect.stringMatching(/^[0-9a-f-]{36}$/), requests: expect.any(Number) });

    for (const p of [cluster.server, ...cluster.workers]) {
      expect((await fetch(`http://127.0.0.1:${p.port}/healthz`)).status).toBe(200);
      expect((await fetch(`http://127.0.0.1:${p.port}/readyz`)).status).toBe(200);
    }
  });
});

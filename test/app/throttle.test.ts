/**
 * Octokit's throttling is shared by the workers through Redis (Probot's `redisConfig`): GitHub
 * asks integrations to leave a second between writes, and two worker processes analysing two pull
 * requests of one installation at once still do, together.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { FakeGitHub } from '../helpers/github-fake.js';
import { pullRequestEvent } from '../helpers/github-payloads.js';
import { instanceTf, scenario } from '../helpers/github-scenario.js';
import { startCluster, waitFor } from '../helpers/cluster.js';
import type { Cluster } from '../helpers/cluster.js';
import { testRedis } from '../helpers/redis.js';
import type { TestRedis } from '../helpers/redis.js';

let fake: FakeGitHub;
let redis: TestRedis;
let cluster: Cluster;
// Bottleneck's keys are named after the installation: one of this file's own.
const INSTALLATION = 700_000 + Math.floor(Math.random() * 99_999);

beforeAll(async () => {
  fake = new FakeGitHub();
  redis = await testRedis();
  cluster = await startCluster({
    fake,
    redisUrl: redis.url,
    prefix: redis.prefix,
    workers: 2,
    env: { MLCOST_GITHUB_THROTTLE: 'on' },
    workerEnv: { MLCOST_WORKER_CONCURRENCY: '1' },
    // The first pull request's tree answers slowly, so its worker is surely still busy when the
    // second arrives: the second worker must take it (a machine under load cannot make one worker
    // finish both in turn).
    delay: (_method, path) => (path.includes('/repos/acme/t1/git/trees') ? 4000 : 0),
  });
}, 60_000);

afterAll(async () => {
  await cluster?.stop();
  await redis?.close();
}, 30_000);

describe('throttling shared through Redis', () => {
  it('two workers on two pull requests of one installation leave a second between their writes, together', async () => {
    const prs = ['t1', 't2'].map((name) => scenario(fake, { repo: name, base: { 'main.tf': instanceTf('m5.large') }, head: { 'main.tf': instanceTf('m5.xlarge') } }));
    const since = Date.now();
    // The second while the first is running: the busy worker (one job at a time) leaves it to the other.
    for (const s of prs) {
      expect((await cluster.deliver('pull_request', pullRequestEvent('opened', { ...s.target, installationId: INSTALLATION }))).status).toBe(200);
      await waitFor(() => cluster.standin.arrivals.some((a) => a.path === `/api/v3/repos/${s.repo.fullName}/check-runs`), 20_000, 'the analysis to start', cluster.logs);
    }
    await waitFor(() => prs.every((s) => fake.checkRuns.some((r) => r.repo === s.repo.fullName && r.status === 'completed')), 45_000, 'both analyses', cluster.logs);

    // Both workers worked (else the spacing would prove nothing about sharing).
    expect(cluster.workers.filter((w) => /"msg":"mlcost: success · /.test(w.output())).map((w) => w.name)).toHaveLength(2);
    // GraphQL requests, which Octokit throttles as writes (one a second per installation), from
    // both workers: never two within a second. (Other writes also wait in Octokit's notifications
    // limiter after their slot, so their arrival times say less.)
    const graphql = cluster.standin.arrivals.filter((a) => a.at >= since && a.path === '/api/graphql');
    expect(graphql).toHaveLength(4);
    const gaps = graphql.slice(1).map((w, i) => w.at - (graphql[i]?.at ?? 0));
    // (Unshared, the two workers would send theirs within milliseconds of each other.)
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(500);
    // Every write of the two analyses took its turn: ten writes over at least seven seconds.
    const writes = cluster.standin.arrivals.filter((a) => a.at >= since && !/access_tokens$/.test(a.path) && a.method !== 'GET');
    expect(writes).toHaveLength(10);
    expect((writes[9]?.at ?? 0) - (writes[0]?.at ?? 0)).toBeGreaterThanOrEqual(7000);
  }, 60_000);
});

/**
 * The App for an organisation: the webhook server queueing to Redis and 1, 2 and 4 `mlcost worker`
 * processes, GitHub a loopback stand-in answering every request in 50 ms. For each case, a burst of
 * 500 signed deliveries (500 pull requests in 500 repositories, 50 in flight at a time, sent by a
 * process of their own as GitHub's deliverers are not on this machine): the time to acknowledge
 * each delivery (p50, p99, max) and analyses completed per second, from the first delivery to the
 * last completed check run. First the acknowledgement path alone (no worker running: the webhook
 * server has the machine), then each worker count with everything sharing the 2 cores. One JSON
 * line per case, then the throughputs side by side with the scaling ratios.
 *
 * Octokit's throttling is off (MLCOST_GITHUB_THROTTLE=off): its one-write-a-second spacing per
 * installation is GitHub etiquette, not work, and would make this a measure of the spacing.
 * Redis: REDIS_URL when set, else a redis-server of its own on a free port.
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { FakeGitHub } from '../test/helpers/github-fake.js';
import { pullRequestEvent } from '../test/helpers/github-payloads.js';
import { instanceTf, scenario } from '../test/helpers/github-scenario.js';
import type { Scenario } from '../test/helpers/github-scenario.js';
import { SECRET, sign, startCluster } from '../test/helpers/cluster.js';
import { startRedisServer } from '../test/helpers/redis.js';
import { exampleResponse } from '../test/helpers/openapi.js';

const DELIVERIES = Number(process.env['MLCOST_BENCH_DELIVERIES']) || 500;
const IN_FLIGHT = 50;
const GITHUB_MS = 50;
const CASES = (process.env['MLCOST_BENCH_WORKERS'] ?? '0,1,2,4').split(',').map(Number);
const PERCENTILES = (acks: number[]) => {
  const sorted = [...acks].sort((a, b) => a - b);
  const r = (n: number) => Math.round(n * 10) / 10;
  return { ackP50Ms: r(percentile(sorted, 50)), ackP99Ms: r(percentile(sorted, 99)), ackMaxMs: r(sorted[sorted.length - 1] ?? NaN) };
};

interface Burst {
  /** When the first delivery was sent (ms since the epoch). */
  startedAt: number;
  acks: number[];
  statuses: Record<string, number>;
  ms: number;
}

/** The deliverer (a process of its own): targets on stdin, one JSON line of results out. */
async function deliverer(port: number): Promise<void> {
  let input = '';
  for await (const chunk of process.stdin) input += String(chunk);
  const payloads = (JSON.parse(input) as Parameters<typeof pullRequestEvent>[1][]).map((t) => JSON.stringify(pullRequestEvent('opened', t)));
  const acks: number[] = [];
  const statuses: Record<string, number> = {};
  let next = 0;
  const startedAt = Date.now();
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: IN_FLIGHT }, async () => {
      while (next < payloads.length) {
        const body = payloads[next++] as string;
        const t = performance.now();
        const res = await fetch(`http://127.0.0.1:${port}/api/github/webhooks`, {
          method: 'POST',
          body,
          headers: { 'content-type': 'application/json', 'x-github-event': 'pull_request', 'x-github-delivery': randomUUID(), 'x-hub-signature-256': sign(body, SECRET) },
        });
        await res.arrayBuffer();
        acks.push(performance.now() - t);
        statuses[res.status] = (statuses[res.status] ?? 0) + 1;
      }
    }),
  );
  process.stdout.write(`${JSON.stringify({ startedAt, acks, statuses, ms: performance.now() - t0 } satisfies Burst)}\n`);
}

function burst(port: number, targets: unknown[]): Promise<Burst> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', new URL(import.meta.url).pathname, '--deliver', String(port)], { stdio: ['pipe', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve(JSON.parse(out) as Burst) : reject(new Error(`the deliverer exited with ${code}: ${out}`))));
    child.stdin.end(JSON.stringify(targets));
  });
}

if (process.argv[2] === '--deliver') {
  await deliverer(Number(process.argv[3]));
  process.exit(0);
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

const own = process.env['REDIS_URL'] ? null : await startRedisServer();
const redisUrl = process.env['REDIS_URL'] ?? (own?.url as string);
const results: { workers: number; perSecond: number }[] = [];
try {
  for (const workers of CASES) {
    const fake = new FakeGitHub();
    fake.validate = false;
    exampleResponse('check-run');
    const prs: Scenario[] = Array.from({ length: DELIVERIES }, (_, i) =>
      scenario(fake, { repo: `r${String(i).padStart(3, '0')}`, base: { 'infra/main.tf': instanceTf('m5.large') }, head: { 'infra/main.tf': instanceTf('m5.xlarge') } }),
    );
    const more = (tag: string, n: number) =>
      Array.from({ length: n }, (_, i) => scenario(fake, { repo: `${tag}${String(i).padStart(3, '0')}`, base: { 'infra/main.tf': instanceTf('m5.large') }, head: { 'infra/main.tf': instanceTf('m5.xlarge') } }));
    const warm = more('warm', IN_FLIGHT);
    const extra = workers === 0 ? [more('x', DELIVERIES), more('y', DELIVERIES)] : [];
    const prefix = `mlcost-bench-${workers}-${Date.now()}`;
    const cluster = await startCluster({ fake, redisUrl, prefix, workers, env: { LOG_LEVEL: process.env['LOG_LEVEL'] ?? 'warn' }, delay: () => GITHUB_MS });
    try {
      // Warm the server up (JIT, connections, Redis scripts): a server in production is warm.
      await burst(cluster.server.port, warm.map((s) => s.target));
      if (workers > 0) {
        const warmRepos = new Set(warm.map((s) => s.repo.fullName));
        while (fake.checkRuns.filter((r) => r.status === 'completed' && warmRepos.has(r.repo)).length < warm.length) await new Promise((r) => setTimeout(r, 20));
      }
      const requestsBefore = fake.requests.length;
      if (workers === 0) {
        // The acknowledgement path alone, three bursts (other work on this machine makes single runs noisy): the median run.
        const runs: Burst[] = [];
        for (let k = 0; k < 3; k++) runs.push(await burst(cluster.server.port, (k === 0 ? prs : extra[k - 1] ?? prs).map((s) => s.target)));
        for (const r of runs) if ((r.statuses['200'] ?? 0) !== DELIVERIES) throw new Error(`expected ${DELIVERIES} 200s, got ${JSON.stringify(r.statuses)}`);
        const stats = runs.map((r) => ({ ...PERCENTILES(r.acks), burstMs: Math.round(r.ms) })).sort((a, b) => a.ackP99Ms - b.ackP99Ms);
        const median = stats[1] as (typeof stats)[number];
        process.stdout.write(
          `${JSON.stringify({
            name: `app-scale: acknowledging a burst of ${DELIVERIES} deliveries (${IN_FLIGHT} in flight), webhook server alone (median of 3 bursts)`,
            workers,
            ...median,
            targetAckP99Ms: 100,
            deliveriesPerSecond: Math.round(DELIVERIES / (median.burstMs / 1000)),
            ackP99MsOfEachBurst: stats.map((x) => x.ackP99Ms),
          })}\n`,
        );
        continue;
      }
      const b = await burst(cluster.server.port, prs.map((s) => s.target));
      const acks = b.acks;
      const statuses = new Map(Object.entries(b.statuses).map(([k, v]) => [Number(k), v]));
      const burstMs = b.ms;
      const measured = new Set(prs.map((s) => s.repo.fullName));
      const completed = () => fake.checkRuns.filter((r) => r.status === 'completed' && measured.has(r.repo)).length;
      const deadline = Date.now() + 600_000;
      while (completed() < DELIVERIES) {
        if (Date.now() > deadline) throw new Error(`only ${completed()} of ${DELIVERIES} analyses completed in 10 minutes\n${cluster.logs()}`);
        await new Promise((r) => setTimeout(r, 20));
      }
      const seconds = (Date.now() - b.startedAt) / 1000;
      const comments = prs.filter((s) => fake.comments(s.repo.fullName, 7).length === 1).length;
      if (comments !== DELIVERIES || (statuses.get(200) ?? 0) !== DELIVERIES) {
        throw new Error(`expected ${DELIVERIES} comments and 200s, got ${comments} comments and ${JSON.stringify([...statuses])}`);
      }
      const perSecond = DELIVERIES / seconds;
      results.push({ workers, perSecond });
      process.stdout.write(
        `${JSON.stringify({
          name: `app-scale: ${DELIVERIES} deliveries (${IN_FLIGHT} in flight), ${workers} worker${workers === 1 ? '' : 's'} x 4 jobs, GitHub answering in ${GITHUB_MS} ms (acks with everything on 2 cores)`,
          workers,
          ...PERCENTILES(acks),
          burstMs: Math.round(burstMs),
          analysesPerSecond: Math.round(perSecond * 10) / 10,
          seconds: Math.round(seconds * 10) / 10,
          githubRequestsPerAnalysis: Math.round(((fake.requests.length - requestsBefore) / DELIVERIES) * 10) / 10,
        })}\n`,
      );
    } finally {
      await cluster.stop();
    }
  }
  const base = results.find((r) => r.workers === 1)?.perSecond;
  if (base) {
    process.stdout.write(
      `${JSON.stringify({
        name: 'app-scale: throughput side by side (analyses/s) and scaling against 1 worker',
        ...Object.fromEntries(results.map((r) => [`workers${r.workers}`, Math.round(r.perSecond * 10) / 10])),
        ...Object.fromEntries(results.filter((r) => r.workers !== 1).map((r) => [`ratio${r.workers}`, Math.round((r.perSecond / base) * 100) / 100])),
      })}\n`,
    );
  }
} finally {
  await own?.destroy();
}

/**
 * The queues: the in-process one (bounded, concurrency-limited, one job per pull request at a
 * time, supersede, retries) with a stub processor; the Redis one against a real Redis (its Lua
 * supersede agrees with the pure rule; deduplication by delivery and by pull request + head;
 * obsolete jobs removed); price snapshots shared through Redis between replicas.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Redis } from 'ioredis';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mkdtempSync, rmSync } from 'node:fs';
import type { HeadMark, JobData, PullJob } from '../../src/app/jobs.js';
import { formatMark, supersede } from '../../src/app/jobs.js';
import type { JobOutcome, JobRun } from '../../src/app/queue.js';
import { MemoryQueue, QueueUnavailableError, RedisQueue } from '../../src/app/queue.js';
import { producerConnection } from '../../src/app/probot.js';
import { appPrices } from '../../src/adapters/price-refresher.js';
import { redisSnapshots } from '../../src/app/shared-prices.js';
import { testRedis } from '../helpers/redis.js';
import type { TestRedis } from '../helpers/redis.js';
import { startAwsStandin, standinEnv, useEnv } from '../helpers/aws-standin.js';
import { standinCatalog } from '../fixtures/pricing/price-list-api/items.js';

const sha = (c: string) => c.repeat(40);

function pull(o: Partial<PullJob> = {}): PullJob {
  return { kind: 'pull', installationId: 1, delivery: `d-${Math.random()}`, event: 'pull_request.synchronize', owner: 'acme', repo: 'infra', number: 7, baseSha: sha('0'), headSha: sha('a'), at: 1000, ...o };
}

const tick = () => new Promise((r) => setTimeout(r, 5));

describe('the in-process queue', () => {
  it('runs at most `concurrency` jobs at once, one per pull request, in order', async () => {
    const q = new MemoryQueue({ concurrency: 2 });
    let running = 0;
    let peak = 0;
    const order: string[] = [];
    const perPr = new Map<number, number>();
    q.start(async (run) => {
      const n = (run.data as PullJob).number;
      running++;
      peak = Math.max(peak, running);
      perPr.set(n, (perPr.get(n) ?? 0) + 1);
      expect(perPr.get(n)).toBe(1);
      await new Promise((r) => setTimeout(r, 20));
      order.push(`${n}@${(run.data as PullJob).headSha[0]}`);
      perPr.set(n, (perPr.get(n) ?? 1) - 1);
      running--;
      return { status: 'completed' };
    });
    for (let n = 1; n <= 4; n++) await q.enqueue(pull({ number: n }));
    await q.enqueue(pull({ number: 1, headSha: sha('b'), at: 2000 }));
    await q.idle();
    expect(peak).toBe(2);
    expect(order).toHaveLength(5);
    expect(order.indexOf('1@b')).toBeGreaterThan(order.indexOf('1@a'));
  });

  it('deduplicates deliveries and, while queued or running, the same pull request and head', async () => {
    const q = new MemoryQueue();
    expect(await q.claimDelivery('x')).toBe(true);
    expect(await q.claimDelivery('x')).toBe(false);
    await q.releaseDelivery('x');
    expect(await q.claimDelivery('x')).toBe(true);
    expect((await q.enqueue(pull())).status).toBe('queued');
    expect((await q.enqueue(pull({ event: 'pull_request.ready_for_review' }))).status).toBe('duplicate');
    expect((await q.enqueue(pull({ baseChanged: true }))).status).toBe('queued');
    await q.close();
  });

  it('a newer head drops the waiting work of the older one; an older head arriving late is dropped', async () => {
    const q = new MemoryQueue();
    const seen: string[] = [];
    await q.enqueue(pull({ headSha: sha('a'), at: 1000 }));
    await q.enqueue(pull({ headSha: sha('b'), at: 2000 }));
    expect((await q.enqueue(pull({ headSha: sha('c'), at: 1500 }))).status).toBe('superseded');
    q.start(async (run) => {
      seen.push((run.data as PullJob).headSha[0] as string);
      return { status: 'completed' };
    });
    await q.idle();
    expect(seen).toEqual(['b']);
  });

  it('is bounded: a full queue refuses with a 503 to retry later', async () => {
    const q = new MemoryQueue({ capacity: 2 });
    await q.enqueue(pull({ number: 1 }));
    await q.enqueue(pull({ number: 2 }));
    expect(q.ready()).toBe(false);
    await expect(q.enqueue(pull({ number: 3 }))).rejects.toMatchObject({ status: 503, reason: 'queue_full' });
    await expect(q.enqueue(pull({ number: 3 }))).rejects.toBeInstanceOf(QueueUnavailableError);
    await q.close();
  });

  it('retries with backoff; the last try is marked last; the check run is kept across tries', async () => {
    const q = new MemoryQueue({ retry: { attempts: 3, backoffMs: 10, maxBackoffMs: 100 } });
    const tries: { attempt: number; last: boolean; checkRunId?: number; at: number }[] = [];
    q.start(async (run: JobRun): Promise<JobOutcome> => {
      tries.push({ attempt: run.attempt, last: run.lastAttempt, checkRunId: (run.data as PullJob).checkRunId, at: Date.now() });
      if (run.attempt === 1) await run.saveCheckRun(99);
      return run.lastAttempt ? { status: 'failed', reason: 'still down' } : { status: 'retry', reason: 'HTTP 502' };
    });
    await q.enqueue(pull());
    await tick();
    await q.idle();
    expect(tries.map((t) => [t.attempt, t.last, t.checkRunId])).toEqual([
      [1, false, undefined],
      [2, false, 99],
      [3, true, 99],
    ]);
    expect((tries[2]?.at ?? 0) - (tries[1]?.at ?? 0)).toBeGreaterThanOrEqual(18);
  });
});

describe('the Redis queue', () => {
  let redis: TestRedis;
  let conn: Redis;
  let q: RedisQueue;

  beforeAll(async () => {
    redis = await testRedis();
    conn = producerConnection(redis.url);
    await new Promise((r) => conn.once('ready', r));
    q = new RedisQueue(conn, { prefix: redis.prefix });
  });

  afterAll(async () => {
    await q?.close();
    conn?.disconnect();
    await redis?.close();
  });

  it('supersedes in Redis exactly as the pure rule says', async () => {
    const cases: [HeadMark | null, HeadMark][] = [
      [null, { head: sha('a'), at: 1000, seq: 1 }],
      [{ head: sha('a'), at: 1000, seq: 1 }, { head: sha('b'), at: 2000, seq: 2 }],
      [{ head: sha('b'), at: 2000, seq: 2 }, { head: sha('a'), at: 1000, seq: 3 }],
      [{ head: sha('a'), at: 1000, seq: 5 }, { head: sha('b'), at: 1000, seq: 6 }],
      [{ head: sha('a'), at: 1000, seq: 6 }, { head: sha('b'), at: 1000, seq: 5 }],
      [{ head: sha('a'), at: 1717243200000, seq: 1 }, { head: sha('a'), at: 1717243100000, seq: 2 }],
    ];
    for (const [i, [before, incoming]] of cases.entries()) {
      const job: PullJob = { ...pull({ headSha: incoming.head, at: incoming.at }), repo: `case-${i}`, number: 1 };
      if (before) await conn.set(`${redis.prefix}:head:acme/case-${i}#1`, formatMark(before));
      // The queue numbers arrivals with INCR: make it give incoming.seq.
      await conn.set(`${redis.prefix}:seq`, String(incoming.seq - 1));
      const r = await q.enqueue(job);
      const expected = supersede(before, incoming);
      expect({ i, status: r.status }).toEqual({ i, status: expected.accept ? 'queued' : 'superseded' });
      expect(await q.newestHead(`acme/case-${i}#1`)).toEqual(expected.accept ? expected.next : before);
    }
  });

  it('a delivery id is claimed once; a pull request and head queued once while waiting; an obsolete head removed', async () => {
    expect(await q.claimDelivery('delivery-1')).toBe(true);
    expect(await q.claimDelivery('delivery-1')).toBe(false);
    const a = pull({ repo: 'dedupe', headSha: sha('1'), at: 1000 });
    const first = await q.enqueue(a);
    expect(first.status).toBe('queued');
    expect((await q.enqueue({ ...a, delivery: 'other', event: 'pull_request.ready_for_review' })).status).toBe('duplicate');
    expect(await q.queue.getJobState(first.jobId)).toBe('waiting');
    const b = await q.enqueue(pull({ repo: 'dedupe', headSha: sha('2'), at: 2000 }));
    expect(b.status).toBe('queued');
    expect(await q.queue.getJob(first.jobId)).toBeUndefined();
    expect(await q.depth()).toMatchObject({ waiting: expect.any(Number), active: 0 });
  });

  it('answers 503 at once when Redis is not reachable', async () => {
    const down = producerConnection('redis://127.0.0.1:1');
    const dq = new RedisQueue(down, { prefix: redis.prefix });
    try {
      expect(dq.ready()).toBe(false);
      const t0 = Date.now();
      await expect(dq.claimDelivery('x')).rejects.toMatchObject({ status: 503, reason: 'queue_unavailable' });
      await expect(dq.enqueue(pull() as JobData)).rejects.toBeInstanceOf(QueueUnavailableError);
      expect(Date.now() - t0).toBeLessThan(500);
    } finally {
      await dq.close();
      down.disconnect();
    }
  });

  it('shares refreshed price snapshots: one replica refreshes from AWS, the others take its snapshot', async () => {
    const aws = await startAwsStandin({ products: standinCatalog() });
    const restore = useEnv(standinEnv(aws.url));
    const dir = mkdtempSync(join(tmpdir(), 'mlcost-shared-'));
    const log = { info: () => {}, warn: () => {}, error: () => {} };
    const env = (n: number) => ({ MLCOST_PRICES_REFRESH: '24h', MLCOST_PRICES_CACHE: join(dir, `cache-${n}.json`), MLCOST_PRICES_REGIONS: 'us-east-1', MLCOST_PRICES_SERVICES: 'AmazonEC2' });
    const shared = redisSnapshots(conn, redis.prefix);
    const a = appPrices(env(1), log, shared);
    try {
      expect(await a.refresher?.refreshNow()).toBe(true);
      expect(a.current().meta.source).toBe('live');
      const fetched = aws.requests.length;
      expect(fetched).toBeGreaterThan(0);
      expect(await shared.publishedAt()).toBeGreaterThan(Date.now() - 60_000);
      const b = appPrices(env(2), log, shared);
      try {
        expect(await b.refresher?.refreshNow()).toBe(true);
        expect(b.current().meta).toEqual(a.current().meta);
        expect(aws.requests.length).toBe(fetched);
        // Fresh: nothing to do on the next look (not a failure).
        expect(await b.refresher?.refreshNow()).toBe(false);
        expect(b.refresher?.status().lastError).toBeUndefined();
      } finally {
        b.refresher?.stop();
      }
    } finally {
      a.refresher?.stop();
      restore();
      await aws.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 30_000);
});

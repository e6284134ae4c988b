/**
 * Where the webhook server puts work, and how it is taken out.
 *
 * - `MemoryQueue` (no REDIS_URL, the default): a bounded in-process queue with a concurrency
 *   limit; the webhook server analyses pull requests itself, one pull request at a time.
 * - `RedisQueue` (REDIS_URL set): the webhook server only verifies, deduplicates and enqueues to a
 *   BullMQ queue; `mlcost worker` processes (src/app/worker.ts) take the jobs.
 *
 * Both apply the same rules (src/app/jobs.ts): a delivery id is processed once (24 h); a pull
 * request at a head already queued or running is not queued again; a newer head of a pull request
 * makes the queued work of older heads obsolete, and a delivery for an older head than one already
 * seen is dropped; a job runs with its pull request locked (no two at once); transient failures
 * are retried with exponential backoff, and the last try ends in a failed check run.
 */
import type { Redis } from 'ioredis';
import { Queue } from 'bullmq';
import type { JobData, HeadMark, RetryPolicy } from './jobs.js';
import { DEFAULT_RETRY, backoffDelay, dedupeKey, jobIdOf, markOf, parseMark, prKey, supersede } from './jobs.js';
import type { QueueDepth } from './metrics.js';

/** What the processor is handed for one try of a job. */
export interface JobRun {
  id: string;
  data: JobData;
  /** This try, from 1. */
  attempt: number;
  lastAttempt: boolean;
  /** Tries that ended with the worker process gone (killed, out of memory). */
  crashes: number;
  /** When the job was queued (ms since the epoch). */
  queuedAt: number;
  /** Keeps the check run with the job, so that a retry (on any worker) completes the same one. */
  saveCheckRun(id: number): Promise<void>;
  /** Queues more work (a check suite's re-run fans out to its pull requests). */
  enqueue(job: JobData): Promise<void>;
  /** The newest head seen for the job's pull request (null: none recorded). */
  newestHead(): Promise<HeadMark | null>;
}

export type JobOutcome =
  | { status: 'completed' | 'superseded' }
  /** The analysis could not be done; the check run says why (or could not even be created). */
  | { status: 'failed'; reason: string }
  /** A transient failure; try again later (ignored on the last try: the processor fails instead). */
  | { status: 'retry'; reason: string };

export type Processor = (run: JobRun) => Promise<JobOutcome>;

export interface EnqueueResult {
  status: 'queued' | 'duplicate' | 'superseded';
  jobId: string;
  /** The in-process queue: resolves when the job (or the one it duplicates) has finished. */
  settled?: Promise<void>;
}

export interface JobQueue {
  readonly mode: 'embedded' | 'redis';
  /** Records a delivery id; false when it was seen in the last 24 hours. */
  claimDelivery(id: string): Promise<boolean>;
  /** Forgets a delivery id (its enqueue failed: a redelivery must be processed). */
  releaseDelivery(id: string): Promise<void>;
  enqueue(job: JobData): Promise<EnqueueResult>;
  depth(): Promise<QueueDepth>;
  /** Can it take work now? */
  ready(): boolean;
  close(): Promise<void>;
}

/** The queue cannot take the delivery: answered 503 with Retry-After. */
export class QueueUnavailableError extends Error {
  readonly status = 503;
  constructor(
    readonly reason: 'queue_unavailable' | 'queue_full',
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(message);
    this.name = 'QueueUnavailableError';
  }
}

export const DELIVERY_TTL_S = 24 * 3600;
/** A job that stopped its worker this many times is failed instead of tried again. */
export const MAX_CRASHES = 2;

/** Which jobs must not run at the same time: those of one pull request (a suite's, of one repository). */
export function serialKey(job: JobData): string {
  return job.kind === 'suite' ? `${job.owner}/${job.repo}~suite`.toLowerCase() : prKey(job);
}

// ---------------------------------------------------------------------------------------------
// In-process

export interface MemoryQueueOptions {
  /** Jobs waiting (retries included) before deliveries are refused with 503 (default 1000). */
  capacity?: number;
  /** Jobs running at once (default 4). */
  concurrency?: number;
  retry?: RetryPolicy;
  now?: () => number;
  /** Called when a job finishes, for logs and metrics (outcome after the last try). */
  onFinished?: (run: JobRun, outcome: JobOutcome | { status: 'error'; error: unknown }) => void;
}

interface Entry {
  id: string;
  data: JobData;
  key: string;
  serial: string;
  attempt: number;
  queuedAt: number;
  settled: Promise<void>;
  resolve: () => void;
  removed?: boolean;
}

export class MemoryQueue implements JobQueue {
  readonly mode = 'embedded' as const;
  private readonly capacity: number;
  private readonly concurrency: number;
  private readonly retry: RetryPolicy;
  private readonly now: () => number;
  private readonly waiting: Entry[] = [];
  private readonly delayed = new Map<Entry, ReturnType<typeof setTimeout>>();
  private readonly running = new Set<Entry>();
  private readonly busy = new Set<string>();
  private readonly inFlight = new Map<string, Entry>();
  private readonly marks = new Map<string, HeadMark>();
  private readonly deliveries = new Map<string, number>();
  private seq = 0;
  private closed = false;
  private processor: Processor | undefined;
  private idleWaiters: (() => void)[] = [];

  constructor(private readonly options: MemoryQueueOptions = {}) {
    this.capacity = options.capacity ?? 1000;
    this.concurrency = Math.max(1, options.concurrency ?? 4);
    this.retry = options.retry ?? DEFAULT_RETRY;
    this.now = options.now ?? Date.now;
  }

  /** Starts taking jobs with this processor. */
  start(processor: Processor): void {
    this.processor = processor;
    this.pump();
  }

  async claimDelivery(id: string): Promise<boolean> {
    const now = this.now();
    const until = this.deliveries.get(id);
    if (until !== undefined && until > now) return false;
    this.deliveries.set(id, now + DELIVERY_TTL_S * 1000);
    if (this.deliveries.size > 100_000) {
      for (const [k, t] of this.deliveries) if (t <= now || this.deliveries.size > 90_000) this.deliveries.delete(k);
    }
    return true;
  }

  async releaseDelivery(id: string): Promise<void> {
    this.deliveries.delete(id);
  }

  async enqueue(data: JobData): Promise<EnqueueResult> {
    if (this.closed) throw new QueueUnavailableError('queue_unavailable', 'mlcost is shutting down', 5);
    const id = jobIdOf(data);
    const key = dedupeKey(data);
    const existing = this.inFlight.get(key);
    if (existing) return { status: 'duplicate', jobId: existing.id, settled: existing.settled };
    if (this.waiting.length + this.delayed.size >= this.capacity) {
      throw new QueueUnavailableError('queue_full', `the queue is full (${this.capacity} jobs waiting)`, 30);
    }
    let job = data;
    if (data.kind === 'pull') {
      const pk = prKey(data);
      const mark = markOf(data, ++this.seq);
      const decision = supersede(this.marks.get(pk) ?? null, mark);
      if (!decision.accept) return { status: 'superseded', jobId: id };
      this.marks.set(pk, decision.next);
      job = { ...data, seq: mark.seq };
      if (decision.obsolete) this.dropObsolete(pk, decision.obsolete);
    }
    let resolve: () => void = () => {};
    const settled = new Promise<void>((r) => (resolve = r));
    const entry: Entry = { id, data: job, key, serial: serialKey(job), attempt: 0, queuedAt: this.now(), settled, resolve };
    this.inFlight.set(key, entry);
    this.waiting.push(entry);
    this.pump();
    return { status: 'queued', jobId: id, settled };
  }

  /** Queued work of an older head that has not started (no check run yet) is dropped. */
  private dropObsolete(pk: string, head: string): void {
    for (const e of [...this.waiting, ...this.delayed.keys()]) {
      if (e.data.kind !== 'pull' || prKey(e.data) !== pk || e.data.headSha.toLowerCase() !== head || e.data.checkRunId !== undefined) continue;
      const timer = this.delayed.get(e);
      if (timer) {
        clearTimeout(timer);
        this.delayed.delete(e);
      }
      const i = this.waiting.indexOf(e);
      if (i >= 0) this.waiting.splice(i, 1);
      e.removed = true;
      this.finish(e);
    }
  }

  async depth(): Promise<QueueDepth> {
    return { waiting: this.waiting.length, active: this.running.size, delayed: this.delayed.size, failed: 0 };
  }

  ready(): boolean {
    return !this.closed && this.waiting.length + this.delayed.size < this.capacity;
  }

  /** Resolves when nothing is waiting, delayed or running (tests, shutdown). */
  idle(): Promise<void> {
    if (this.waiting.length + this.delayed.size + this.running.size === 0) return Promise.resolve();
    return new Promise((r) => this.idleWaiters.push(r));
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const [e, t] of this.delayed) {
      clearTimeout(t);
      this.finish(e);
    }
    this.delayed.clear();
    for (const e of this.waiting.splice(0)) this.finish(e);
    if (this.running.size) await new Promise<void>((r) => this.idleWaiters.push(r));
  }

  private finish(e: Entry): void {
    if (this.inFlight.get(e.key) === e) this.inFlight.delete(e.key);
    e.resolve();
  }

  private pump(): void {
    if (!this.processor || this.closed) return;
    while (this.running.size < this.concurrency) {
      const i = this.waiting.findIndex((e) => !this.busy.has(e.serial));
      if (i < 0) break;
      const [e] = this.waiting.splice(i, 1) as [Entry];
      this.running.add(e);
      this.busy.add(e.serial);
      void this.run(e);
    }
    if (this.waiting.length + this.delayed.size + this.running.size === 0) {
      for (const w of this.idleWaiters.splice(0)) w();
    }
  }

  private async run(e: Entry): Promise<void> {
    e.attempt++;
    const run: JobRun = {
      id: e.id,
      data: e.data,
      attempt: e.attempt,
      lastAttempt: e.attempt >= this.retry.attempts,
      crashes: 0,
      queuedAt: e.queuedAt,
      saveCheckRun: async (checkRunId) => {
        if (e.data.kind !== 'suite') e.data = { ...e.data, checkRunId };
      },
      enqueue: async (job) => {
        await this.enqueue(job);
      },
      newestHead: async () => (e.data.kind === 'pull' ? (this.marks.get(prKey(e.data)) ?? null) : null),
    };
    let outcome: JobOutcome | { status: 'error'; error: unknown };
    try {
      outcome = await (this.processor as Processor)(run);
    } catch (error) {
      outcome = { status: 'error', error };
    }
    this.running.delete(e);
    this.busy.delete(e.serial);
    if (outcome.status === 'retry' && !run.lastAttempt && !this.closed) {
      const timer = setTimeout(() => {
        this.delayed.delete(e);
        if (e.removed) return;
        this.waiting.push(e);
        this.pump();
      }, backoffDelay(this.retry, e.attempt));
      timer.unref?.();
      this.delayed.set(e, timer);
    } else {
      this.finish(e);
    }
    this.options.onFinished?.(run, outcome);
    this.pump();
  }
}

// ---------------------------------------------------------------------------------------------
// Redis (BullMQ)

export interface RedisQueueOptions {
  /** Key prefix of every key mlcost and BullMQ write (default `mlcost`). */
  prefix?: string;
  /** BullMQ queue name (default `analyses`): keys `<prefix>:<name>:wait`, ... */
  name?: string;
  retry?: RetryPolicy;
  /** Completed jobs are kept this long (default 1 day) and failed ones 7 days, for inspection. */
  keepCompletedS?: number;
  keepFailedS?: number;
}

export const QUEUE_NAME = 'analyses';
export const JOB_NAME = 'analyse';

/** Keys of mlcost's own (BullMQ's are `<prefix>:<queue>:...`). */
export function redisKeys(prefix: string): {
  delivery(id: string): string;
  head(pk: string): string;
  seq: string;
  lock(serial: string): string;
  starts(jobId: string): string;
} {
  return {
    delivery: (id) => `${prefix}:delivery:${id}`,
    head: (pk) => `${prefix}:head:${pk}`,
    seq: `${prefix}:seq`,
    lock: (serial) => `${prefix}:lock:${serial}`,
    starts: (jobId) => `${prefix}:starts:${jobId}`,
  };
}

/**
 * `supersede()` (src/app/jobs.ts) as one atomic step in Redis: number the arrival (INCR of
 * KEYS[2]), compare the incoming head with the newest recorded for the pull request (KEYS[1]) and
 * record it when it is newer. Returns `{'accept', obsoleteHead or '', seq}` or
 * `{'stale', newest, seq}`. The marks expire after 30 days.
 */
const SUPERSEDE_LUA = `
local seq = redis.call('INCR', KEYS[2])
local cur = redis.call('GET', KEYS[1])
local head, at = ARGV[1], tonumber(ARGV[2])
local mark = ARGV[1] .. ' ' .. ARGV[2] .. ' ' .. seq
if not cur then
  redis.call('SET', KEYS[1], mark, 'EX', 2592000)
  return {'accept', '', seq}
end
local ch, cat, cseq = string.match(cur, '^(%x+) (%-?%d+) (%d+)$')
if not ch then
  redis.call('SET', KEYS[1], mark, 'EX', 2592000)
  return {'accept', '', seq}
end
cat = tonumber(cat)
cseq = tonumber(cseq)
local newer = (at > cat) or (at == cat and seq > cseq)
if ch == head then
  if newer then redis.call('SET', KEYS[1], mark, 'EX', 2592000) end
  return {'accept', '', seq}
end
if newer then
  redis.call('SET', KEYS[1], mark, 'EX', 2592000)
  return {'accept', ch, seq}
end
return {'stale', cur, seq}
`;

/** Takes a lock for `owner`, or keeps it when `owner` holds it already (a retried job). */
export const LOCK_LUA = `
local cur = redis.call('GET', KEYS[1])
if (not cur) or cur == ARGV[1] then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  return 1
end
return 0
`;

/** Releases (or, with a TTL, extends) a lock only when `owner` holds it. */
export const UNLOCK_LUA = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  if ARGV[2] ~= '' then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
  return redis.call('DEL', KEYS[1])
end
return 0
`;

export class RedisQueue implements JobQueue {
  readonly mode = 'redis' as const;
  readonly queue: Queue;
  readonly keys: ReturnType<typeof redisKeys>;
  readonly prefix: string;
  readonly name: string;
  private readonly retry: RetryPolicy;
  private readonly keepCompletedS: number;
  private readonly keepFailedS: number;

  /**
   * `redis` is the producer's connection. Give it `enableOfflineQueue: false` and a short
   * `commandTimeout`: while Redis is away a delivery is refused at once (503) instead of waiting.
   */
  constructor(
    readonly redis: Redis,
    options: RedisQueueOptions = {},
  ) {
    this.prefix = options.prefix ?? 'mlcost';
    this.name = options.name ?? QUEUE_NAME;
    this.keys = redisKeys(this.prefix);
    this.retry = options.retry ?? DEFAULT_RETRY;
    this.keepCompletedS = options.keepCompletedS ?? 24 * 3600;
    this.keepFailedS = options.keepFailedS ?? 7 * 24 * 3600;
    this.queue = new Queue(this.name, { connection: redis, prefix: this.prefix });
    // Errors surface on the calls themselves (503); the emitter must not throw unhandled.
    this.queue.on('error', () => {});
  }

  ready(): boolean {
    return this.redis.status === 'ready';
  }

  private unavailable(e: unknown): QueueUnavailableError {
    return new QueueUnavailableError('queue_unavailable', `Redis is not reachable: ${(e as Error).message ?? String(e)}`, 10);
  }

  private async call<T>(f: () => Promise<T>): Promise<T> {
    if (!this.ready()) throw this.unavailable(new Error(`connection ${this.redis.status}`));
    try {
      return await f();
    } catch (e) {
      throw e instanceof QueueUnavailableError ? e : this.unavailable(e);
    }
  }

  async claimDelivery(id: string): Promise<boolean> {
    const r = await this.call(() => this.redis.set(this.keys.delivery(id), '1', 'EX', DELIVERY_TTL_S, 'NX'));
    return r === 'OK';
  }

  async releaseDelivery(id: string): Promise<void> {
    await this.call(() => this.redis.del(this.keys.delivery(id)));
  }

  /** The newest head recorded for a pull request. */
  async newestHead(pk: string): Promise<HeadMark | null> {
    return parseMark(await this.redis.get(this.keys.head(pk)));
  }

  async enqueue(data: JobData): Promise<EnqueueResult> {
    return this.call(async () => {
      const jobId = jobIdOf(data);
      let job = data;
      let obsolete: string | null = null;
      if (data.kind === 'pull') {
        const pk = prKey(data);
        const mark = markOf(data, 0);
        const [verdict, other, seq] = (await this.redis.eval(SUPERSEDE_LUA, 2, this.keys.head(pk), this.keys.seq, mark.head, String(Math.trunc(mark.at)))) as [string, string, number];
        if (verdict !== 'accept') return { status: 'superseded' as const, jobId };
        obsolete = other || null;
        job = { ...data, seq };
      }
      const added = await this.queue.add(JOB_NAME, job, {
        jobId,
        deduplication: { id: dedupeKey(job) },
        attempts: this.retry.attempts,
        backoff: { type: 'mlcost' },
        removeOnComplete: { age: this.keepCompletedS, count: 100_000 },
        removeOnFail: { age: this.keepFailedS, count: 100_000 },
      });
      if (obsolete && data.kind === 'pull') await this.removeObsolete(`${prKey(data)}@${obsolete}`);
      return { status: added.id === jobId ? ('queued' as const) : ('duplicate' as const), jobId: added.id ?? jobId };
    });
  }

  /** The queued job of an older head goes, unless it has started (it then ends its check run itself). */
  private async removeObsolete(dedupeId: string): Promise<void> {
    try {
      const id = await this.queue.getDeduplicationJobId(dedupeId);
      if (!id) return;
      const job = await this.queue.getJob(id);
      if (!job || (job.data as JobData).kind !== 'pull' || (job.data as { checkRunId?: number }).checkRunId !== undefined) return;
      const state = await job.getState();
      if (state === 'waiting' || state === 'delayed' || state === 'prioritized') await job.remove();
    } catch {
      // Taken by a worker meanwhile: it will see the newer head when it starts.
    }
  }

  async depth(): Promise<QueueDepth> {
    const c = await this.queue.getJobCounts('wait', 'prioritized', 'active', 'delayed', 'failed');
    return { waiting: (c['wait'] ?? 0) + (c['prioritized'] ?? 0), active: c['active'] ?? 0, delayed: c['delayed'] ?? 0, failed: c['failed'] ?? 0 };
  }

  async close(): Promise<void> {
    await this.queue.close().catch(() => {});
  }
}

/** Parses `MLCOST_JOB_ATTEMPTS` and `MLCOST_JOB_BACKOFF_MS` over the defaults. */
export function retryPolicyFrom(env: Record<string, string | undefined>): RetryPolicy {
  const attempts = Number(env['MLCOST_JOB_ATTEMPTS']);
  const backoff = Number(env['MLCOST_JOB_BACKOFF_MS']);
  return {
    attempts: Number.isInteger(attempts) && attempts >= 1 ? attempts : DEFAULT_RETRY.attempts,
    backoffMs: Number.isFinite(backoff) && backoff >= 0 ? backoff : DEFAULT_RETRY.backoffMs,
    maxBackoffMs: DEFAULT_RETRY.maxBackoffMs,
  };
}

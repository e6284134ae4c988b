/**
 * Workers: what one job does (`createProcessor`, shared by the in-process queue and the Redis
 * workers), and the `mlcost worker` process that takes jobs from the BullMQ queue on Redis.
 *
 * `mlcost worker` reads Probot's environment (APP_ID, PRIVATE_KEY or PRIVATE_KEY_PATH, GHE_HOST,
 * GHE_PROTOCOL, LOG_LEVEL, LOG_FORMAT) plus REDIS_URL, and serves /healthz, /readyz and /metrics
 * on PORT (default 3000). Octokit's throttling goes through Redis (Probot's `redisConfig`), so all
 * replicas space their writes to GitHub together. SIGTERM: no new jobs; the running ones finish
 * (up to MLCOST_WORKER_SHUTDOWN_MS, default 25 s), then the process exits.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Redis } from 'ioredis';
import { DelayedError, UnrecoverableError, Worker } from 'bullmq';
import type { Job } from 'bullmq';
import { createProbot, ProbotOctokit } from 'probot';
import type { Logger, Probot } from 'probot';
import type { PriceBook } from '../core/ports.js';
import type { Renderer } from '../report/render.js';
import type { Octokit, PullTarget } from '../adapters/github.js';
import { completeCheckRun, createFailedCheckRun, describeFailure, getPull, pullsOfCheckSuite } from '../adapters/github.js';
import { loadRenderer } from '../adapters/templates.js';
import { failureCheck } from './analyze-pr.js';
import { runPullRequest, summaryLine } from './pipeline.js';
import type { PipelineResult } from './pipeline.js';
import type { JobData } from './jobs.js';
import { backoffDelay, describeJob, isSuperseded, isTransient, prKey } from './jobs.js';
import type { JobOutcome, JobRun, Processor } from './queue.js';
import { LOCK_LUA, MAX_CRASHES, QUEUE_NAME, RedisQueue, UNLOCK_LUA, redisKeys, retryPolicyFrom, serialKey } from './queue.js';
import type { Metrics } from './metrics.js';
import { createMetrics, kindsLabel, observeGitHub } from './metrics.js';
import { opsHandler } from './server.js';
import { sharedAppPrices } from './shared-prices.js';

export interface ProcessorDeps {
  /** An installation's client (Probot's `app.auth`). */
  octokitFor(installationId: number): Promise<Octokit>;
  /** The price book for the next analysis (one per job: base and head priced with the same one). */
  prices(): PriceBook;
  renderer: Renderer;
  log: Logger;
  metrics: Metrics;
  requestTimeoutMs?: number;
  staleRecheckMs?: number;
  onResult?: (result: PipelineResult, target: PullTarget) => void;
  maxCrashes?: number;
}

/** The fields every log line of a job carries. */
export function jobFields(run: JobRun): Record<string, unknown> {
  const d = run.data;
  return {
    delivery: d.delivery,
    event: d.event,
    repo: `${d.owner}/${d.repo}`,
    ...(d.kind !== 'suite' ? { pr: d.number } : { suite: d.suiteId }),
    head: d.headSha,
    job: run.id,
    attempt: run.attempt,
  };
}

function superseded(): ReturnType<typeof failureCheck> {
  return {
    title: 'Superseded by a newer commit',
    summary: '### mlcost: superseded\n\nA newer commit was pushed to this pull request before this one was analysed; mlcost analyses the newest.\n',
    conclusion: 'neutral',
    annotations: [],
  };
}

/** What one try of a job does. Never throws for GitHub failures: it returns the outcome. */
export function createProcessor(deps: ProcessorDeps): Processor {
  const maxCrashes = deps.maxCrashes ?? MAX_CRASHES;
  return async (run: JobRun): Promise<JobOutcome> => {
    const job = run.data;
    const log = deps.log.child(jobFields(run));
    deps.metrics.queueWait.observe(Math.max(0, Date.now() - run.queuedAt) / 1000);
    const octokit = await deps.octokitFor(job.installationId);
    observeGitHub(octokit, deps.metrics, job.installationId);
    const repo = { owner: job.owner, repo: job.repo };

    if (job.kind !== 'suite' && run.crashes >= maxCrashes) {
      const why = `The mlcost worker analysing this pull request stopped ${run.crashes} times before finishing (killed, or out of memory); it was not tried again.`;
      log.error({ crashes: run.crashes }, `mlcost: ${describeJob(job)} stopped its worker ${run.crashes} times; failing it`);
      await failCheck(octokit, job, why).catch((e: unknown) => log.error({ err: e }, 'mlcost: could not report the failure on a check run'));
      return { status: 'failed', reason: why };
    }

    if (isSuperseded(job, await run.newestHead().catch(() => null))) {
      log.info({}, `mlcost: ${describeJob(job)} superseded by a newer head; skipped`);
      if (job.kind === 'pull' && job.checkRunId !== undefined) {
        await completeCheckRun(octokit, repo, job.checkRunId, superseded()).catch((e: unknown) => log.warn({ err: e }, 'mlcost: could not close the superseded check run'));
      }
      return { status: 'superseded' };
    }

    if (job.kind === 'suite') {
      let numbers: number[];
      try {
        numbers = await pullsOfCheckSuite(octokit, repo, job.suiteId);
      } catch (e) {
        const why = describeFailure(e);
        if (isTransient(e) && !run.lastAttempt) return { status: 'retry', reason: why };
        log.error({ err: e }, `mlcost: could not list the check suite's pull requests: ${why}`);
        return { status: 'failed', reason: why };
      }
      if (numbers.length === 0) log.info({}, 'mlcost: re-run requested for a commit with no pull request; nothing to do');
      for (const number of numbers) {
        await run.enqueue({ kind: 'rerun', installationId: job.installationId, delivery: job.delivery, event: job.event, owner: job.owner, repo: job.repo, number, headSha: job.headSha });
      }
      return { status: 'completed' };
    }

    let target: PullTarget;
    if (job.kind === 'rerun') {
      try {
        const pull = await getPull(octokit, repo, job.number);
        target = { ...repo, number: job.number, baseSha: pull.baseSha, headSha: job.headSha, baseRef: pull.baseRef };
      } catch (e) {
        const why = describeFailure(e);
        if (isTransient(e) && !run.lastAttempt) {
          log.warn({ err: e }, `mlcost: re-run could not read the pull request, will retry: ${why}`);
          return { status: 'retry', reason: why };
        }
        log.error({ err: e }, `mlcost: re-run could not read the pull request: ${why}`);
        await failCheck(octokit, job, why).catch((err: unknown) => log.error({ err }, 'mlcost: could not create the check run'));
        return { status: 'failed', reason: why };
      }
    } else {
      target = { ...repo, number: job.number, baseSha: job.baseSha, headSha: job.headSha, ...(job.baseRef ? { baseRef: job.baseRef } : {}) };
    }

    const result = await runPullRequest(
      octokit,
      target,
      {
        book: deps.prices(),
        renderer: deps.renderer,
        log,
        ...(deps.requestTimeoutMs ? { requestTimeoutMs: deps.requestTimeoutMs } : {}),
        ...(deps.staleRecheckMs !== undefined ? { staleRecheckMs: deps.staleRecheckMs } : {}),
      },
      {
        ...(job.checkRunId !== undefined ? { checkRunId: job.checkRunId } : {}),
        ...(job.kind === 'rerun' && job.approval ? { approval: job.approval } : {}),
        onCheckRun: (id) => run.saveCheckRun(id),
        retryTransient: !run.lastAttempt,
      },
    );
    if (result.retry) {
      log.warn({ requests: result.requests, ms: result.ms, retryIn: null }, `mlcost: try ${run.attempt} failed, will retry: ${result.retry}`);
      return { status: 'retry', reason: result.retry };
    }
    const kinds = result.analysis ? [...result.analysis.diff.base.projects, ...result.analysis.diff.head.projects].map((p) => p.kind) : [];
    deps.metrics.analysis.observe({ kind: kindsLabel(kinds), conclusion: result.conclusion ?? 'none' }, result.ms / 1000);
    log.info(
      { pr: target.number, head: target.headSha, requests: result.requests, ms: result.ms, conclusion: result.conclusion, comment: result.comment?.action ?? null, checkRunId: result.checkRunId },
      summaryLine(result),
    );
    deps.onResult?.(result, target);
    return result.failure ? { status: 'failed', reason: result.failure } : { status: 'completed' };
  };
}

/** The job's check run ends failed: the one an earlier try created, or a new one. */
async function failCheck(octokit: Octokit, job: Exclude<JobData, { kind: 'suite' }>, why: string): Promise<void> {
  const t = { owner: job.owner, repo: job.repo, number: job.number, baseSha: job.headSha, headSha: job.headSha };
  if (job.checkRunId !== undefined) await completeCheckRun(octokit, t, job.checkRunId, failureCheck(why));
  else await createFailedCheckRun(octokit, t, why);
}

// ---------------------------------------------------------------------------------------------
// The worker process

export interface WorkerOptions {
  env: Record<string, string | undefined>;
  /** Tests: a Probot built elsewhere. */
  probot?: Probot;
  onResult?: ProcessorDeps['onResult'];
}

export interface RunningWorker {
  port: number;
  worker: Worker;
  /** Stops taking jobs, lets the running ones finish, closes connections. */
  stop(): Promise<void>;
}

function intEnv(env: Record<string, string | undefined>, name: string, fallback: number, min = 0): number {
  const v = Number(env[name]);
  return Number.isFinite(v) && v >= min && env[name] !== '' && env[name] !== undefined ? Math.trunc(v) : fallback;
}

/**
 * Probot's Octokit, tuned: MLCOST_GITHUB_THROTTLE=off turns throttling off (benchmarks and tests
 * against a stand-in only: GitHub asks integrations to space their writes); MLCOST_GITHUB_RETRIES
 * sets how often a failed request is retried in place (Probot's default: 3, after 1, 4 and 9 s)
 * before the job's own retry takes over.
 */
function tunedOctokit(throttle: boolean, retries: number | undefined): typeof ProbotOctokit {
  return ProbotOctokit.defaults((o: ConstructorParameters<typeof ProbotOctokit>[0] = {}) => ({
    ...o,
    ...(throttle ? {} : { throttle: { ...o.throttle, enabled: false } }),
    ...(retries === undefined ? {} : { retry: { ...(o as { retry?: object }).retry, enabled: retries > 0, retries } }),
  }));
}

/** The environment Probot's `run` would read, with LOG_FORMAT defaulting to json in production as `probot run` does. */
export function probotEnv(env: Record<string, string | undefined>): Record<string, string | undefined> {
  const format = env['LOG_FORMAT'] ? (env['LOG_FORMAT'] === 'pretty' ? 'pretty' : 'json') : env['NODE_ENV'] === 'production' ? 'json' : 'pretty';
  return { LOG_LEVEL: 'info', ...env, LOG_FORMAT: format };
}

export async function startWorker(options: WorkerOptions): Promise<RunningWorker> {
  const env = options.env;
  const url = env['REDIS_URL'];
  if (!url) throw new Error('mlcost worker needs REDIS_URL (the Redis the webhook server queues jobs on)');
  const throttle = env['MLCOST_GITHUB_THROTTLE'] !== 'off';
  const retries = env['MLCOST_GITHUB_RETRIES'] ? intEnv(env, 'MLCOST_GITHUB_RETRIES', 3) : undefined;
  const probot =
    options.probot ??
    createProbot({
      env: probotEnv(env),
      // Throttling through Redis: every replica spaces its writes to GitHub with the others.
      overrides: { Octokit: tunedOctokit(throttle, retries), redisConfig: throttle ? url : undefined },
    });
  await probot.ready?.();
  const log = probot.log.child({ name: 'mlcost-worker' });

  const prefix = env['MLCOST_REDIS_PREFIX'] || 'mlcost';
  const keys = redisKeys(prefix);
  const retry = retryPolicyFrom(env);
  const concurrency = intEnv(env, 'MLCOST_WORKER_CONCURRENCY', 4, 1);
  const lockMs = intEnv(env, 'MLCOST_WORKER_LOCK_MS', 30_000, 500);
  const stalledMs = intEnv(env, 'MLCOST_WORKER_STALLED_MS', 30_000, 200);
  const shutdownMs = intEnv(env, 'MLCOST_WORKER_SHUTDOWN_MS', 25_000, 0);
  const busyDelayMs = Math.min(2000, Math.max(200, Math.round(lockMs / 10)));

  const redis = new Redis(url, { maxRetriesPerRequest: null });
  redis.on('error', () => {});
  // Suite re-runs fan out through it; /metrics reads the queue depth with it.
  const producer = new RedisQueue(redis, { prefix, retry });
  const prices = await sharedAppPrices(env, redis, prefix, log);
  const renderer = loadRenderer();
  const metrics = createMetrics({
    defaults: true,
    depth: () => producer.depth(),
    prices: () => ({ capturedAt: prices.current().meta.capturedAt, source: prices.current().meta.source }),
  });
  const requestTimeoutMs = intEnv(env, 'MLCOST_REQUEST_TIMEOUT_MS', 0) || undefined;
  const processor = createProcessor({
    octokitFor: async (id) => (await probot.auth(id)) as Octokit,
    prices: () => prices.current(),
    renderer,
    log,
    metrics,
    ...(requestTimeoutMs ? { requestTimeoutMs } : {}),
    ...(options.onResult ? { onResult: options.onResult } : {}),
  });

  const worker = new Worker<JobData>(
    QUEUE_NAME,
    async (job: Job<JobData>, token?: string) => {
      const data = job.data;
      const serial = keys.lock(serialKey(data));
      // One job per pull request at a time, across every worker: else wait a moment and come back.
      const locked = await redis.eval(LOCK_LUA, 1, serial, String(job.id), String(lockMs));
      if (locked !== 1) {
        metrics.jobs.inc({ outcome: 'delayed' });
        await job.moveToDelayed(Date.now() + busyDelayMs, token);
        throw new DelayedError();
      }
      const renew = setInterval(() => void redis.eval(UNLOCK_LUA, 1, serial, String(job.id), String(lockMs)).catch(() => {}), Math.max(100, Math.round(lockMs / 3)));
      try {
        const starts = await redis.incr(keys.starts(String(job.id)));
        await redis.expire(keys.starts(String(job.id)), 7 * 24 * 3600);
        const run: JobRun = {
          id: String(job.id),
          data,
          attempt: job.attemptsMade + 1,
          lastAttempt: job.attemptsMade + 1 >= (job.opts.attempts ?? 1),
          crashes: Math.max(0, starts - 1 - job.attemptsMade),
          queuedAt: job.timestamp,
          saveCheckRun: async (checkRunId) => {
            if (data.kind === 'suite') return;
            await job.updateData({ ...data, checkRunId });
            (data as { checkRunId?: number }).checkRunId = checkRunId;
          },
          enqueue: async (next) => {
            await producer.enqueue(next);
          },
          newestHead: async () => (data.kind === 'pull' ? producer.newestHead(prKey(data)) : null),
        };
        const outcome = await processor(run);
        metrics.jobs.inc({ outcome: outcome.status === 'retry' && !run.lastAttempt ? 'retried' : outcome.status === 'retry' ? 'failed' : outcome.status });
        if (outcome.status === 'retry') throw new Error(outcome.reason);
        if (outcome.status === 'failed') throw new UnrecoverableError(outcome.reason);
        return outcome.status;
      } finally {
        clearInterval(renew);
        await redis.eval(UNLOCK_LUA, 1, serial, String(job.id), '').catch(() => {});
      }
    },
    {
      connection: redis,
      prefix,
      concurrency,
      lockDuration: lockMs,
      stalledInterval: stalledMs,
      // mlcost fails a job that stopped its worker MAX_CRASHES times (with a check run saying so) before BullMQ would.
      maxStalledCount: MAX_CRASHES + 1,
      settings: { backoffStrategy: (attemptsMade: number) => backoffDelay(retry, attemptsMade) },
    },
  );
  worker.on('error', (e) => log.warn({ err: e }, `mlcost: worker: ${e.message}`));
  worker.on('stalled', (jobId) => log.warn({ job: jobId }, 'mlcost: a job stalled (its worker stopped); it goes back to the queue'));

  const http = createServer();
  const ops = opsHandler({
    metrics,
    notReady: () => (redis.status !== 'ready' ? `Redis connection ${redis.status}` : worker.isRunning() ? null : 'not running'),
  });
  http.on('request', (req, res) => {
    void Promise.resolve(ops(req, res)).then((handled) => {
      if (!handled) res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
    });
  });
  const port = intEnv(env, 'PORT', 3000);
  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(port, env['HOST'] || '0.0.0.0', () => resolve());
  });
  const actualPort = (http.address() as AddressInfo).port;
  log.info({ concurrency, lockMs, stalledMs, attempts: retry.attempts, throttle, port: actualPort }, `mlcost: worker taking jobs from ${prefix}:${QUEUE_NAME} (concurrency ${concurrency})`);

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> =>
    (stopping ??= (async () => {
      log.info({}, 'mlcost: worker stopping: no new jobs; waiting for the running ones');
      const closing = worker.close();
      let timer: NodeJS.Timeout | undefined;
      const forced = await Promise.race([closing.then(() => false), new Promise<boolean>((r) => (timer = setTimeout(() => r(true), shutdownMs)))]);
      clearTimeout(timer);
      if (forced) {
        log.warn({}, `mlcost: jobs still running after ${shutdownMs} ms; leaving them to other workers`);
        await worker.close(true).catch(() => {});
      }
      prices.stop();
      await producer.close();
      await new Promise<void>((r) => http.close(() => r()));
      http.closeAllConnections();
      await redis.quit().catch(() => redis.disconnect());
    })());
  return { port: actualPort, worker, stop };
}

/** `mlcost worker`: runs until SIGTERM or SIGINT. */
export async function runWorker(env: Record<string, string | undefined>): Promise<void> {
  const running = await startWorker({ env });
  await new Promise<void>((resolve) => {
    const onSignal = () => {
      process.off('SIGTERM', onSignal);
      process.off('SIGINT', onSignal);
      void running.stop().then(resolve, resolve);
    };
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
  });
}

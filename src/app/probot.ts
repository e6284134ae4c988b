/**
 * The mlcost GitHub App (Probot). Handlers are thin: they turn a webhook into a pull request
 * target and hand it to the pipeline (src/app/pipeline.ts), which the Action shares.
 *
 * Run it with `npm start` (Probot's standard environment: APP_ID, PRIVATE_KEY or
 * PRIVATE_KEY_PATH, WEBHOOK_SECRET, PORT, LOG_LEVEL, GHE_HOST / GHE_PROTOCOL).
 *
 * Handlers only turn a verified delivery into jobs (src/app/jobs.ts) and queue them
 * (src/app/queue.ts): without REDIS_URL the server runs them itself (a bounded in-process queue,
 * MLCOST_CONCURRENCY at a time); with REDIS_URL they go to Redis for `mlcost worker` processes.
 * Either way the delivery is answered at once. Also serves /healthz, /readyz and /metrics.
 */
import type { Context, Probot } from 'probot';
import type { ApplicationFunctionOptions } from 'probot';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Redis } from 'ioredis';
import type { PriceBook } from '../core/ports.js';
import type { Renderer } from '../report/render.js';
import { appPrices } from '../adapters/price-refresher.js';
import { loadRenderer } from '../adapters/templates.js';
import type { Octokit, PullTarget } from '../adapters/github.js';
import { pullNumberFromExternalId } from '../adapters/github.js';
import { CHECK_NAME } from './analyze-pr.js';
import { APPROVE_ACTION } from './approval.js';
import type { PipelineResult } from './pipeline.js';
import type { JobData } from './jobs.js';
import { describeJob, updatedAtMs } from './jobs.js';
import type { JobQueue } from './queue.js';
import { MemoryQueue, QueueUnavailableError, RedisQueue, retryPolicyFrom } from './queue.js';
import { createMetrics, type Metrics } from './metrics.js';
import { guardWebhooks, opsHandler } from './server.js';
import { createProcessor, jobFields } from './worker.js';

export interface AppOptions {
  book?: PriceBook;
  renderer?: Renderer;
  /** Deadline of each GitHub request in ms (default 30 s; env MLCOST_REQUEST_TIMEOUT_MS). */
  requestTimeoutMs?: number;
  /** See PipelineDeps.staleRecheckMs. */
  staleRecheckMs?: number;
  /** Called after each pull request run (tests, the benchmark). In-process queue only. */
  onResult?: (result: PipelineResult, target: PullTarget) => void;
  /** The queue (tests). Default: Redis when REDIS_URL is set, else the in-process queue. */
  queue?: JobQueue;
  /** Tests: a handler returns once the in-process queue has run what it queued. */
  awaitJobs?: boolean;
  /** Environment (default: process.env). */
  env?: Record<string, string | undefined>;
  /** Metrics registry to use (tests read it). */
  metrics?: Metrics;
}

/** Runs jobs for the same key one after the other (two pushes in a row must not race on the comment). */
export function createSerializer(): <T>(key: string, job: () => Promise<T>) => Promise<T> {
  const tails = new Map<string, Promise<unknown>>();
  return <T>(key: string, job: () => Promise<T>): Promise<T> => {
    const previous = tails.get(key) ?? Promise.resolve();
    const run = previous.then(job, job);
    const tail = run.then(
      () => undefined,
      () => undefined,
    );
    tails.set(key, tail);
    void tail.then(() => {
      if (tails.get(key) === tail) tails.delete(key);
    });
    return run;
  };
}

const PR_ACTIONS = ['opened', 'synchronize', 'reopened', 'ready_for_review'] as const;

function positiveInt(v: string | undefined, fallback: number): number {
  const n = Number(v);
  return Number.isInteger(n) && n > 0 ? n : fallback;
}

/** `host:port/db` of a Redis URL, without credentials (logs). */
export function redisWhere(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname}:${u.port || '6379'}${u.pathname && u.pathname !== '/' ? u.pathname : ''}`;
  } catch {
    return 'an unparseable REDIS_URL';
  }
}

/** The server's connection: commands fail at once while Redis is away (the delivery gets 503), and it reconnects by itself. */
export function producerConnection(url: string): Redis {
  // Auto-pipelining: the commands of concurrent deliveries share round trips (a burst's throughput).
  const redis = new Redis(url, { enableOfflineQueue: false, maxRetriesPerRequest: 1, commandTimeout: 2000, enableAutoPipelining: true, retryStrategy: (n) => Math.min(100 * n, 2000) });
  redis.on('error', () => {});
  return redis;
}

export function createApp(options: AppOptions = {}): (app: Probot, appOptions?: ApplicationFunctionOptions) => void {
  return (app: Probot, appOptions?: ApplicationFunctionOptions) => {
    const env = options.env ?? process.env;
    if (env['NODE_ENV'] === 'production' && !env['WEBHOOK_SECRET']) {
      throw new Error('WEBHOOK_SECRET is not set: refusing to accept unsigned webhooks in production');
    }
    const redisUrl = env['REDIS_URL'];
    const retry = retryPolicyFrom(env);
    let queue: JobQueue;
    let prices: { current(): PriceBook } | null = null;
    let memory: MemoryQueue | null = null;
    const metrics =
      options.metrics ??
      createMetrics({
        defaults: env['NODE_ENV'] !== 'test',
        depth: () => queue.depth(),
        prices: () => (prices ? { capturedAt: prices.current().meta.capturedAt, source: prices.current().meta.source } : null),
      });

    if (options.queue?.mode === 'redis' || (!options.queue && redisUrl)) {
      queue = options.queue ?? new RedisQueue(producerConnection(redisUrl as string), { prefix: env['MLCOST_REDIS_PREFIX'] || 'mlcost', retry });
      app.log.info(`mlcost: queueing analyses on Redis at ${redisWhere(redisUrl ?? '')}; \`mlcost worker\` processes run them`);
    } else {
      // MLCOST_PRICES selects a snapshot file; MLCOST_PRICES_REFRESH=24h refreshes it in the background.
      const p = options.book ? { current: () => options.book as PriceBook } : appPrices(env, app.log);
      prices = p;
      const startMeta = p.current().meta;
      app.log.info(`mlcost: price snapshot ${startMeta.capturedAt} (${startMeta.source})`);
      const requestTimeoutMs = options.requestTimeoutMs ?? (Number(env['MLCOST_REQUEST_TIMEOUT_MS']) || undefined);
      const processor = createProcessor({
        octokitFor: async (id) => (await app.auth(id)) as Octokit,
        prices: () => p.current(),
        renderer: options.renderer ?? loadRenderer(),
        log: app.log,
        metrics,
        ...(requestTimeoutMs ? { requestTimeoutMs } : {}),
        ...(options.staleRecheckMs !== undefined ? { staleRecheckMs: options.staleRecheckMs } : {}),
        ...(options.onResult ? { onResult: options.onResult } : {}),
      });
      memory =
        (options.queue as MemoryQueue | undefined) ??
        new MemoryQueue({
          capacity: positiveInt(env['MLCOST_QUEUE_MAX'], 1000),
          concurrency: positiveInt(env['MLCOST_CONCURRENCY'], 4),
          retry,
          onFinished: (run, outcome) => {
            const status = outcome.status === 'retry' && !run.lastAttempt ? 'retried' : outcome.status === 'retry' || outcome.status === 'error' ? 'failed' : outcome.status;
            metrics.jobs.inc({ outcome: status });
            if (outcome.status === 'error') app.log.error({ ...jobFields(run), err: outcome.error }, `mlcost: ${describeJob(run.data)} failed with an internal error`);
          },
        });
      memory.start(processor);
      queue = memory;
    }

    const unavailable = () =>
      queue.ready() ? null : queue.mode === 'redis' ? { reason: 'queue_unavailable', retryAfterSeconds: 10 } : { reason: 'queue_full', retryAfterSeconds: 30 };
    let stopping = false;
    // /healthz, /readyz, /metrics on Probot's server (absent when the app is loaded without one: tests).
    let served = false;
    try {
      appOptions?.addHandler(opsHandler({ metrics, notReady: () => (stopping ? 'shutting down' : (unavailable()?.reason ?? null)) }) as (req: IncomingMessage, res: ServerResponse) => Promise<boolean>);
      served = true;
    } catch {
      // no server
    }
    if (served) {
      // SIGTERM (a rolling update): /readyz turns 503 so the load balancer stops sending, deliveries
      // still arriving are taken for MLCOST_SHUTDOWN_DRAIN_MS (default 2 s); the in-process queue
      // finishes its running jobs (up to MLCOST_SHUTDOWN_MS, default 20 s), then the process exits.
      const drainMs = Number(env['MLCOST_SHUTDOWN_DRAIN_MS'] ?? 2000) || 0;
      const jobsMs = Number(env['MLCOST_SHUTDOWN_MS'] ?? 20_000) || 0;
      process.once('SIGTERM', () => {
        stopping = true;
        app.log.info(`mlcost: stopping: not ready; taking deliveries for ${drainMs} ms more`);
        const deadline = (ms: number) => new Promise<void>((r) => setTimeout(r, ms).unref());
        void deadline(drainMs)
          .then(() => Promise.race([memory ? memory.close() : queue.close(), deadline(jobsMs)]))
          .finally(() => process.exit(0));
      });
    }
    // Deliveries the queue cannot take are refused before they are read: 503 with Retry-After.
    const original = app.getNodeMiddleware.bind(app);
    (app as { getNodeMiddleware: unknown }).getNodeMiddleware = async (o?: Parameters<Probot['getNodeMiddleware']>[0]) =>
      guardWebhooks((await original(o)) as never, { path: o?.path ?? app.webhookPath, metrics, unavailable });

    async function submit(context: Context, jobs: JobData[]): Promise<void> {
      const action = (context.payload as { action?: string }).action;
      const event = action ? `${context.name}.${action}` : context.name;
      const log = context.log.child({ delivery: context.id, event });
      metrics.webhooksReceived.inc({ event });
      if (jobs.length === 0) return;
      if (!jobs[0]?.installationId) {
        log.warn({}, 'mlcost: a delivery without an installation; ignored');
        return;
      }
      try {
        if (!(await queue.claimDelivery(context.id))) {
          metrics.webhooksDeduplicated.inc({ reason: 'delivery' });
          log.info({}, 'mlcost: this delivery was received before; ignored');
          return;
        }
        try {
          for (const job of jobs) {
            const r = await queue.enqueue(job);
            const fields = { repo: `${job.owner}/${job.repo}`, ...(job.kind !== 'suite' ? { pr: job.number } : {}), head: job.headSha, job: r.jobId, outcome: r.status };
            if (r.status === 'duplicate') metrics.webhooksDeduplicated.inc({ reason: 'job' });
            if (r.status === 'superseded') metrics.webhooksDeduplicated.inc({ reason: 'superseded' });
            log.info(fields, `mlcost: ${describeJob(job)} ${r.status === 'queued' ? 'queued' : r.status === 'duplicate' ? 'already queued or running' : 'is older than a head already seen; dropped'}`);
          }
        } catch (e) {
          await queue.releaseDelivery(context.id).catch(() => {});
          throw e;
        }
      } catch (e) {
        if (e instanceof QueueUnavailableError) {
          metrics.webhooksFailed.inc({ reason: e.reason });
          log.error({ err: e }, `mlcost: delivery refused (503; GitHub shows it as failed: redeliver it once the queue is back): ${e.message}`);
        }
        throw e;
      }
      if (options.awaitJobs && memory) await memory.idle();
    }

    function installationOf(context: Context): number {
      return (context.payload as { installation?: { id?: number } }).installation?.id ?? 0;
    }

    function repoOf(context: Context<'pull_request' | 'check_run' | 'check_suite'>): { owner: string; repo: string } {
      const r = context.payload.repository;
      return { owner: r.owner.login, repo: r.name };
    }

    function pullJob(context: Context<'pull_request'>, baseChanged = false): JobData {
      const pr = context.payload.pull_request;
      return {
        kind: 'pull',
        installationId: installationOf(context),
        delivery: context.id,
        event: `pull_request.${context.payload.action}`,
        ...repoOf(context),
        number: pr.number,
        baseSha: pr.base.sha,
        headSha: pr.head.sha,
        baseRef: pr.base.ref,
        at: updatedAtMs(pr.updated_at),
        ...(baseChanged ? { baseChanged: true } : {}),
      };
    }

    app.on(
      PR_ACTIONS.map((a) => `pull_request.${a}` as const),
      (context) => submit(context, [pullJob(context)]),
    );
    app.on('pull_request.edited', async (context) => {
      // Only a new base branch changes the analysis; title and body edits do not.
      await submit(context, context.payload.changes.base ? [pullJob(context, true)] : []);
    });

    /** Re-runs: a new check run for the given head SHA on each pull request (the base as it is now). */
    function reruns(context: Context<'check_run' | 'check_suite'>, headSha: string, numbers: number[]): JobData[] {
      const event = `${context.name}.${context.payload.action}`;
      return numbers.map((number) => ({ kind: 'rerun', installationId: installationOf(context), delivery: context.id, event, ...repoOf(context), number, headSha }));
    }

    app.on('check_run.rerequested', async (context) => {
      const run = context.payload.check_run;
      if (run.name !== CHECK_NAME) return submit(context, []);
      let numbers = run.pull_requests.map((p) => p.number);
      if (numbers.length === 0) {
        const n = pullNumberFromExternalId(run.external_id);
        if (n !== null) numbers = [n];
      }
      if (numbers.length === 0) context.log.info({ delivery: context.id, head: run.head_sha }, 'mlcost: re-run requested for a commit with no pull request; nothing to do');
      await submit(context, reruns(context, run.head_sha, numbers));
    });

    // Approvals (src/app/approval.ts): the approval label added or removed, and the check's
    // "Approve cost" button. The worker checks the label against the configuration and the actor's
    // role before anything runs; a bot's label is ignored here already.
    const approvalJob = (context: Context<'pull_request' | 'check_run'>, number: number, headSha: string, approval: NonNullable<Extract<JobData, { kind: 'rerun' }>['approval']>): JobData => ({
      kind: 'rerun',
      installationId: installationOf(context),
      delivery: context.id,
      event: `${context.name}.${context.payload.action}`,
      ...repoOf(context),
      number,
      headSha,
      approval,
    });
    const now = () => new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');

    app.on(['pull_request.labeled', 'pull_request.unlabeled'], async (context) => {
      const label = context.payload.label?.name;
      const sender = context.payload.sender;
      const pr = context.payload.pull_request;
      if (!label || sender.type === 'Bot') {
        if (label) context.log.info({ delivery: context.id, label, by: sender.login }, 'mlcost: label changed by a bot; approvals by bots are ignored');
        return submit(context, []);
      }
      const via = context.payload.action === 'labeled' ? 'label' : 'unlabel';
      await submit(context, [approvalJob(context, pr.number, pr.head.sha, { via, by: sender.login, senderType: sender.type, label, at: now() })]);
    });

    app.on('check_run.requested_action', async (context) => {
      const run = context.payload.check_run;
      if (run.name !== CHECK_NAME || context.payload.requested_action?.identifier !== APPROVE_ACTION.identifier) return submit(context, []);
      const number = run.pull_requests[0]?.number ?? pullNumberFromExternalId(run.external_id);
      if (number === null || number === undefined) return submit(context, []);
      const sender = context.payload.sender;
      await submit(context, [approvalJob(context, number, run.head_sha, { via: 'button', by: sender.login, senderType: sender.type, at: now() })]);
    });

    app.on('check_suite.rerequested', async (context) => {
      const suite = context.payload.check_suite;
      const numbers = suite.pull_requests.map((p) => p.number);
      if (numbers.length === 0 && suite.head_sha) {
        // Pull requests from forks are not listed on the suite: a worker finds them from our check runs.
        return submit(context, [
          { kind: 'suite', installationId: installationOf(context), delivery: context.id, event: 'check_suite.rerequested', ...repoOf(context), headSha: suite.head_sha, suiteId: suite.id },
        ]);
      }
      await submit(context, reruns(context, suite.head_sha, numbers));
    });
  };
}

/** The app as Probot loads it: `probot run ./dist/app/probot.js`. */
export default createApp();

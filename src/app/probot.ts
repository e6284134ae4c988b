/**
 * The mlcost GitHub App (Probot). Handlers are thin: they turn a webhook into a pull request
 * target and hand it to the pipeline (src/app/pipeline.ts), which the Action shares.
 *
 * Run it with `npm start` (Probot's standard environment: APP_ID, PRIVATE_KEY or
 * PRIVATE_KEY_PATH, WEBHOOK_SECRET, PORT, LOG_LEVEL, GHE_HOST / GHE_PROTOCOL).
 */
import type { Context, Probot } from 'probot';
import type { PriceBook } from '../core/ports.js';
import type { Renderer } from '../report/render.js';
import { appPrices } from '../adapters/price-refresher.js';
import { loadRenderer } from '../adapters/templates.js';
import type { Log, Octokit, PullTarget, RepoRef } from '../adapters/github.js';
import { createFailedCheckRun, describeFailure, getPull, pullNumberFromExternalId, pullsOfCheckSuite } from '../adapters/github.js';
import { CHECK_NAME } from './analyze-pr.js';
import { runPullRequest, summaryLine } from './pipeline.js';
import type { PipelineResult } from './pipeline.js';

export interface AppOptions {
  book?: PriceBook;
  renderer?: Renderer;
  /** Deadline of each GitHub request in ms (default 30 s; env MLCOST_REQUEST_TIMEOUT_MS). */
  requestTimeoutMs?: number;
  /** See PipelineDeps.staleRecheckMs. */
  staleRecheckMs?: number;
  /** Called after each pull request run (tests, the benchmark). */
  onResult?: (result: PipelineResult, target: PullTarget) => void;
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

export function createApp(options: AppOptions = {}): (app: Probot) => void {
  return (app: Probot) => {
    if (process.env['NODE_ENV'] === 'production' && !process.env['WEBHOOK_SECRET']) {
      throw new Error('WEBHOOK_SECRET is not set: refusing to accept unsigned webhooks in production');
    }
    // MLCOST_PRICES selects a snapshot file; MLCOST_PRICES_REFRESH=24h refreshes it in the background.
    const prices = options.book ? { current: () => options.book as PriceBook } : appPrices(process.env, app.log);
    const renderer = options.renderer ?? loadRenderer();
    const serial = createSerializer();
    const requestTimeoutMs = options.requestTimeoutMs ?? (Number(process.env['MLCOST_REQUEST_TIMEOUT_MS']) || undefined);
    const tuning = {
      ...(requestTimeoutMs ? { requestTimeoutMs } : {}),
      ...(options.staleRecheckMs !== undefined ? { staleRecheckMs: options.staleRecheckMs } : {}),
    };
    const startMeta = prices.current().meta;
    app.log.info(`mlcost: price snapshot ${startMeta.capturedAt} (${startMeta.source})`);

    async function analyse(octokit: Octokit, target: PullTarget, log: Log): Promise<void> {
      const key = `${target.owner}/${target.repo}#${target.number}`;
      // One book per pull request: base and head are priced with the same snapshot even if a refresh lands.
      const result = await serial(key, () => runPullRequest(octokit, target, { book: prices.current(), renderer, log, ...tuning }));
      log.info(
        { pr: target.number, head: target.headSha, requests: result.requests, ms: result.ms, conclusion: result.conclusion, comment: result.comment?.action ?? null },
        summaryLine(result),
      );
      options.onResult?.(result, target);
    }

    function logFor(context: Context): Log {
      return context.log.child({ delivery: context.id, event: context.name });
    }

    function repoOf(context: Context<'pull_request' | 'check_run' | 'check_suite'>): RepoRef {
      const r = context.payload.repository;
      return { owner: r.owner.login, repo: r.name };
    }

    async function onPullRequest(context: Context<'pull_request'>): Promise<void> {
      const pr = context.payload.pull_request;
      await analyse(
        context.octokit,
        { ...repoOf(context), number: pr.number, baseSha: pr.base.sha, headSha: pr.head.sha, baseRef: pr.base.ref },
        logFor(context),
      );
    }

    app.on(
      PR_ACTIONS.map((a) => `pull_request.${a}` as const),
      onPullRequest,
    );
    app.on('pull_request.edited', async (context) => {
      // Only a new base branch changes the analysis; title and body edits do not.
      if (!context.payload.changes.base) return;
      await onPullRequest(context);
    });

    /** Re-runs: a new check run for the given head SHA on each pull request (the base as it is now). */
    async function rerun(context: Context<'check_run' | 'check_suite'>, headSha: string, numbers: number[]): Promise<void> {
      const repo = repoOf(context);
      const log = logFor(context);
      if (numbers.length === 0) {
        log.info({ head: headSha }, 'mlcost: re-run requested for a commit with no pull request; nothing to do');
        return;
      }
      for (const number of numbers) {
        let pull;
        try {
          pull = await getPull(context.octokit, repo, number);
        } catch (e) {
          const why = describeFailure(e);
          log.error({ pr: number, err: e }, `mlcost: re-run could not read the pull request: ${why}`);
          await createFailedCheckRun(context.octokit, { ...repo, number, baseSha: headSha, headSha }, why).catch((err: unknown) =>
            log.error({ pr: number, err }, 'mlcost: could not create the check run'),
          );
          continue;
        }
        await analyse(context.octokit, { ...repo, number, baseSha: pull.baseSha, headSha, baseRef: pull.baseRef }, log);
      }
    }

    app.on('check_run.rerequested', async (context) => {
      const run = context.payload.check_run;
      if (run.name !== CHECK_NAME) return;
      let numbers = run.pull_requests.map((p) => p.number);
      if (numbers.length === 0) {
        const n = pullNumberFromExternalId(run.external_id);
        if (n !== null) numbers = [n];
      }
      await rerun(context, run.head_sha, numbers);
    });

    app.on('check_suite.rerequested', async (context) => {
      const suite = context.payload.check_suite;
      let numbers = suite.pull_requests.map((p) => p.number);
      if (numbers.length === 0 && suite.head_sha) {
        // Pull requests from forks are not listed on the suite: our check runs know their PR.
        numbers = await pullsOfCheckSuite(context.octokit, repoOf(context), suite.id).catch(() => []);
      }
      await rerun(context, suite.head_sha, numbers);
    });
  };
}

/** The app as Probot loads it: `probot run ./dist/app/probot.js`. */
export default createApp();

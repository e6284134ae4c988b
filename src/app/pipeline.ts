/**
 * One pull request, end to end, for the App and the Action: open the check run, gather, run the
 * core, write the comment, complete the check. Every failure after the check run exists ends as a
 * completed check that says what failed. No probot import: the Action runs this too.
 */
import type { PriceBook } from '../core/ports.js';
import type { Renderer } from '../report/render.js';
import type { Conclusion } from '../core/types.js';
import type { CheckOutput, PrAnalysis } from './analyze-pr.js';
import { analyzePullRequest, commentAction, configErrorCheck, failureCheck, inProgressOutput } from './analyze-pr.js';
import { formatConfigErrors, resolveConfig } from './config.js';
import type { ResolvedConfig } from './config.js';
import type { CommentResult, GatherOptions, Log, Octokit, PullTarget } from '../adapters/github.js';
import {
  completeCheckRun,
  createCheckRun,
  describeFailure,
  fetchConfigFile,
  gatherPullRequest,
  instrument,
  readPullState,
  writeComment,
} from '../adapters/github.js';
import { code } from '../report/format.js';
import { defaultConfig } from '../policy/schema.js';

export interface PipelineOptions extends GatherOptions {
  /**
   * Analyse and comment even when the check run cannot be created (the Action on a fork's pull
   * request, whose token is read-only). The App stops instead: without a check run nobody would
   * see the outcome of its work.
   */
  continueWithoutCheckRun?: boolean;
}

export interface PipelineDeps {
  book: PriceBook;
  renderer: Renderer;
  log: Log;
  /** For the elapsed time in logs and the benchmark. */
  now?: () => number;
  /** Deadline of each GitHub request, retries included (default 30 s). */
  requestTimeoutMs?: number;
  /**
   * When the pull request's head differs from the analysed SHA, read it again after this many ms
   * before calling the analysis stale: the API can lag a moment behind a `synchronize` webhook.
   */
  staleRecheckMs?: number;
}

export const STALE_RECHECK_MS = 1500;

export interface PipelineResult {
  checkRunId: number | null;
  conclusion: Conclusion | null;
  /** What happened to the comment; null when the run ended before it. */
  comment: CommentResult | null;
  /** GitHub requests this run made, the installation token exchange included when it happened (tokens are cached for an hour). */
  requests: number;
  ms: number;
  /** The analysis, when it ran (tests, the Action's step summary). */
  analysis: PrAnalysis | null;
  /** Set when the run failed; already written to the check run. */
  failure: string | null;
  /** The check run's output as completed (or as it would have been, without a check run). */
  check: CheckOutput | null;
}

/** A note under the check summary, within GitHub's limit. */
function withNote(out: CheckOutput, note: string): CheckOutput {
  const summary = `${out.summary}\n> ${note}\n`;
  return summary.length <= 65535 ? { ...out, summary } : out;
}

export async function runPullRequest(octokit: Octokit, t: PullTarget, deps: PipelineDeps, opts: PipelineOptions = {}): Promise<PipelineResult> {
  const now = deps.now ?? (() => performance.now());
  const started = now();
  const counter = instrument(octokit, deps.requestTimeoutMs);
  const before = counter.count;
  const log = deps.log;
  const result: PipelineResult = { checkRunId: null, conclusion: null, comment: null, requests: 0, ms: 0, analysis: null, failure: null, check: null };
  const finish = (): PipelineResult => {
    result.requests = counter.count - before;
    result.ms = Math.round(now() - started);
    return result;
  };
  const where = { repo: `${t.owner}/${t.repo}`, pr: t.number, head: t.headSha };

  try {
    result.checkRunId = await createCheckRun(octokit, t, inProgressOutput(t.headSha));
  } catch (e) {
    const why = describeFailure(e);
    log.error({ ...where, err: e }, `mlcost: could not create the check run: ${why}`);
    if (!opts.continueWithoutCheckRun) {
      result.failure = why;
      return finish();
    }
  }

  let check: CheckOutput;
  try {
    const gathered = await gatherPullRequest(octokit, t, opts, async (files): Promise<ResolvedConfig> =>
      files.missingExplicit
        ? {
            config: defaultConfig(),
            file: files.missingExplicit,
            sources: [],
            errors: [{ file: files.missingExplicit, line: 1, column: 1, key: '', message: `not found at the base commit ${t.baseSha.slice(0, 7)}` }],
          }
        : resolveConfig(files.own, files.org, t, (at) => fetchConfigFile(octokit, at)),
    );
    const config = gathered.config;
    const nothingToPrice = gathered.base.length === 0 && gathered.head.length === 0;
    if (config.errors.length && !nothingToPrice) {
      check = configErrorCheck(config.errors, config.file, t.baseRef ?? null);
      log.warn({ ...where, errors: formatConfigErrors(config.errors) }, 'mlcost: invalid configuration');
    } else {
      const analysis = analyzePullRequest({
        base: gathered.base,
        head: gathered.head,
        readErrors: gathered.readErrors,
        config: config.config,
        configFile: config.file,
        book: deps.book,
        renderer: deps.renderer,
        headSha: t.headSha,
      });
      result.analysis = analysis;
      check = analysis.check;
      if (nothingToPrice && config.errors.length) {
        check = withNote(check, `${code(config.file)} on the base branch is invalid (${config.errors.length} problem${config.errors.length === 1 ? '' : 's'}); pull requests that change priced files fail until it is fixed.`);
      }
      try {
        let state = await readPullState(octokit, t);
        if (state.headSha !== t.headSha.toLowerCase()) {
          await new Promise((r) => setTimeout(r, deps.staleRecheckMs ?? STALE_RECHECK_MS));
          state = await readPullState(octokit, t);
        }
        result.comment = await writeComment(octokit, t, state, analysis.comment, (exists) =>
          commentAction(config.config.comment, { exists, nothingToPrice: analysis.nothingToPrice, costChanged: analysis.costChanged }),
        );
      } catch (e) {
        // The analysis stands; the check says the comment could not be written.
        const why = describeFailure(e);
        log.warn({ ...where, err: e }, `mlcost: could not write the comment: ${why}`);
        check = withNote(check, `The pull request comment could not be written: ${why}`);
        result.comment = { action: 'skipped', reason: `error: ${why}` };
      }
    }
  } catch (e) {
    result.failure = describeFailure(e);
    check = failureCheck(result.failure);
    log.error({ ...where, err: e }, `mlcost: analysis failed: ${result.failure}`);
  }

  result.check = check;
  result.conclusion = check.conclusion;
  if (result.checkRunId === null) return finish();
  try {
    await completeCheckRun(octokit, t, result.checkRunId, check);
  } catch (e) {
    const why = describeFailure(e);
    result.failure ??= why;
    log.error({ ...where, err: e, checkRunId: result.checkRunId }, `mlcost: could not complete the check run: ${why}`);
  }
  return finish();
}

/** One log line per run: what was decided and how many requests it took. */
export function summaryLine(r: PipelineResult): string {
  const comment = r.comment ? r.comment.action : 'none';
  return `mlcost: ${r.conclusion ?? 'no conclusion'} · comment ${comment} · ${r.requests} GitHub requests · ${r.ms} ms`;
}

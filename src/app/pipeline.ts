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
  fetchPullConfig,
  gatherPullRequest,
  getPermission,
  instrument,
  readPullState,
  writeComment,
} from '../adapters/github.js';
import { code } from '../report/format.js';
import { isTransient } from './jobs.js';
import { defaultConfig } from '../policy/schema.js';
import type { ApprovalRequest, ApprovalVerdict } from './approval.js';
import { approvalKey, decideApproval, decodeApproval, encodeApproval, scopeOf, verifyApproval } from './approval.js';

export interface PipelineOptions extends GatherOptions {
  /**
   * Analyse and comment even when the check run cannot be created (the Action on a fork's pull
   * request, whose token is read-only). The App stops instead: without a check run nobody would
   * see the outcome of its work.
   */
  continueWithoutCheckRun?: boolean;
  /** Reuse this check run (created by an earlier try of the same job) instead of creating one. */
  checkRunId?: number;
  /** Called once the check run exists, before anything else is read (a queue saves it with the job). */
  onCheckRun?: (id: number) => void | Promise<void>;
  /**
   * Leave transient failures (GitHub 5xx, rate limits, timeouts; see `isTransient`) to the caller
   * to retry: the check run stays in progress and `retry` says why. The last try leaves this off,
   * so the check run ends failed, saying what failed.
   */
  retryTransient?: boolean;
  /**
   * A maintainer's approval asked for by a label or the check's "Approve cost" button (the App):
   * verified first (the label is the configured one, the actor's role suffices); nothing runs when
   * there is nothing to do. See src/app/approval.ts.
   */
  approval?: ApprovalRequest;
  /** Approvals (the label, the button, the record kept in the comment). Default on; the Action turns them off. */
  approvals?: boolean;
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
  /** Set when a transient failure was left to the caller to retry (`retryTransient`); the check run is still in progress. */
  retry: string | null;
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
  const result: PipelineResult = { checkRunId: null, conclusion: null, comment: null, requests: 0, ms: 0, analysis: null, failure: null, check: null, retry: null };
  const retryable = (e: unknown): boolean => opts.retryTransient === true && isTransient(e);
  const finish = (): PipelineResult => {
    result.requests = counter.count - before;
    result.ms = Math.round(now() - started);
    return result;
  };
  const where = { repo: `${t.owner}/${t.repo}`, pr: t.number, head: t.headSha };

  // An approval request is checked before anything is written: another label does nothing.
  let verdict: ApprovalVerdict | undefined;
  if (opts.approval) {
    const request = opts.approval;
    try {
      const v = await verifyApproval(request, {
        config: () => fetchPullConfig(octokit, t, opts.configPath ? { configPath: opts.configPath } : {}),
        permission: (login) => getPermission(octokit, t, login),
      });
      if (!v) {
        log.info({ ...where, via: request.via, by: request.by, label: request.label ?? null }, 'mlcost: not an approval mlcost acts on (another label, approvals off, or a bot); nothing to do');
        return finish();
      }
      verdict = v;
      log.info({ ...where, via: request.via, by: request.by, verdict: v.kind }, `mlcost: approval request by @${request.by}: ${v.kind}`);
    } catch (e) {
      const why = describeFailure(e);
      if (retryable(e)) {
        result.retry = why;
        log.warn({ ...where, err: e }, `mlcost: could not verify the approval, will retry: ${why}`);
        return finish();
      }
      verdict = { kind: 'deny', by: request.by, via: request.via, reason: `The approval asked for by @${request.by} could not be verified: ${why}` };
    }
  }

  try {
    result.checkRunId = opts.checkRunId ?? (await createCheckRun(octokit, t, inProgressOutput(t.headSha)));
  } catch (e) {
    const why = describeFailure(e);
    if (retryable(e)) {
      log.warn({ ...where, err: e }, `mlcost: could not create the check run, will retry: ${why}`);
      result.retry = why;
      return finish();
    }
    log.error({ ...where, err: e }, `mlcost: could not create the check run: ${why}`);
    if (!opts.continueWithoutCheckRun) {
      result.failure = why;
      return finish();
    }
  }

  if (result.checkRunId !== null && opts.checkRunId === undefined && opts.onCheckRun) {
    const id = result.checkRunId;
    await Promise.resolve()
      .then(() => opts.onCheckRun?.(id))
      .catch((e: unknown) => log.warn({ ...where, err: e, checkRunId: id }, 'mlcost: could not save the check run id with the job (a retry would create another)'));
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
      // Approvals: the label and the button while a guardrail fails, and the record in our comment.
      const approvals = opts.approvals !== false && config.config.approval.enabled;
      const ui = approvals ? { approveLabel: config.config.approval.label, approveButton: true } : {};
      const analysis = analyzePullRequest({
        base: gathered.base,
        head: gathered.head,
        readErrors: gathered.readErrors,
        config: config.config,
        configFile: config.file,
        book: deps.book,
        renderer: deps.renderer,
        headSha: t.headSha,
        presentation: ui,
      });
      result.analysis = analysis;
      const configNote = (c: CheckOutput): CheckOutput =>
        nothingToPrice && config.errors.length
          ? withNote(c, `${code(config.file)} on the base branch is invalid (${config.errors.length} problem${config.errors.length === 1 ? '' : 's'}); pull requests that change priced files fail until it is fixed.`)
          : c;
      const scope = scopeOf(t);
      const key = approvalKey();
      const decide = (state: Record<string, string> | null, currentHead: string | null) => {
        let v = verdict;
        if (v?.kind === 'grant' && v.via === 'button' && currentHead !== null && currentHead !== t.headSha.toLowerCase())
          v = { kind: 'deny', by: v.by, via: 'button', reason: `The "Approve cost" button selected by @${v.by} belongs to the check of an older commit (${t.headSha.slice(0, 7)}): approve on the check of the latest commit.` };
        return decideApproval({ verdict: v, previous: state ? decodeApproval(state, scope, key) : null, diff: analysis.diff, headSha: t.headSha, label: config.config.approval.label });
      };
      let decision = approvals ? decide(null, null) : null;
      let shown = decision
        ? analysis.present({ ...ui, ...(decision.approval ? { approval: decision.approval } : {}), approvalNotes: decision.notes })
        : { comment: analysis.comment, check: analysis.check };
      check = configNote(shown.check);
      try {
        let state = await readPullState(octokit, t);
        if (state.headSha !== t.headSha.toLowerCase()) {
          await new Promise((r) => setTimeout(r, deps.staleRecheckMs ?? STALE_RECHECK_MS));
          state = await readPullState(octokit, t);
        }
        if (approvals) {
          decision = decide(state.comments[0]?.state ?? {}, state.headSha);
          const markerState = decision.store ? encodeApproval(decision.store, scope, key) : {};
          shown = analysis.present({ ...ui, ...(decision.approval ? { approval: decision.approval } : {}), approvalNotes: decision.notes, markerState });
          check = configNote(shown.check);
        }
        // An approval to keep, or an answer to an approval request, needs the comment even where it would not be written.
        const mustWrite = decision !== null && (decision.store !== null || (verdict !== undefined && decision.notes.length > 0));
        result.comment = await writeComment(octokit, t, state, shown.comment, (exists) => {
          const action = commentAction(config.config.comment, { exists, nothingToPrice: analysis.nothingToPrice, costChanged: analysis.costChanged });
          return action === 'skip' && mustWrite && config.config.comment !== 'never' ? 'create' : action;
        });
      } catch (e) {
        if (retryable(e)) throw e;
        // The analysis stands; the check says the comment could not be written.
        const why = describeFailure(e);
        log.warn({ ...where, err: e }, `mlcost: could not write the comment: ${why}`);
        check = withNote(check, `The pull request comment could not be written: ${why}`);
        result.comment = { action: 'skipped', reason: `error: ${why}` };
      }
    }
  } catch (e) {
    if (retryable(e)) {
      result.retry = describeFailure(e);
      log.warn({ ...where, err: e }, `mlcost: analysis interrupted, will retry: ${result.retry}`);
      return finish();
    }
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
    if (retryable(e)) {
      result.retry = why;
      log.warn({ ...where, err: e, checkRunId: result.checkRunId }, `mlcost: could not complete the check run, will retry: ${why}`);
      return finish();
    }
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

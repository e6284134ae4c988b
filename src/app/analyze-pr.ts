/**
 * The analysis of one pull request, over plain data: the files of the affected projects at base
 * and head in, the diff, the PR comment and the check-run output out. Shared by the GitHub App and
 * the Action; it imports no probot and no Octokit, so both give the numbers the CLI gives.
 */
import type { PriceBook } from '../core/ports.js';
import type { AnalysisError, Breakdown, Conclusion, Diff, ProjectFiles } from '../core/types.js';
import { breakdown, diff as diffBreakdowns } from '../core/run.js';
import type { ConfigError, MlcostConfig, CommentMode } from '../policy/schema.js';
import type { Annotation, Approval, Renderer } from '../report/render.js';
import { CHECK_RUN_MAX_LENGTH, COMMENT_MAX_LENGTH } from '../report/render.js';
import { code, escapeMarkdown, isZero, plainText, shortSha } from '../report/format.js';
import { analyzers } from '../analyzers/index.js';
import { APPROVE_ACTION } from './approval.js';
import type { ProjectKind } from '../core/types.js';

/** The check run's name, as branch protection rules list it. */
export const CHECK_NAME = 'mlcost';
/** GitHub accepts at most 50 annotations per check-run request. */
export const ANNOTATIONS_PER_REQUEST = 50;
/** Annotations sent per check run (5 requests); the rest are counted in the text. */
export const MAX_ANNOTATIONS = 250;

export interface CheckOutput {
  title: string;
  summary: string;
  text?: string;
  conclusion: Conclusion;
  annotations: Annotation[];
  /** Buttons on the check run (`requested_action`), e.g. "Approve cost" while it fails. */
  actions?: { label: string; description: string; identifier: string }[];
}

/** How approvals show in the comment and the check run (src/app/approval.ts). */
export interface Presentation {
  /** The approval that applies: the check concludes success and both name who, when, for which head. */
  approval?: Approval;
  /** Notes about approvals (a label ignored, an approval that lapsed). */
  approvalNotes?: string[];
  /** State kept in the comment's marker (the approval record). */
  markerState?: Record<string, string>;
  /** The approval label, named in the footer while a guardrail fails. */
  approveLabel?: string;
  /** Offer the check run's "Approve cost" button while a guardrail fails. */
  approveButton?: boolean;
}

/** A file that could not be read from GitHub (too large, binary, missing), reported like an analysis error. */
export interface ReadError {
  side: 'base' | 'head';
  /** The project's path (`ProjectFiles.path`). */
  project: string;
  error: AnalysisError;
}

export interface PrAnalysisInput {
  base: ProjectFiles[];
  head: ProjectFiles[];
  readErrors?: ReadError[];
  config: MlcostConfig;
  configFile: string;
  book: PriceBook;
  renderer: Renderer;
  headSha: string;
  /** Approval display (none by default). */
  presentation?: Presentation;
}

export interface PrAnalysis {
  diff: Diff;
  /** No project of the change is one mlcost reads. */
  nothingToPrice: boolean;
  /** A resource was added, removed or changed in cost, or the total moved. */
  costChanged: boolean;
  comment: string;
  check: CheckOutput;
  /** The comment and the check again, with another presentation (an approval found or given later). */
  present(p: Presentation): { comment: string; check: CheckOutput };
}

function withReadErrors(b: Breakdown, errors: readonly ReadError[], side: 'base' | 'head'): Breakdown {
  const mine = errors.filter((e) => e.side === side);
  if (mine.length === 0) return b;
  return {
    ...b,
    projects: b.projects.map((p) => {
      const extra = mine.filter((e) => e.project === p.path).map((e) => e.error);
      return extra.length ? { ...p, errors: [...extra, ...p.errors] } : p;
    }),
  };
}

/** Analysis errors of head files as annotations (GitHub shows them on the line in "Files changed"). */
function errorAnnotations(head: Breakdown, headFiles: ReadonlySet<string>): Annotation[] {
  const out: Annotation[] = [];
  for (const p of head.projects) {
    for (const e of p.errors) {
      if (!headFiles.has(e.file) || !(e.line > 0)) continue;
      const warning = e.severity === 'warning';
      out.push({
        path: e.file,
        start_line: e.line,
        end_line: e.line,
        annotation_level: warning ? 'notice' : 'warning',
        message: plainText(e.message, { maxLength: 4000 }),
        title: warning ? 'mlcost: read with a caveat' : 'mlcost: could not read this',
      });
    }
  }
  return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : a.start_line - b.start_line));
}

export function costChanged(d: Diff): boolean {
  return d.resources.length > 0 || !isZero(d.totalMonthlyDelta);
}

/** Prices both sides, compares them and renders the comment and the check run. */
export function analyzePullRequest(input: PrAnalysisInput): PrAnalysis {
  const options = { config: input.config };
  const readErrors = input.readErrors ?? [];
  const base = withReadErrors(breakdown(input.base, input.book, options), readErrors, 'base');
  const head = withReadErrors(breakdown(input.head, input.book, options), readErrors, 'head');
  const d = diffBreakdowns(base, head, input.config, input.configFile);
  const nothingToPrice = input.base.length === 0 && input.head.length === 0;
  const headFiles = new Set(input.head.flatMap((p) => Object.keys(p.files)));
  const present = (p: Presentation): { comment: string; check: CheckOutput } => {
    const approvalOpts = {
      ...(p.approval ? { approval: p.approval } : {}),
      ...(p.approvalNotes?.length ? { approvalNotes: p.approvalNotes } : {}),
      ...(p.approveLabel ? { approveLabel: p.approveLabel } : {}),
      ...(p.approveButton ? { approveButton: `"${APPROVE_ACTION.label}"` } : {}),
    };
    const comment = input.renderer.renderComment(d, { headSha: input.headSha, maxLength: COMMENT_MAX_LENGTH, ...approvalOpts, ...(p.markerState ? { markerState: p.markerState } : {}) });
    let check: CheckOutput;
    if (nothingToPrice) {
      check = nothingToPriceCheck();
    } else {
      const out = input.renderer.renderCheckRun(d, { headSha: input.headSha, maxLength: CHECK_RUN_MAX_LENGTH, ...approvalOpts });
      const annotations = [...out.annotations, ...errorAnnotations(head, headFiles)];
      check = { title: out.title, summary: out.summary, text: out.text, conclusion: out.conclusion, annotations };
      if (annotations.length > MAX_ANNOTATIONS) {
        check.annotations = annotations.slice(0, MAX_ANNOTATIONS);
        check.text = appendWithin(out.text, `\n> ${annotations.length - MAX_ANNOTATIONS} more annotations are not shown on the files; they are listed above.\n`);
      }
      if (p.approveButton && check.conclusion === 'failure') check.actions = [{ ...APPROVE_ACTION }];
    }
    return { comment, check };
  };
  const { comment, check } = present(input.presentation ?? {});
  return { diff: d, nothingToPrice, costChanged: costChanged(d), comment, check, present };
}

function appendWithin(text: string, extra: string): string {
  return text.length + extra.length <= CHECK_RUN_MAX_LENGTH ? text + extra : text;
}

// ---------------------------------------------------------------------------------------------
// Check-run outputs for the other endings

export function inProgressOutput(headSha: string): { title: string; summary: string } {
  return {
    title: 'Pricing the infrastructure changes…',
    summary: `mlcost is reading the projects this pull request changes at ${code(shortSha(headSha))} and pricing them.`,
  };
}

const KIND_NAMES: Record<ProjectKind, string> = {
  terraform: 'Terraform',
  helm: 'Helm charts',
  kubernetes: 'Kubernetes manifests',
  pipeline: 'ML pipelines',
};

export function nothingToPriceCheck(): CheckOutput {
  const kinds = [...new Set(analyzers.map((a) => KIND_NAMES[a.kind] ?? a.kind))].join(', ');
  return {
    title: 'Nothing to price',
    summary:
      '### ✅ mlcost: nothing to price\n\n' +
      `No file of a project mlcost reads (${kinds}) changed in this pull request, so there is no cost change to report.\n`,
    conclusion: 'success',
    annotations: [],
  };
}

/** A broken `.mlcost.yml` (or a file it extends): a failed check whose summary names each key and line. */
export function configErrorCheck(errors: readonly ConfigError[], file: string, baseRef: string | null): CheckOutput {
  const lines = errors.slice(0, 50).map((e) => `- ${code(`${e.file}:${e.line}:${e.column}`)} ${e.key ? `${code(e.key)}: ` : ''}${escapeMarkdown(e.message)}`);
  if (errors.length > 50) lines.push(`- …and ${errors.length - 50} more`);
  const where = baseRef ? `the base branch ${code(baseRef)}` : 'the base branch';
  return {
    title: plainText(`mlcost: ${file} is invalid`, { maxLength: 200 }),
    summary:
      `### ❌ mlcost: ${code(file)} is invalid\n\n${lines.join('\n')}\n\n` +
      `mlcost reads its configuration from ${where}, so that a pull request cannot loosen its own thresholds: ` +
      'fix the file there (a change to it in this pull request takes effect once merged). Nothing was priced.\n',
    conclusion: 'failure',
    annotations: [],
  };
}

/** Something outside the analysis failed (a GitHub request, a timeout): say what, and how to retry. */
export function failureCheck(what: string): CheckOutput {
  return {
    title: 'mlcost could not analyse this pull request',
    summary:
      `### ❗ mlcost could not analyse this pull request\n\n${what}\n\n` +
      'Nothing was priced. Select **Re-run** on this check to try again.\n',
    conclusion: 'failure',
    annotations: [],
  };
}

// ---------------------------------------------------------------------------------------------
// The comment

export type CommentAction = 'create' | 'update' | 'skip';

/**
 * Whether to write the PR comment. An existing comment is always kept up to date (unless the mode
 * is `never`); a new one is created for a priced change, or with `on-change` only when the cost
 * moves. A pull request that touches no priced file never gets a new comment.
 */
export function commentAction(mode: CommentMode, state: { exists: boolean; nothingToPrice: boolean; costChanged: boolean }): CommentAction {
  if (mode === 'never') return 'skip';
  if (state.exists) return 'update';
  if (state.nothingToPrice) return 'skip';
  if (mode === 'on-change' && !state.costChanged) return 'skip';
  return 'create';
}

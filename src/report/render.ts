/**
 * Renders the view models with Handlebars, within GitHub's size limits, and lays out terminal
 * tables. No IO: the template sources come in as arguments (`createRenderer`); the CLI, the
 * Action and the App get them from `src/adapters/templates.ts` (`loadTemplates` / `loadRenderer`).
 *
 * Size limit (`fit`): the full model is rendered first; when it is too long, the search cuts, in
 * this order and each time keeping as much as fits: per-resource details (whole resources, the
 * smallest changes first; a project whose resources are all cut loses its whole `<details>`),
 * then the lists (biggest changes, findings, errors, assumptions, ... with `…and N more`), then
 * project-table rows (the total row stays), then everything but the headline and the project
 * table. Cuts are made on the model, so no output is ever cut inside a row, a tag or a code span.
 */
import Handlebars from 'handlebars';
import type { Breakdown, Conclusion, Diff } from '../core/types.js';
import {
  buildAnnotations,
  buildTextReport,
  diffTitles,
  NO_LIMITS,
  prepareBreakdownModel,
  prepareCommentModel,
} from './view-model.js';
import type { Annotation, Approval, CommentOptions, Limits, Prepared, TextReport, TextTable } from './view-model.js';

export { COMMENT_MARKER, commentMarker, parseCommentMarker } from './view-model.js';
export type { Annotation, Approval, CommentOptions } from './view-model.js';

/** GitHub rejects issue comments longer than this. */
export const COMMENT_MAX_LENGTH = 65536;
/** GitHub rejects check-run `output.summary` / `output.text` longer than this. */
export const CHECK_RUN_MAX_LENGTH = 65535;

/** Templates the renderer needs; `partials/<name>` are registered as partial `<name>`. */
export const REQUIRED_TEMPLATES = ['comment', 'check-summary', 'check-text', 'breakdown'] as const;

export interface CheckRunOptions {
  headSha?: string;
  /** For summary and text each; default 65,535. */
  maxLength?: number;
  /** A maintainer approved the breach: conclusion `success`, the summary says who, when, for which head. */
  approval?: Approval;
  /** Notes about approvals (see CommentOptions). */
  approvalNotes?: string[];
  /** Named in the summary's footer while a guardrail fails (see CommentOptions). */
  approveLabel?: string;
  approveButton?: string;
}

export interface CheckRunOutput {
  name: 'mlcost';
  title: string;
  summary: string;
  /** Findings, errors, assumptions and gaps; empty when there is none. */
  text: string;
  /** All of them: GitHub accepts 50 per request, the publisher must send them in batches. */
  annotations: Annotation[];
  conclusion: Conclusion;
}

export interface TableOptions {
  /** ANSI colour (bold titles, red increases, green decreases). Off unless asked. */
  color?: boolean;
}

export interface BreakdownMarkdownOptions {
  /** No limit unless given. */
  maxLength?: number;
}

export interface Renderer {
  renderComment(diff: Diff, opts?: CommentOptions): string;
  renderBreakdownMarkdown(breakdown: Breakdown, opts?: BreakdownMarkdownOptions): string;
  renderCheckRun(diff: Diff, opts?: CheckRunOptions): CheckRunOutput;
  renderTable(input: Breakdown | Diff, opts?: TableOptions): string;
}

/** Blank-line hygiene after templating: no runs of blank lines, no leading blank, one final newline. */
function tidy(s: string): string {
  const body = s.replace(/[ \t]+\n/g, '\n').replace(/\n{3,}/g, '\n\n').trim();
  return body ? `${body}\n` : '';
}

/** Largest n in [0, hi] for which `fits(n)` holds (0 when none does); `fits` must be monotonic. */
function largestFitting(hi: number, fits: (n: number) => boolean): number {
  let lo = 1;
  let best = 0;
  let top = hi;
  while (lo <= top) {
    const mid = Math.floor((lo + top) / 2);
    if (fits(mid)) {
      best = mid;
      lo = mid + 1;
    } else {
      top = mid - 1;
    }
  }
  return best;
}

/** Renders `prepared` as fully as `max` characters allow. See the file comment. */
export function fit<M>(prepared: Prepared<M>, render: (model: M) => string, max: number): string {
  const attempt = (l: Limits): string => render(prepared.shape(l));
  let limits: Limits = { ...NO_LIMITS };
  let out = attempt(limits);
  if (out.length <= max) return out;

  const stages: [keyof Pick<Limits, 'detailResources' | 'listItems' | 'projectRows'>, number][] = [
    ['detailResources', prepared.sizes.resources],
    ['listItems', prepared.sizes.listItems],
    ['projectRows', prepared.sizes.projectRows],
  ];
  for (const [key, size] of stages) {
    const base = limits;
    const n = largestFitting(size, (k) => attempt({ ...base, [key]: k }).length <= max);
    limits = { ...base, [key]: n };
    out = attempt(limits);
    if (out.length <= max) return out;
  }
  out = attempt({ ...limits, minimal: true });
  if (out.length <= max) return out;
  // Only plain lines and table rows are left: cut at the last whole line.
  const cut = out.lastIndexOf('\n', max - 1);
  return cut > 0 ? out.slice(0, cut + 1) : '';
}

/** Compiles the templates (Handlebars with `noEscape`: all escaping is done by the view model). */
export function createRenderer(templates: Record<string, string>): Renderer {
  const missing = REQUIRED_TEMPLATES.filter((name) => typeof templates[name] !== 'string');
  if (missing.length) throw new Error(`missing report templates: ${missing.join(', ')}`);
  const hb = Handlebars.create();
  const compile = (src: string): HandlebarsTemplateDelegate => hb.compile(src, { noEscape: true, strict: false });
  for (const [name, src] of Object.entries(templates)) {
    if (name.startsWith('partials/')) hb.registerPartial(name.slice('partials/'.length), compile(src));
  }
  const tpl = (name: (typeof REQUIRED_TEMPLATES)[number]): ((model: unknown) => string) => {
    const t = compile(templates[name] as string);
    return (model) => tidy(t(model));
  };
  const comment = tpl('comment');
  const checkSummary = tpl('check-summary');
  const checkText = tpl('check-text');
  const breakdown = tpl('breakdown');

  return {
    renderComment(diff, opts = {}) {
      return fit(prepareCommentModel(diff, opts), comment, opts.maxLength ?? COMMENT_MAX_LENGTH);
    },
    renderBreakdownMarkdown(b, opts = {}) {
      return fit(prepareBreakdownModel(b), breakdown, opts.maxLength ?? Infinity);
    },
    renderCheckRun(diff, opts = {}) {
      const max = opts.maxLength ?? CHECK_RUN_MAX_LENGTH;
      const prepared = prepareCommentModel(diff, {
        ...(opts.headSha ? { headSha: opts.headSha } : {}),
        ...(opts.approval ? { approval: opts.approval } : {}),
        ...(opts.approvalNotes?.length ? { approvalNotes: opts.approvalNotes } : {}),
        ...(opts.approveLabel ? { approveLabel: opts.approveLabel } : {}),
        ...(opts.approveButton ? { approveButton: opts.approveButton } : {}),
      });
      const title = diffTitles(diff).title;
      return {
        name: 'mlcost',
        title: opts.approval ? `${title} · approved` : title,
        summary: fit(prepared, checkSummary, max),
        text: fit(prepared, checkText, max),
        annotations: buildAnnotations(diff),
        conclusion: opts.approval ? 'success' : diff.policy.conclusion,
      };
    },
    renderTable,
  };
}

// ---------------------------------------------------------------------------------------------
// Terminal

const ANSI = { bold: '\u001b[1m', red: '\u001b[31m', green: '\u001b[32m', dim: '\u001b[2m', reset: '\u001b[0m' };

function width(s: string): number {
  return Array.from(s).length;
}

function pad(s: string, w: number, align: 'left' | 'right'): string {
  const fill = ' '.repeat(Math.max(0, w - width(s)));
  return align === 'right' ? fill + s : s + fill;
}

function layoutTable(t: TextTable, color: boolean): string[] {
  const paint = (s: string, c: string): string => (color ? `${c}${s}${ANSI.reset}` : s);
  const widths = t.columns.map((col, i) => Math.max(width(col.header), ...t.rows.map((r) => width(r.cells[i] ?? ''))));
  const toneColumn = t.columns.findIndex((c) => c.header === 'Change');
  const line = (cells: string[], tone?: 'up' | 'down'): string =>
    cells
      .map((cell, i) => {
        const col = t.columns[i];
        const text = pad(cell, widths[i] ?? 0, col?.align ?? 'left');
        return tone && i === toneColumn ? paint(text, tone === 'up' ? ANSI.red : ANSI.green) : text;
      })
      .join('  ')
      .replace(/\s+$/, '');
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  const out: string[] = [];
  if (t.title) out.push(paint(t.title, ANSI.bold));
  out.push(paint(line(t.columns.map((c) => c.header)), ANSI.dim), rule);
  for (const row of t.rows) {
    if (row.emphasis === 'total') out.push(rule);
    out.push(row.emphasis === 'total' && color ? paint(line(row.cells), ANSI.bold) : line(row.cells, row.tone));
  }
  return out;
}

function layoutReport(r: TextReport, color: boolean): string {
  const out: string[] = [color ? `${ANSI.bold}${r.headline}${ANSI.reset}` : r.headline];
  for (const block of r.blocks) {
    out.push('');
    if (block.kind === 'table') out.push(...layoutTable(block.table, color));
    else out.push(color ? `${ANSI.bold}${block.title}${ANSI.reset}` : block.title, ...block.lines.map((l) => `  ${l}`));
  }
  out.push('', r.footer);
  return `${out.join('\n')}\n`;
}

/**
 * Plain text for a terminal: aligned columns, the same figures as the markdown reports, user text
 * stripped of control characters (no ANSI injection). Colour only with `{ color: true }`.
 */
export function renderTable(input: Breakdown | Diff, opts: TableOptions = {}): string {
  return layoutReport(buildTextReport(input), opts.color === true);
}

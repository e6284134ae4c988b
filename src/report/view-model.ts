/**
 * Report view models: everything a template places is computed here, already rounded, sorted,
 * formatted and escaped. Templates (Handlebars, `noEscape: true`) only place these strings.
 *
 * Each model is built in two steps so that render.ts can fit a comment into GitHub's size limit:
 * `prepare*` does the work once and returns `shape(limits)`, which cuts whole resources, whole
 * projects' details and list items, and writes the notes that say what was cut.
 */
import type {
  AnalysisError,
  Breakdown,
  CostComponent,
  Diff,
  Finding,
  PricedResource,
  PricesMeta,
  ProjectBreakdown,
  ProjectKind,
  ResourceChange,
  Severity,
} from '../core/types.js';
import {
  code,
  codeLocation,
  escapeMarkdown,
  formatCount,
  formatDelta,
  formatPercent,
  formatQuantity,
  formatUnitPrice,
  formatUsd,
  isZero,
  plainText,
  shortSha,
} from './format.js';
import { HOURS_PER_MONTH } from '../pricing/cost.js';

// ---------------------------------------------------------------------------------------------
// The marker that lets the app find and update its own comment

/** Every mlcost comment starts with this (then ` head=<sha|none> -->`). */
export const COMMENT_MARKER = '<!-- mlcost:comment v1';

const SHA_RE = /^[0-9a-f]{4,64}$/i;

function cleanSha(sha: string | null | undefined): string | null {
  return sha && SHA_RE.test(sha) ? sha.toLowerCase() : null;
}

/** Keys and values the marker may carry besides `head` (state the App keeps, such as an approval). */
const STATE_KEY = /^[a-z][a-z-]{0,30}$/;
const STATE_VALUE = /^[A-Za-z0-9._:,+@\[\]-]{0,2000}$/;

/**
 * `<!-- mlcost:comment v1 head=<sha> [key=value ...] -->`; a missing or malformed SHA is written
 * `none`. `state` values are kept only when they are plain tokens (they can never close the comment).
 */
export function commentMarker(headSha?: string | null, state: Record<string, string> = {}): string {
  const extra = Object.entries(state)
    .filter(([k, v]) => k !== 'head' && STATE_KEY.test(k) && STATE_VALUE.test(v))
    .map(([k, v]) => ` ${k}=${v}`)
    .join('');
  return `${COMMENT_MARKER} head=${cleanSha(headSha) ?? 'none'}${extra} -->`;
}

/**
 * Reads the marker at the very start of a comment body. null: not an mlcost comment.
 * `headSha` is null for `head=none` or an unreadable value; `state` holds the other `key=value`
 * tokens. Callers must still check that the comment was written by the app itself: anybody can post
 * a body that starts with the marker.
 */
export function parseCommentMarker(body: string): { headSha: string | null; state: Record<string, string> } | null {
  const m = /^<!-- mlcost:comment v1 head=(\S*)((?: [^\n]*?)?) -->/.exec(body.replace(/^\uFEFF/, '').trimStart());
  if (!m) return null;
  const state: Record<string, string> = {};
  for (const token of (m[2] ?? '').trim().split(/\s+/)) {
    const i = token.indexOf('=');
    if (i <= 0) continue;
    const k = token.slice(0, i);
    const v = token.slice(i + 1);
    if (STATE_KEY.test(k) && STATE_VALUE.test(v) && k !== 'head') state[k] = v;
  }
  return { headSha: cleanSha(m[1]), state };
}

// ---------------------------------------------------------------------------------------------
// Limits (how much of a model to keep)

export interface Limits {
  /** Resources, by rank (biggest |delta| first), whose rows stay in the per-project details. */
  detailResources: number;
  /** Items per list. Biggest changes are also capped at 10, analysis errors at 20. */
  listItems: number;
  /** Rows of the project table; the total row always stays. */
  projectRows: number;
  /** Keep only the headline, the project table, the size note and the footer. */
  minimal: boolean;
}

export const NO_LIMITS: Limits = { detailResources: Infinity, listItems: Infinity, projectRows: Infinity, minimal: false };

export const BIGGEST_CHANGES_MAX = 10;
export const ERRORS_MAX = 20;

/** How many items each cuttable part holds, for the fitting search in render.ts. */
export interface Sizes {
  resources: number;
  listItems: number;
  projectRows: number;
}

export interface Prepared<M> {
  sizes: Sizes;
  shape(limits: Limits): M;
}

// ---------------------------------------------------------------------------------------------
// Models placed by the templates

export interface ListModel<T> {
  items: T[];
  /** `…and N more`, or null. */
  more: string | null;
}

export interface ProjectRowModel {
  name: string;
  base: string;
  head: string;
  delta: string;
}

export interface ProjectTableModel {
  rows: ProjectRowModel[];
  /** `…and N more projects` row (name only), or null. */
  more: string | null;
  total: ProjectRowModel;
}

export interface ChangeItem {
  icon: string;
  address: string;
  amount: string;
  detail: string | null;
  location: string | null;
}

export interface FindingItem {
  icon: string;
  rule: string;
  severity: Severity;
  message: string;
  location: string | null;
  savings: string | null;
}

export interface FindingGroup extends ListModel<FindingItem> {
  title: string;
}

export interface SavingItem {
  rule: string;
  address: string | null;
  amount: string;
  location: string | null;
}

export interface SavingsModel extends ListModel<SavingItem> {
  /** `Up to $2,058 / month in all`, when there is more than one item. */
  total: string | null;
}

export interface IgnoredItem {
  rule: string;
  address: string | null;
  reason: string;
  location: string | null;
}

export interface ErrorItem {
  icon: string;
  location: string | null;
  message: string;
}

export interface NoteItem {
  subject: string;
  text: string;
}

export interface NotesModel {
  summary: string;
  assumptions: ListModel<NoteItem> | null;
  usage: ListModel<NoteItem> | null;
  unpriced: ListModel<NoteItem> | null;
  unsupported: ListModel<NoteItem> | null;
}

export interface DiffRowModel {
  resource: string;
  component: string;
  quantity: string;
  unitPrice: string;
  base: string;
  head: string;
  delta: string;
}

export interface CostRowModel {
  resource: string;
  component: string;
  quantity: string;
  unitPrice: string;
  cost: string;
}

export interface ProjectDetailsModel<R> {
  summary: string;
  rows: R[];
}

export interface CommentModel {
  marker: string;
  /** Without the `###`: `💰 mlcost: **+$4,366 / month** (+38%) · ❌ 1 guardrail failed`. */
  headline: string;
  /** Who approved a breach, when and for which head, or null. */
  approval: string | null;
  /** Notes about approvals: a label ignored, an approval that no longer applies. */
  approvalNotes: string[] | null;
  projects: ProjectTableModel;
  biggestChanges: ListModel<ChangeItem> | null;
  findings: FindingGroup[] | null;
  /** Findings with a priced saving, and their sum. */
  savings: SavingsModel | null;
  /** Findings silenced by `# mlcost:ignore`, with the reasons. */
  ignored: ListModel<IgnoredItem> | null;
  errors: ListModel<ErrorItem> | null;
  details: ProjectDetailsModel<DiffRowModel>[] | null;
  /** Says how many resources were left out to fit the size limit, or null. */
  sizeNote: string | null;
  notes: NotesModel | null;
  footer: string;
}

export interface BreakdownProjectRow {
  name: string;
  cost: string;
}

export interface BreakdownModel {
  headline: string;
  projects: { rows: BreakdownProjectRow[]; more: string | null; total: BreakdownProjectRow };
  errors: ListModel<ErrorItem> | null;
  details: ProjectDetailsModel<CostRowModel>[] | null;
  sizeNote: string | null;
  notes: NotesModel | null;
  footer: string;
}

export interface Approval {
  /** GitHub login of the maintainer who approved. */
  by: string;
  /** When (ISO date or date-time). */
  at: string;
  /** Head SHA the approval was given for. */
  headSha?: string;
}

export interface CommentOptions {
  headSha?: string;
  /** Characters; used by render.ts (GitHub: 65,536 for comments). */
  maxLength?: number;
  /** Label a maintainer puts on the PR to approve a breach; named in the footer when one fails. */
  approveLabel?: string;
  /** A maintainer's approval of the breach: shown, and the check's conclusion is success. */
  approval?: Approval;
  /** Notes about approvals, plain text (`code` between backticks): a label ignored and why, an approval that lapsed. */
  approvalNotes?: string[];
  /** Button to approve, named in the footer beside the label (`Approve cost`). */
  approveButton?: string;
  /** State kept in the comment's marker (see `commentMarker`). */
  markerState?: Record<string, string>;
}

// ---------------------------------------------------------------------------------------------
// Sorting

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function deltaGroup(d: number | null): number {
  if (d === null || !Number.isFinite(d)) return 1;
  return isZero(d) ? 2 : 0;
}

/**
 * Biggest |delta| first; unknown deltas after every known non-zero one (they may be large), zeros
 * last; ties by `key` (address, then project).
 */
export function compareByDelta(a: { delta: number | null; key: string }, b: { delta: number | null; key: string }): number {
  const ga = deltaGroup(a.delta);
  const gb = deltaGroup(b.delta);
  if (ga !== gb) return ga - gb;
  if (ga === 0) {
    const d = Math.abs(b.delta as number) - Math.abs(a.delta as number);
    if (d !== 0) return d;
  }
  return compareText(a.key, b.key);
}

function sortedBy<T>(items: readonly T[], delta: (t: T) => number | null, key: (t: T) => string): T[] {
  return items
    .map((item) => ({ item, delta: delta(item), key: key(item) }))
    .sort(compareByDelta)
    .map((x) => x.item);
}

// ---------------------------------------------------------------------------------------------
// Small shared pieces

const KIND_LABEL: Record<ProjectKind, string> = {
  terraform: 'Terraform',
  helm: 'Helm',
  kubernetes: 'Kubernetes',
  pipeline: 'pipeline',
};

const SEVERITY_ORDER: Severity[] = ['error', 'warning', 'info'];
const SEVERITY_ICON: Record<Severity, string> = { error: '❌', warning: '⚠️', info: '💡' };
const SEVERITY_TITLE: Record<Severity, string> = {
  error: 'Guardrails failed',
  warning: 'Warnings',
  info: 'Advice',
};

const NAME_MAX = 200;
const MESSAGE_MAX = 1000;
const PLUS_UNKNOWN = ' + unknown';
const ABSENT = '–';
const SIZE_NOTE_TAIL = "the comment reached GitHub's size limit; run `mlcost diff` locally for the full breakdown";

function addr(address: string): string {
  return code(address, { maxLength: NAME_MAX });
}

function text(s: string): string {
  return escapeMarkdown(s, { maxLength: MESSAGE_MAX });
}

/**
 * A finding's message: plain text, where `backtick` segments become code spans. Every segment is
 * escaped, so user text in a message can never turn into markup.
 */
function richText(s: string, max = MESSAGE_MAX): string {
  const cut = s.length > max ? `${s.slice(0, max - 1)}…` : s;
  const parts = cut.split('`');
  if (parts.length % 2 === 0) return escapeMarkdown(cut, { maxLength: max });
  return parts.map((part, i) => (i % 2 === 1 ? (part ? code(part, { maxLength: NAME_MAX }) : '') : escapeMarkdown(part))).join('');
}

/** How user text is written: escaped markdown for GitHub, plain (control characters removed) for terminals. */
interface Style {
  text(s: string): string;
  code(s: string): string;
}

const MARKDOWN: Style = { text, code: addr };
const PLAIN: Style = { text: (s) => plainText(s), code: (s) => plainText(s) };

function location(file: string | null | undefined, line: number | null | undefined, st: Style): string | null {
  if (st === MARKDOWN) return codeLocation(file, line);
  return file ? plainText(typeof line === 'number' && line > 0 ? `${file}:${line}` : file) : null;
}

function moreText(hidden: number, noun?: string): string | null {
  if (hidden <= 0) return null;
  return `…and ${hidden.toLocaleString('en-US')} more${noun ? ` ${noun}` : ''}`;
}

function capList<T>(items: T[], cap: number, noun?: string): ListModel<T> | null {
  if (items.length === 0) return null;
  const kept = Number.isFinite(cap) ? items.slice(0, Math.max(0, cap)) : items;
  return { items: kept, more: moreText(items.length - kept.length, noun) };
}

function headlineMoney(n: number | null): string {
  return formatUsd(n, { precision: 'headline' });
}

function headlineDelta(n: number | null): string {
  return formatDelta(n, { precision: 'headline' });
}

/** Every resource and subresource of a list, depth first. */
function flatten(resources: readonly PricedResource[]): PricedResource[] {
  const out: PricedResource[] = [];
  const walk = (r: PricedResource): void => {
    out.push(r);
    r.subresources.forEach(walk);
  };
  resources.forEach(walk);
  return out;
}

/**
 * Where to give the usage: `.mlcost.yml` keys `usage:` by resource address (or type), and the
 * component's `usageKey` is relative to that entry (`standard.storage_gb`).
 */
function usageHint(c: CostComponent, address: string, st: Style = MARKDOWN): string {
  const where = `for ${st.code(address)} under ${st.code('usage:')} in ${st.code('.mlcost.yml')}`;
  return c.usageKey ? `set ${st.code(c.usageKey)} ${where}` : `set it ${where}`;
}

/** `730 hours`, `4 → 6 pod-months (assumed)`, `depends on usage: set x for <address> under usage: ...`. */
function quantityText(c: CostComponent, address: string, other?: CostComponent, st: Style = MARKDOWN): string {
  let q: string;
  if (c.monthlyQuantity === null) {
    q = c.usageBased ? `depends on usage: ${usageHint(c, address, st)}` : 'unknown';
  } else if (other && other.monthlyQuantity !== null && other.monthlyQuantity !== c.monthlyQuantity) {
    q = `${formatQuantity(other.monthlyQuantity, '')} → ${formatQuantity(c.monthlyQuantity, st.text(c.unit))}`;
  } else {
    q = formatQuantity(c.monthlyQuantity, st.text(c.unit));
  }
  return c.assumption ? `${q} (assumed)` : q;
}

function unitPriceText(c: CostComponent, unpricedReason: string | undefined, other?: CostComponent, st: Style = MARKDOWN): string {
  if (c.unitPrice === null) return unpricedReason ? `no price: ${st.text(unpricedReason)}` : 'no price';
  // The team's rates (`pricing:`): the effective price, and the list price when they differ.
  const list = c.listUnitPrice !== undefined && c.listUnitPrice !== c.unitPrice ? ` (list ${formatUnitPrice(c.listUnitPrice, '')})` : '';
  if (other && other.unitPrice !== null && other.unitPrice !== c.unitPrice) {
    return `${formatUnitPrice(other.unitPrice, '')} → ${formatUnitPrice(c.unitPrice, st.text(c.unit))}${list}`;
  }
  return `${formatUnitPrice(c.unitPrice, st.text(c.unit))}${list}`;
}

/** Monthly cost, with the cost at list price when the team's rates make them differ. */
function costText(c: CostComponent): string {
  const list = c.listMonthlyCost !== undefined && c.listMonthlyCost !== null && c.listMonthlyCost !== c.monthlyCost;
  return list ? `${formatUsd(c.monthlyCost)} (list ${formatUsd(c.listMonthlyCost)})` : formatUsd(c.monthlyCost);
}

/** Pairs base and head components by name (and occurrence of the name): head order, then base-only. */
function pairComponents(
  base: readonly CostComponent[],
  head: readonly CostComponent[],
): { base?: CostComponent; head?: CostComponent }[] {
  const key = (list: readonly CostComponent[]): string[] => {
    const seen = new Map<string, number>();
    return list.map((c) => {
      const n = seen.get(c.name) ?? 0;
      seen.set(c.name, n + 1);
      return `${c.name}\u0000${n}`;
    });
  };
  const baseKeys = key(base);
  const headKeys = key(head);
  const baseByKey = new Map(baseKeys.map((k, i) => [k, base[i] as CostComponent]));
  const pairs: { base?: CostComponent; head?: CostComponent }[] = head.map((h, i) => {
    const b = baseByKey.get(headKeys[i] as string);
    return b ? { base: b, head: h } : { head: h };
  });
  const headSet = new Set(headKeys);
  baseKeys.forEach((k, i) => {
    if (!headSet.has(k)) pairs.push({ base: base[i] as CostComponent });
  });
  return pairs;
}

function minus(head: number | null | undefined, base: number | null | undefined): number | null {
  if (head === null || base === null) return null;
  return (head ?? 0) - (base ?? 0);
}

function sideCost(present: boolean, cost: number | null | undefined): string {
  return present ? formatUsd(cost ?? null) : ABSENT;
}

// ---------------------------------------------------------------------------------------------
// Notes: assumptions, usage, not priced, unsupported (from one breakdown)

interface PreparedNotes {
  assumptions: NoteItem[];
  usage: NoteItem[];
  unpriced: NoteItem[];
  unsupported: NoteItem[];
  unsupportedResources: number;
}

function prepareNotes(projects: readonly ProjectBreakdown[], st: Style = MARKDOWN): PreparedNotes {
  const assumptions: (NoteItem & { key: string })[] = [];
  const usage: (NoteItem & { key: string })[] = [];
  const unpriced: (NoteItem & { key: string })[] = [];
  const seen = new Set<string>();
  const push = (list: (NoteItem & { key: string })[], key: string, item: NoteItem): void => {
    const k = `${list === assumptions ? 'a' : list === usage ? 'u' : 'p'}\u0000${key}\u0000${item.text}`;
    if (seen.has(k)) return;
    seen.add(k);
    list.push({ ...item, key });
  };
  for (const project of projects) {
    for (const r of flatten(project.resources)) {
      for (const c of r.costComponents) {
        const subject = `${st.code(r.address)} · ${st.text(c.name)}`;
        const key = `${r.address}\u0000${c.name}`;
        if (c.assumption) push(assumptions, key, { subject, text: st.text(c.assumption) });
        if (c.usageBased && c.monthlyQuantity === null) {
          const price = c.unitPrice === null ? 'no price' : formatUnitPrice(c.unitPrice, st.text(c.unit));
          push(usage, key, { subject, text: `${price}; ${usageHint(c, r.address, st)}` });
        }
      }
      for (const u of r.unpriced) {
        push(unpriced, `${r.address}\u0000${u.component}`, {
          subject: `${st.code(r.address)} · ${st.text(u.component)}`,
          text: st.text(u.reason),
        });
      }
      // A resource unknown only because usage is missing is listed under "depends on usage".
      const waitsForUsage = r.costComponents.some((c) => c.usageBased && c.monthlyQuantity === null);
      if (r.monthlyCost === null && r.unpriced.length === 0 && !waitsForUsage) {
        push(unpriced, r.address, { subject: st.code(r.address), text: 'no part of it could be priced' });
      }
    }
  }
  const byType = new Map<string, { count: number; reason: string }>();
  for (const project of projects) {
    const counts = project.unsupportedCounts;
    const reasons = new Map<string, string>();
    for (const u of project.unsupported) if (!reasons.has(u.type)) reasons.set(u.type, u.reason);
    const entries: [string, number][] = counts
      ? Object.entries(counts)
      : [...project.unsupported.reduce((m, u) => m.set(u.type, (m.get(u.type) ?? 0) + 1), new Map<string, number>())];
    for (const [type, count] of entries) {
      const prev = byType.get(type);
      byType.set(type, { count: (prev?.count ?? 0) + count, reason: prev?.reason || reasons.get(type) || '' });
    }
  }
  const unsupportedEntries = [...byType].sort((a, b) => b[1].count - a[1].count || compareText(a[0], b[0]));
  const byKey = (a: { key: string }, b: { key: string }): number => compareText(a.key, b.key);
  const strip = (items: (NoteItem & { key: string })[]): NoteItem[] =>
    items.sort(byKey).map(({ subject, text: t }) => ({ subject, text: t }));
  return {
    assumptions: strip(assumptions),
    usage: strip(usage),
    unpriced: strip(unpriced),
    unsupported: unsupportedEntries.map(([type, { count, reason }]) => ({
      subject: `${st.code(type)} × ${count.toLocaleString('en-US')}`,
      text: reason ? st.text(reason) : 'not supported yet',
    })),
    unsupportedResources: unsupportedEntries.reduce((n, [, v]) => n + v.count, 0),
  };
}

function shapeNotes(n: PreparedNotes, cap: number): NotesModel | null {
  const parts: string[] = [];
  if (n.assumptions.length) parts.push(formatCount(n.assumptions.length, 'assumption'));
  if (n.usage.length) parts.push(`${formatCount(n.usage.length, 'cost')} depending on usage`);
  if (n.unpriced.length) parts.push(`${n.unpriced.length.toLocaleString('en-US')} not priced`);
  if (n.unsupportedResources) parts.push(`${formatCount(n.unsupportedResources, 'unsupported resource')}`);
  if (parts.length === 0) return null;
  return {
    summary: parts.join(' · '),
    assumptions: capList(n.assumptions, cap),
    usage: capList(n.usage, cap),
    unpriced: capList(n.unpriced, cap),
    unsupported: capList(n.unsupported, cap, 'types'),
  };
}

function prepareErrors(projects: readonly ProjectBreakdown[], st: Style = MARKDOWN): ErrorItem[] {
  const all: AnalysisError[] = projects.flatMap((p) => p.errors);
  return [...all]
    .sort((a, b) => compareText(a.file, b.file) || a.line - b.line || compareText(a.message, b.message))
    .map((e) => ({
      icon: e.severity === 'warning' ? '⚠️' : '❗',
      location: location(e.file, e.line, st),
      message: st.text(e.message),
    }));
}

/** Within one severity: biggest saving first, then rule, file, line, message. */
function compareFindings(a: Finding, b: Finding): number {
  return (
    (b.monthlySavings ?? -1) - (a.monthlySavings ?? -1) ||
    compareText(a.rule, b.rule) ||
    compareText(a.file ?? '', b.file ?? '') ||
    (a.line ?? 0) - (b.line ?? 0) ||
    compareText(a.message, b.message)
  );
}

function sortFindings(findings: readonly Finding[]): Finding[] {
  return [...findings].sort(
    (a, b) => SEVERITY_ORDER.indexOf(a.severity) - SEVERITY_ORDER.indexOf(b.severity) || compareFindings(a, b),
  );
}

function footerText(
  metas: (PricesMeta | undefined)[],
  headSha: string | null,
  extra: string[] = [],
  st: Style = MARKDOWN,
): string {
  const meta = metas.find((m): m is PricesMeta => m !== undefined);
  const parts: string[] = [];
  if (meta) {
    const source =
      meta.source === 'live' ? 'AWS Price List API refresh of' : meta.source === 'file' ? 'snapshot file' : 'embedded snapshot';
    const oldest = metas
      .map((m) => m?.oldestPriceDate)
      .filter((d): d is string => typeof d === 'string' && d.length > 0)
      .sort()[0];
    const rates = meta.teamRates ? "the team's rates (.mlcost.yml pricing:) over AWS list prices" : 'AWS list prices';
    parts.push(`Prices: ${rates}, ${source} ${st.text(meta.capturedAt)}`);
    if (oldest) parts.push(`oldest price used ${st.text(oldest)}`);
  }
  parts.push(`${HOURS_PER_MONTH} h/month`);
  if (headSha) parts.push(`updated for ${shortSha(headSha)}`);
  parts.push(...extra);
  return parts.join(' · ');
}

// ---------------------------------------------------------------------------------------------
// Headline (diff)

interface HeadlineParts {
  /** Markdown, for comments and check summaries. */
  markdown: string;
  /** Plain, for the check-run title: `+$4,366/month (+38%) · 1 guardrail failed`. */
  title: string;
  /** Plain, for the terminal. */
  plain: string;
}

function countSeverity(findings: readonly Finding[], s: Severity): number {
  return findings.filter((f) => f.severity === s).length;
}

/** True when the diff has nothing to price: no project and no resource changed. */
export function hasNoChanges(diff: Diff): boolean {
  return diff.resources.length === 0 && diff.projects.every((p) => isZero(p.delta));
}

function diffHeadline(diff: Diff): HeadlineParts {
  const findings = diff.policy.findings;
  const errors = countSeverity(findings, 'error');
  const warnings = countSeverity(findings, 'warning');
  const status: string[] = [];
  const statusPlain: string[] = [];
  if (errors) {
    status.push(`❌ ${formatCount(errors, 'guardrail')} failed`);
    statusPlain.push(`${formatCount(errors, 'guardrail')} failed`);
  }
  if (warnings) {
    status.push(`⚠️ ${formatCount(warnings, 'warning')}`);
    statusPlain.push(formatCount(warnings, 'warning'));
  }
  if (!errors && !warnings) {
    status.push('✅ within thresholds');
    statusPlain.push('within thresholds');
  }

  const unknownCount = diff.resources.filter((r) => r.delta === null).length;
  const knownMoves = diff.resources.some((r) => r.delta !== null && !isZero(r.delta));
  const total = diff.totalMonthlyDelta;
  const notPriced = `${formatCount(unknownCount, 'change')} not priced`;
  let amount: string; // placed in bold
  let amountPlain: string;
  let note = ''; // after the amount
  if (hasNoChanges(diff)) {
    amount = '$0.00 / month';
    amountPlain = '$0.00/month';
    note = ' (no infrastructure changes to price)';
  } else if (isZero(total) && unknownCount > 0 && !knownMoves) {
    amount = 'unknown / month';
    amountPlain = 'unknown/month';
    note = ` (${notPriced})`;
  } else {
    const money = isZero(total) ? formatUsd(0) : headlineDelta(total);
    amount = `${money} / month`;
    amountPlain = `${money}/month`;
    const pct = formatPercent(total, diff.baseMonthlyCost);
    if (isZero(total)) note = knownMoves ? ' (no net change)' : ' (no change)';
    else if (pct) note = ` (${pct})`;
    if (unknownCount > 0) note += `${PLUS_UNKNOWN}: ${notPriced}`;
  }
  const savings = findings.reduce((s, f) => s + (f.monthlySavings !== null && f.monthlySavings > 0 ? f.monthlySavings : 0), 0);
  const savingsPart = savings > 0 ? ` · 💡 save up to ${headlineMoney(savings)} / month` : '';
  const plainNote = note.replace(/: \d[\d,]* changes? not priced$/, '');
  return {
    markdown: `💰 mlcost: **${amount}**${note} · ${status.join(' · ')}${savingsPart}`,
    title: `${amountPlain}${plainNote} · ${statusPlain.join(' · ')}`,
    plain: `mlcost: ${amount}${note} · ${statusPlain.join(' · ')}${savings > 0 ? ` · save up to ${headlineMoney(savings)} / month` : ''}`,
  };
}

// ---------------------------------------------------------------------------------------------
// Comment (diff)

interface PreparedResource<R> {
  rank: number;
  project: string;
  rows: R[];
}

interface PreparedDetails<R> {
  name: string;
  summary: (shown: number) => string;
  resources: PreparedResource<R>[];
}

function findProject(b: Breakdown, name: string): ProjectBreakdown | undefined {
  return b.projects.find((p) => p.name === name) ?? b.projects.find((p) => p.path === name);
}

function changeKey(project: string, address: string): string {
  return `${project}\u0000${address}`;
}

function projectLabel(name: string, kind: ProjectKind, resources: readonly PricedResource[]): string {
  const regions = [...new Set(resources.map((r) => r.region).filter((r): r is string => !!r))];
  const extra = regions.length === 1 ? `, ${text(regions[0] as string)}` : '';
  return `${code(name, { maxLength: NAME_MAX })} (${KIND_LABEL[kind]}${extra})`;
}

function changeIcon(c: ResourceChange): string {
  if (c.change === 'added') return '➕';
  if (c.change === 'removed') return '➖';
  if (c.delta !== null && !isZero(c.delta)) return c.delta > 0 ? '🔺' : '🔻';
  return '🔸';
}

/** `ceiling +$5,309`: how much more the change can cost when the resource scales to its maximum. */
function ceilingDetail(base?: PricedResource, head?: PricedResource): string | null {
  if (head?.ceilingMonthlyCost === undefined) return null;
  const before = base ? (base.ceilingMonthlyCost ?? base.monthlyCost) : 0;
  if (before === null) return null;
  const d = head.details ?? {};
  const maxOf = [d.maxSize, d.maxReplicas, d.maxCapacity].find((v) => typeof v === 'number');
  const max = maxOf !== undefined ? ` (max ${maxOf})` : '';
  const delta = head.ceilingMonthlyCost - before;
  if (isZero(delta)) return `ceiling unchanged at ${headlineMoney(head.ceilingMonthlyCost)}${max}`;
  return `ceiling ${headlineDelta(delta)}${max}`;
}

function changeDetail(c: ResourceChange, base?: PricedResource, head?: PricedResource): string | null {
  const moved = movedDetail(c, base, head);
  const ceiling = c.delta === null ? null : ceilingDetail(base, head);
  return [runsDetail(base, head), moved, ceiling].filter((x): x is string => x !== null).join(', ') || null;
}

/**
 * Pipelines (and Jobs): `runs/month 4 → 720 · $1.20 per run`, so that a schedule change reads as
 * one, with the cost of one run beside the monthly change.
 */
function runsDetail(base?: PricedResource, head?: PricedResource): string | null {
  const num = (r: PricedResource | undefined, k: string): number | undefined => {
    const v = r?.details?.[k];
    return typeof v === 'number' ? v : undefined;
  };
  const b = num(base, 'runsPerMonth');
  const h = num(head, 'runsPerMonth');
  if (h === undefined && b === undefined) return null;
  const parts: string[] = [];
  if (b !== undefined && h !== undefined && !isZero(b - h)) parts.push(`runs/month ${formatQuantity(b, '')} → ${formatQuantity(h, '')}`);
  else if (h !== undefined || b !== undefined) parts.push(`runs/month ${formatQuantity((h ?? b) as number, '')}`);
  const pb = num(base, 'costPerRun');
  const ph = num(head, 'costPerRun');
  if (pb !== undefined && ph !== undefined && !isZero(pb - ph)) parts.push(`${formatUsd(pb)} → ${formatUsd(ph)} per run`);
  else if (ph !== undefined || pb !== undefined) parts.push(`${formatUsd((ph ?? pb) as number)} per run`);
  return parts.join(' · ');
}

function movedDetail(c: ResourceChange, base?: PricedResource, head?: PricedResource): string | null {
  if (c.delta === null) {
    const reason = head?.unpriced[0] ?? base?.unpriced[0];
    return reason ? `not priced: ${text(reason.component)}: ${text(reason.reason)}` : 'not priced';
  }
  if (c.change !== 'changed') return null;
  const moved = sortedBy(
    c.components.filter((x) => x.delta === null || !isZero(x.delta)),
    (x) => x.delta,
    (x) => x.name,
  ).slice(0, 2);
  if (moved.length === 0) return null;
  return moved
    .map((x) => {
      const b = base?.costComponents.find((bc) => bc.name === x.name);
      const h = head?.costComponents.find((hc) => hc.name === x.name);
      if (b && h && b.monthlyQuantity !== null && h.monthlyQuantity !== null && b.monthlyQuantity !== h.monthlyQuantity) {
        return `${text(x.name)}: ${formatQuantity(b.monthlyQuantity, '')} → ${formatQuantity(h.monthlyQuantity, text(h.unit))}`;
      }
      return `${text(x.name)} ${headlineDelta(x.delta)}`;
    })
    .join(', ');
}

function diffRows(address: string, change: string, base?: PricedResource, head?: PricedResource, sub = false): DiffRowModel[] {
  const rows: DiffRowModel[] = [];
  const label = `${sub ? '↳ ' : ''}${addr(address)}${change}`;
  const cell = (): string => (rows.length === 0 ? label : '');
  const side = head ?? base;
  const unpriced = side?.unpriced ?? [];
  const names = new Set<string>();
  for (const pair of pairComponents(base?.costComponents ?? [], head?.costComponents ?? [])) {
    const c = (pair.head ?? pair.base) as CostComponent;
    names.add(c.name);
    const reason = unpriced.find((u) => u.component === c.name)?.reason;
    rows.push({
      resource: cell(),
      component: text(c.name),
      quantity: quantityText(c, address, pair.head ? pair.base : undefined),
      unitPrice: unitPriceText(c, reason, pair.head ? pair.base : undefined),
      base: sideCost(!!pair.base, pair.base?.monthlyCost),
      head: sideCost(!!pair.head, pair.head?.monthlyCost),
      delta: formatDelta(minus(pair.head ? pair.head.monthlyCost : undefined, pair.base ? pair.base.monthlyCost : undefined)),
    });
  }
  for (const u of unpriced) {
    if (names.has(u.component)) continue;
    rows.push({
      resource: cell(),
      component: text(u.component),
      quantity: `not priced: ${text(u.reason)}`,
      unitPrice: 'no price',
      base: base ? 'unknown' : ABSENT,
      head: head ? 'unknown' : ABSENT,
      delta: 'unknown',
    });
  }
  if (rows.length === 0) {
    rows.push({
      resource: label,
      component: ABSENT,
      quantity: '',
      unitPrice: '',
      base: sideCost(!!base, base?.monthlyCost),
      head: sideCost(!!head, head?.monthlyCost),
      delta: formatDelta(minus(head ? head.monthlyCost : undefined, base ? base.monthlyCost : undefined)),
    });
  }
  const subs = new Map<string, { base?: PricedResource; head?: PricedResource }>();
  for (const s of base?.subresources ?? []) subs.set(s.address, { base: s });
  for (const s of head?.subresources ?? []) subs.set(s.address, { ...subs.get(s.address), head: s });
  for (const [subAddress, pair] of [...subs].sort((a, b) => compareText(a[0], b[0]))) {
    rows.push(...diffRows(subAddress, '', pair.base, pair.head, true));
  }
  return rows;
}

/** Builds the PR comment model with nothing cut. render.ts cuts it to fit the size limit. */
export function buildCommentModel(diff: Diff, opts: CommentOptions = {}): CommentModel {
  return prepareCommentModel(diff, opts).shape(NO_LIMITS);
}

export function prepareCommentModel(diff: Diff, opts: CommentOptions = {}): Prepared<CommentModel> {
  const headSha = cleanSha(opts.headSha);
  const headline = diffHeadline(diff);
  const findings = diff.policy.findings;

  // Resource changes, indexed by project and address.
  const changes = sortedBy(diff.resources, (c) => c.delta, (c) => `${c.address}\u0000${c.project}`);
  const changeIndex = new Map(changes.map((c) => [changeKey(c.project, c.address), c]));
  // Project order everywhere: as in the project table (biggest |delta| first, then name).
  const orderedProjects = sortedBy(diff.projects, (p) => p.delta, (p) => p.name);
  const projectNames = [
    ...new Set([...orderedProjects.map((p) => p.name), ...diff.head.projects.map((p) => p.name), ...diff.base.projects.map((p) => p.name)]),
  ];
  // Every resource of either side, by project and address.
  const pairs = new Map<string, { project: string; address: string; base?: PricedResource; head?: PricedResource }>();
  for (const name of projectNames) {
    for (const r of findProject(diff.base, name)?.resources ?? []) pairs.set(changeKey(name, r.address), { project: name, address: r.address, base: r });
    for (const r of findProject(diff.head, name)?.resources ?? []) {
      const key = changeKey(name, r.address);
      pairs.set(key, { project: name, address: r.address, ...pairs.get(key), head: r });
    }
  }

  // Project table.
  const unknownIn = (b: Breakdown, name: string): boolean =>
    (findProject(b, name)?.resources ?? []).some((r) => r.monthlyCost === null);
  const unknownDelta = (name: string): boolean => changes.some((c) => c.project === name && c.delta === null);
  const projectRows = orderedProjects.map((p) => ({
    name: projectLabel(p.name, p.kind, findProject(diff.head, p.name)?.resources ?? findProject(diff.base, p.name)?.resources ?? []),
    base: headlineMoney(p.baseMonthlyCost) + (unknownIn(diff.base, p.name) ? PLUS_UNKNOWN : ''),
    head: headlineMoney(p.headMonthlyCost) + (unknownIn(diff.head, p.name) ? PLUS_UNKNOWN : ''),
    delta: headlineDelta(p.delta) + (unknownDelta(p.name) ? PLUS_UNKNOWN : ''),
  }));
  const anyUnknown = (b: Breakdown): boolean => b.projects.some((p) => p.resources.some((r) => r.monthlyCost === null));
  const total: ProjectRowModel = {
    name: '**Total**',
    base: `**${headlineMoney(diff.baseMonthlyCost)}**${anyUnknown(diff.base) ? PLUS_UNKNOWN : ''}`,
    head: `**${headlineMoney(diff.headMonthlyCost)}**${anyUnknown(diff.head) ? PLUS_UNKNOWN : ''}`,
    delta: `**${headlineDelta(diff.totalMonthlyDelta)}**${changes.some((c) => c.delta === null) ? PLUS_UNKNOWN : ''}`,
  };

  // Biggest changes.
  const changeItems: ChangeItem[] = changes.map((c) => {
    const pair = pairs.get(changeKey(c.project, c.address));
    const base = pair?.base;
    const head = pair?.head;
    const at = head ?? base;
    return {
      icon: changeIcon(c),
      address: addr(c.address),
      amount: c.delta === null ? 'unknown' : headlineDelta(c.delta),
      detail: changeDetail(c, base, head),
      location: codeLocation(c.file ?? at?.file, c.line ?? at?.line),
    };
  });

  // Findings, by severity; within one, biggest saving first, then rule, file, line.
  const findingGroups = SEVERITY_ORDER.map((severity) => {
    const items = findings
      .filter((f) => f.severity === severity)
      .sort(compareFindings)
      .map(
        (f): FindingItem => ({
          icon: SEVERITY_ICON[severity],
          rule: code(f.rule, { maxLength: NAME_MAX }),
          severity,
          message: richText(f.message),
          location: codeLocation(f.file, f.line),
          savings:
            f.monthlySavings !== null && f.monthlySavings > 0 ? `save ${headlineMoney(f.monthlySavings)} / month` : null,
        }),
      );
    return { severity, items };
  }).filter((g) => g.items.length > 0);

  const errors = prepareErrors(diff.head.projects);
  const notes = prepareNotes(diff.head.projects);

  // Per-project details: every resource of either side, ranked globally by |delta|.
  const entries = [...pairs.values()].map((pair) => {
    const change = changeIndex.get(changeKey(pair.project, pair.address));
    const delta = change
      ? change.delta
      : minus(pair.head ? pair.head.monthlyCost : undefined, pair.base ? pair.base.monthlyCost : undefined);
    return { ...pair, delta, change };
  });
  const ranked = sortedBy(entries, (e) => e.delta, (e) => `${e.address}\u0000${e.project}`);
  const rankedByProject = groupRanked(ranked, (e) => e.project);
  const details: PreparedDetails<DiffRowModel>[] = projectNames.map((name) => {
    const resources = (rankedByProject.get(name) ?? []).map(({ e, rank }) => {
        const kind = e.change?.change ?? (e.base && !e.head ? 'removed' : !e.base && e.head ? 'added' : 'changed');
        const mark = kind === 'added' ? ' (added)' : kind === 'removed' ? ' (removed)' : '';
        return { rank, project: name, rows: diffRows(e.address, mark, e.base, e.head) };
      });
    const pd = diff.projects.find((p) => p.name === name);
    const count = resources.length;
    return {
      name,
      resources,
      summary: (shown: number) =>
        [
          code(name, { maxLength: NAME_MAX }),
          formatCount(count, 'resource'),
          ...(pd ? [`${headlineDelta(pd.delta)} / month`] : []),
          ...(shown < count ? [`showing ${shown.toLocaleString('en-US')} with the biggest changes`] : []),
        ].join(' · '),
    };
  });

  const failing = findings.some((f) => f.severity === 'error');
  const footerExtra =
    opts.approveLabel && failing && !opts.approval
      ? [
          `approve a breach with the ${code(opts.approveLabel, { maxLength: NAME_MAX })} label` +
            (opts.approveButton ? ` or the check's ${escapeMarkdown(opts.approveButton)} button` : '') +
            ' (maintainers)',
        ]
      : [];
  const footer = footerText([diff.head.prices, diff.base.prices], headSha, footerExtra);
  const approval = opts.approval
    ? `✅ Approved by ${escapeMarkdown(`@${opts.approval.by}`, { maxLength: NAME_MAX })} on ${text(opts.approval.at)}` +
      (cleanSha(opts.approval.headSha) ? ` for head ${shortSha(cleanSha(opts.approval.headSha) as string)}` : '') +
      (failing ? ': the failed guardrails below do not block this pull request.' : '.')
    : null;
  const approvalNotes = opts.approvalNotes?.length ? opts.approvalNotes.map((n) => richText(n)) : null;

  // Savings we can price: findings whose saving is a figure, biggest first; their sum.
  const savingItems = findings
    .filter((f) => f.monthlySavings !== null && f.monthlySavings > 0)
    .sort(compareFindings)
    .map((f): SavingItem => ({
      rule: code(f.rule, { maxLength: NAME_MAX }),
      address: f.address ? addr(f.address) : null,
      amount: formatDelta(-(f.monthlySavings as number), { precision: 'headline' }),
      location: codeLocation(f.file, f.line),
    }));
  const savingsTotal = findings.reduce((a, f) => a + (f.monthlySavings !== null && f.monthlySavings > 0 ? f.monthlySavings : 0), 0);
  const ignoredItems = (diff.policy.ignored ?? []).map(
    (f): IgnoredItem => ({
      rule: code(f.rule, { maxLength: NAME_MAX }),
      address: f.address ? addr(f.address) : null,
      reason: text(f.reason),
      location: codeLocation(f.ignoredAt.file, f.ignoredAt.line),
    }),
  );

  const listSizes = [
    changeItems.length,
    errors.length,
    notes.assumptions.length,
    notes.usage.length,
    notes.unpriced.length,
    notes.unsupported.length,
    savingItems.length,
    ignoredItems.length,
    ...findingGroups.map((g) => g.items.length),
  ];

  return {
    sizes: { resources: entries.length, listItems: Math.max(0, ...listSizes), projectRows: projectRows.length },
    shape(limits: Limits): CommentModel {
      const rows = Number.isFinite(limits.projectRows) ? projectRows.slice(0, Math.max(0, limits.projectRows)) : projectRows;
      const projects: ProjectTableModel = { rows, more: moreText(projectRows.length - rows.length, 'projects'), total };
      const cap = limits.minimal ? 0 : limits.listItems;
      const kept = limits.minimal ? 0 : limits.detailResources;
      const { blocks, hidden } = shapeDetails(details, kept);
      const sizeNote = hidden > 0 ? `${formatCount(hidden, 'resource')} not shown: ${SIZE_NOTE_TAIL}.` : null;
      if (limits.minimal) {
        return {
          marker: commentMarker(headSha, opts.markerState),
          headline: headline.markdown,
          approval,
          approvalNotes,
          projects,
          biggestChanges: null,
          findings: null,
          savings: null,
          ignored: null,
          errors: null,
          details: null,
          sizeNote: `Details not shown: ${SIZE_NOTE_TAIL}.`,
          notes: null,
          footer,
        };
      }
      const groups = findingGroups.map((g) => {
        const list = capList(g.items, cap, 'findings') as ListModel<FindingItem>;
        return { title: SEVERITY_TITLE[g.severity], ...list };
      });
      const savingList = capList(savingItems, cap, 'savings');
      return {
        marker: commentMarker(headSha, opts.markerState),
        headline: headline.markdown,
        approval,
        approvalNotes,
        projects,
        biggestChanges: capList(changeItems, Math.min(BIGGEST_CHANGES_MAX, cap), 'changes'),
        findings: groups.length ? groups : null,
        savings: savingList
          ? { ...savingList, total: savingItems.length > 1 ? `Up to ${headlineMoney(savingsTotal)} / month in all (each saving on its own; some may overlap)` : null }
          : null,
        ignored: capList(ignoredItems, cap, 'ignored findings'),
        errors: capList(errors, Math.min(ERRORS_MAX, cap), 'errors'),
        details: blocks.length ? blocks : null,
        sizeNote,
        notes: shapeNotes(notes, cap),
        footer,
      };
    },
  };
}

/** Items with their rank in `ranked`, grouped by `group`, rank order kept within each group. */
function groupRanked<T>(ranked: readonly T[], group: (t: T) => string): Map<string, { e: T; rank: number }[]> {
  const out = new Map<string, { e: T; rank: number }[]>();
  ranked.forEach((e, rank) => {
    const k = group(e);
    const list = out.get(k);
    if (list) list.push({ e, rank });
    else out.set(k, [{ e, rank }]);
  });
  return out;
}

function shapeDetails<R>(details: PreparedDetails<R>[], kept: number): { blocks: ProjectDetailsModel<R>[]; hidden: number } {
  let hidden = 0;
  const blocks: ProjectDetailsModel<R>[] = [];
  for (const d of details) {
    const shown = d.resources.filter((r) => r.rank < kept);
    hidden += d.resources.length - shown.length;
    if (shown.length === 0) continue;
    blocks.push({ summary: d.summary(shown.length), rows: shown.flatMap((r) => r.rows) });
  }
  return { blocks, hidden };
}

/** Plain-text headline and check-run title for a diff. */
export function diffTitles(diff: Diff): { title: string; plain: string } {
  const h = diffHeadline(diff);
  const nothing = hasNoChanges(diff) && diff.policy.findings.length === 0;
  return { title: nothing ? 'No infrastructure changes to price' : h.title, plain: h.plain };
}

// ---------------------------------------------------------------------------------------------
// Breakdown (mlcost breakdown --format markdown)

/** A resource's own lines (not its subresources): its components, then unpriced parts without one. */
function componentLines(r: PricedResource, st: Style): Omit<CostRowModel, 'resource'>[] {
  const lines = r.costComponents.map((c) => ({
    component: st.text(c.name),
    quantity: quantityText(c, r.address, undefined, st),
    unitPrice: unitPriceText(c, r.unpriced.find((u) => u.component === c.name)?.reason, undefined, st),
    cost: costText(c),
  }));
  for (const u of r.unpriced) {
    if (r.costComponents.some((c) => c.name === u.component)) continue;
    lines.push({ component: st.text(u.component), quantity: `not priced: ${st.text(u.reason)}`, unitPrice: 'no price', cost: 'unknown' });
  }
  return lines;
}

function costRows(r: PricedResource, sub = false): CostRowModel[] {
  const label = `${sub ? '↳ ' : ''}${addr(r.address)}`;
  const lines = componentLines(r, MARKDOWN);
  const rows: CostRowModel[] = lines.length
    ? lines.map((l, i) => ({ resource: i === 0 ? label : '', ...l }))
    : [{ resource: label, component: ABSENT, quantity: '', unitPrice: '', cost: formatUsd(r.monthlyCost) }];
  for (const s of [...r.subresources].sort((a, b) => compareText(a.address, b.address))) rows.push(...costRows(s, true));
  return rows;
}

/** The breakdown of one revision, with nothing cut. */
export function buildBreakdownModel(b: Breakdown): BreakdownModel {
  return prepareBreakdownModel(b).shape(NO_LIMITS);
}

export function prepareBreakdownModel(b: Breakdown): Prepared<BreakdownModel> {
  const unknownResources = b.projects.reduce((n, p) => n + p.resources.filter((r) => r.monthlyCost === null).length, 0);
  const headline =
    `💰 mlcost: **${headlineMoney(b.totalMonthlyCost)} / month**` +
    (unknownResources ? `${PLUS_UNKNOWN}: ${formatCount(unknownResources, 'resource')} not priced` : '') +
    ` · ${formatCount(b.projects.length, 'project')}`;
  const projectRows = sortedBy(b.projects, (p) => p.totalMonthlyCost, (p) => p.name).map((p) => ({
    name: projectLabel(p.name, p.kind, p.resources),
    cost: headlineMoney(p.totalMonthlyCost) + (p.resources.some((r) => r.monthlyCost === null) ? PLUS_UNKNOWN : ''),
  }));
  const total: BreakdownProjectRow = {
    name: '**Total**',
    cost: `**${headlineMoney(b.totalMonthlyCost)}**${unknownResources ? PLUS_UNKNOWN : ''}`,
  };
  const entries = b.projects.flatMap((p) => p.resources.map((r) => ({ project: p.name, r })));
  const ranked = sortedBy(entries, (e) => e.r.monthlyCost, (e) => `${e.r.address}\u0000${e.project}`);
  const rankedByProject = groupRanked(ranked, (e) => e.project);
  const details: PreparedDetails<CostRowModel>[] = b.projects.map((p) => {
    const resources = (rankedByProject.get(p.name) ?? []).map(({ e, rank }) => ({ rank, project: p.name, rows: costRows(e.r) }));
    const count = resources.length;
    return {
      name: p.name,
      resources,
      summary: (shown: number) =>
        [
          code(p.name, { maxLength: NAME_MAX }),
          formatCount(count, 'resource'),
          `${headlineMoney(p.totalMonthlyCost)} / month`,
          ...(shown < count ? [`showing the ${shown.toLocaleString('en-US')} most expensive`] : []),
        ].join(' · '),
    };
  });
  const errors = prepareErrors(b.projects);
  const notes = prepareNotes(b.projects);
  const footer = footerText([b.prices], null);
  const listSizes = [errors.length, notes.assumptions.length, notes.usage.length, notes.unpriced.length, notes.unsupported.length];
  return {
    sizes: { resources: entries.length, listItems: Math.max(0, ...listSizes), projectRows: projectRows.length },
    shape(limits: Limits): BreakdownModel {
      const rows = Number.isFinite(limits.projectRows) ? projectRows.slice(0, Math.max(0, limits.projectRows)) : projectRows;
      const cap = limits.minimal ? 0 : limits.listItems;
      const { blocks, hidden } = shapeDetails(details, limits.minimal ? 0 : limits.detailResources);
      return {
        headline,
        projects: { rows, more: moreText(projectRows.length - rows.length, 'projects'), total },
        errors: limits.minimal ? null : capList(errors, Math.min(ERRORS_MAX, cap), 'errors'),
        details: blocks.length ? blocks : null,
        sizeNote: hidden > 0 ? `${formatCount(hidden, 'resource')} not shown to stay within the size limit.` : null,
        notes: limits.minimal ? null : shapeNotes(notes, cap),
        footer,
      };
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Check-run annotations

export interface Annotation {
  path: string;
  start_line: number;
  end_line: number;
  annotation_level: 'failure' | 'warning' | 'notice';
  message: string;
  title: string;
}

const ANNOTATION_LEVEL: Record<Severity, Annotation['annotation_level']> = {
  error: 'failure',
  warning: 'warning',
  info: 'notice',
};

/**
 * One annotation per finding that has a file and a line, in plain text (GitHub does not render
 * markdown in annotations): the rule id, the message, the resource's change and the saving.
 */
export function buildAnnotations(diff: Diff): Annotation[] {
  const byAddress = new Map(diff.resources.map((c) => [c.address, c]));
  return diff.policy.findings
    .filter((f) => !!f.file && typeof f.line === 'number' && f.line > 0)
    .sort(
      (a, b) =>
        SEVERITY_ORDER.indexOf(a.severity) - SEVERITY_ORDER.indexOf(b.severity) ||
        compareText(a.file ?? '', b.file ?? '') ||
        (a.line ?? 0) - (b.line ?? 0) ||
        compareText(a.rule, b.rule),
    )
    .map((f) => {
      const change = f.address ? byAddress.get(f.address) : undefined;
      const money: string[] = [];
      if (change && change.delta !== null) money.push(`Change: ${formatDelta(change.delta, { precision: 'headline' })}/month.`);
      if (f.monthlySavings !== null && f.monthlySavings > 0) money.push(`Saves up to ${headlineMoney(f.monthlySavings)}/month.`);
      const message = plainText(`[${f.rule}] ${f.message}${money.length ? ` ${money.join(' ')}` : ''}`, { maxLength: 4000 });
      return {
        path: f.file as string,
        start_line: f.line as number,
        end_line: f.line as number,
        annotation_level: ANNOTATION_LEVEL[f.severity],
        message,
        title: plainText(`mlcost: ${f.rule} (${f.severity})`, { maxLength: 255 }),
      };
    });
}

// ---------------------------------------------------------------------------------------------
// Terminal tables (plain text: no markdown, no escaping beyond removing control characters)

export type Align = 'left' | 'right';

export interface TextRow {
  cells: string[];
  /** total: a summary row (drawn after a rule). */
  emphasis?: 'total';
  /** up/down: colour hint for the last money column. */
  tone?: 'up' | 'down';
}

export interface TextTable {
  title: string | null;
  columns: { header: string; align: Align }[];
  rows: TextRow[];
}

export type TextBlock = { kind: 'table'; table: TextTable } | { kind: 'lines'; title: string; lines: string[] };

export interface TextReport {
  headline: string;
  blocks: TextBlock[];
  footer: string;
}

const tp = PLAIN.text;

function tone(d: number | null): TextRow['tone'] {
  if (d === null || isZero(d)) return undefined;
  return d > 0 ? 'up' : 'down';
}

function plainLists(projects: readonly ProjectBreakdown[]): TextBlock[] {
  const notes = prepareNotes(projects, PLAIN);
  const errors = prepareErrors(projects, PLAIN);
  const lines = (items: NoteItem[]): string[] => items.map((i) => `${i.subject}: ${i.text}`);
  const blocks: TextBlock[] = [];
  if (errors.length) blocks.push({ kind: 'lines', title: 'Analysis errors', lines: errors.map((e) => `${e.location ?? ''}  ${e.message}`) });
  if (notes.assumptions.length) blocks.push({ kind: 'lines', title: 'Assumptions (change them in .mlcost.yml, usage:)', lines: lines(notes.assumptions) });
  if (notes.usage.length) blocks.push({ kind: 'lines', title: 'Depends on usage', lines: lines(notes.usage) });
  if (notes.unpriced.length) blocks.push({ kind: 'lines', title: 'Not priced', lines: lines(notes.unpriced) });
  if (notes.unsupported.length) blocks.push({ kind: 'lines', title: 'Unsupported resource types', lines: lines(notes.unsupported) });
  return blocks;
}

/** The same numbers as the markdown reports, laid out for a terminal. */
export function buildTextReport(input: Breakdown | Diff): TextReport {
  return 'head' in input ? diffTextReport(input) : breakdownTextReport(input);
}

function breakdownTextReport(b: Breakdown): TextReport {
  const blocks: TextBlock[] = [];
  const columns: TextTable['columns'] = [
    { header: 'Resource', align: 'left' },
    { header: 'Quantity', align: 'right' },
    { header: 'Unit price', align: 'right' },
    { header: 'Monthly cost', align: 'right' },
  ];
  for (const p of b.projects) {
    const rows: TextRow[] = [];
    const add = (r: PricedResource, indent: string): void => {
      rows.push({ cells: [`${indent}${tp(r.address)}`, '', '', formatUsd(r.monthlyCost)] });
      // Reasons and usage keys are listed under the tables; the cells keep only the verdict.
      const brief = (cell: string): string => cell.replace(/^(depends on usage|not priced|no price): .*$/, '$1');
      const lines = componentLines(r, PLAIN).map((l) => [l.component, brief(l.quantity), brief(l.unitPrice), l.cost]);
      lines.forEach((cells, i) => {
        const branch = i === lines.length - 1 && r.subresources.length === 0 ? '└─ ' : '├─ ';
        rows.push({ cells: [`${indent}${branch}${cells[0] ?? ''}`, cells[1] ?? '', cells[2] ?? '', cells[3] ?? ''] });
      });
      [...r.subresources].sort((x, y) => compareText(x.address, y.address)).forEach((s) => add(s, `${indent}   `));
    };
    sortedBy(p.resources, (r) => r.monthlyCost, (r) => r.address).forEach((r) => add(r, ''));
    rows.push({ cells: ['Project total', '', '', formatUsd(p.totalMonthlyCost)], emphasis: 'total' });
    blocks.push({ kind: 'table', table: { title: `${tp(p.name)} (${KIND_LABEL[p.kind]})`, columns, rows } });
  }
  const unknownResources = b.projects.reduce((n, p) => n + p.resources.filter((r) => r.monthlyCost === null).length, 0);
  blocks.push(...plainLists(b.projects));
  return {
    headline:
      `mlcost: ${headlineMoney(b.totalMonthlyCost)} / month` +
      (unknownResources ? ` + unknown (${formatCount(unknownResources, 'resource')} not priced)` : '') +
      ` · ${formatCount(b.projects.length, 'project')}`,
    blocks,
    footer: footerText([b.prices], null, [], PLAIN),
  };
}

function diffTextReport(diff: Diff): TextReport {
  const blocks: TextBlock[] = [];
  const money: TextTable['columns'] = [
    { header: 'Base', align: 'right' },
    { header: 'Head', align: 'right' },
    { header: 'Change', align: 'right' },
  ];
  const projects = sortedBy(diff.projects, (p) => p.delta, (p) => p.name);
  blocks.push({
    kind: 'table',
    table: {
      title: 'Projects',
      columns: [{ header: 'Project', align: 'left' }, { header: 'Kind', align: 'left' }, ...money],
      rows: [
        ...projects.map((p) => ({
          cells: [tp(p.name), KIND_LABEL[p.kind], headlineMoney(p.baseMonthlyCost), headlineMoney(p.headMonthlyCost), headlineDelta(p.delta)],
          tone: tone(p.delta),
        })),
        {
          cells: ['Total', '', headlineMoney(diff.baseMonthlyCost), headlineMoney(diff.headMonthlyCost), headlineDelta(diff.totalMonthlyDelta)],
          emphasis: 'total' as const,
          tone: tone(diff.totalMonthlyDelta),
        },
      ],
    },
  });
  const changes = sortedBy(diff.resources, (c) => c.delta, (c) => `${c.address}\u0000${c.project}`);
  if (changes.length) {
    blocks.push({
      kind: 'table',
      table: {
        title: 'Changed resources',
        columns: [{ header: 'Resource', align: 'left' }, { header: 'Status', align: 'left' }, ...money, { header: 'Location', align: 'left' }],
        rows: changes.map((c) => ({
          cells: [
            tp(c.address),
            c.change,
            c.change === 'added' ? ABSENT : formatUsd(c.baseMonthlyCost),
            c.change === 'removed' ? ABSENT : formatUsd(c.headMonthlyCost),
            formatDelta(c.delta),
            c.file ? `${tp(c.file)}${c.line ? `:${c.line}` : ''}` : '',
          ],
          tone: tone(c.delta),
        })),
      },
    });
  }
  const findings = sortFindings(diff.policy.findings);
  if (findings.length) {
    blocks.push({
      kind: 'lines',
      title: 'Findings',
      lines: findings.map(
        (f) =>
          `${f.severity.toUpperCase().padEnd(7)} ${tp(f.rule)}: ${tp(f.message)}` +
          (f.file ? ` (${tp(f.file)}${f.line ? `:${f.line}` : ''})` : '') +
          (f.monthlySavings !== null && f.monthlySavings > 0 ? ` · save ${headlineMoney(f.monthlySavings)} / month` : ''),
      ),
    });
  }
  const ignored = diff.policy.ignored ?? [];
  if (ignored.length) {
    blocks.push({
      kind: 'lines',
      title: 'Ignored (mlcost:ignore)',
      lines: ignored.map((f) => `${tp(f.rule)}${f.address ? ` on ${tp(f.address)}` : ''}: ${tp(f.reason)} (${tp(f.ignoredAt.file)}:${f.ignoredAt.line})`),
    });
  }
  blocks.push(...plainLists(diff.head.projects));
  return {
    headline: diffTitles(diff).plain,
    blocks,
    footer: footerText([diff.head.prices, diff.base.prices], null, [], PLAIN),
  };
}

/**
 * Approving a breach, audited. A maintainer approves a failed `mlcost` check with the configured
 * label (`approval.label`, default `mlcost:approved`) or the check run's "Approve cost" button; the
 * App checks the actor's repository role through the API (`GET .../collaborators/{user}/permission`),
 * then the check concludes `success` and the comment and the check name who approved, when, and for
 * which head.
 *
 * Where approvals live: in the hidden marker of mlcost's own comment (`approved-by=... approved-at=...
 * approved-head=... approved-delta=... approved-breaches=... approved-via=...`), so no database is
 * needed. With a key (MLCOST_APPROVAL_KEY, else the App's PRIVATE_KEY) the record is signed
 * (`approved-sig`, HMAC-SHA256) and a record that does not verify is ignored: editing the comment
 * cannot forge an approval.
 *
 * What an approval covers: the monthly delta it was given for and the failed guardrails then (rule
 * and resource). A later push keeps it when the delta is not higher (to the cent) and no guardrail
 * fails that was not failing when approved; otherwise the approval lapses (the comment says why) and
 * a maintainer must approve again. Removing the label withdraws an approval given with the label.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Diff, Finding } from '../core/types.js';
import type { Approval } from '../report/render.js';
import { shortSha } from '../report/format.js';

/** The check run's button (GitHub: label <= 20, description <= 40, identifier <= 20 characters). */
export const APPROVE_ACTION = { label: 'Approve cost', description: 'Approve this cost breach (maintainers)', identifier: 'approve-cost' } as const;

export type MinimumPermission = 'write' | 'maintain' | 'admin';

/** An approval asked for by a webhook (not verified yet). */
export interface ApprovalRequest {
  via: 'label' | 'unlabel' | 'button';
  /** GitHub login of the person (or bot) who acted. */
  by: string;
  /** `User`, `Bot`, `Organization` (the webhook's `sender.type`). */
  senderType?: string;
  /** The label added or removed (`label`, `unlabel`). */
  label?: string;
  /** When it happened (ISO 8601). */
  at: string;
}

/** The request after the checks: what the run does with it. */
export type ApprovalVerdict =
  | { kind: 'grant'; by: string; at: string; via: 'label' | 'button'; role: string }
  | { kind: 'deny'; by: string; via: ApprovalRequest['via']; reason: string }
  | { kind: 'revoke'; by: string; at: string };

/** A stored approval. */
export interface ApprovalRecord {
  by: string;
  at: string;
  headSha: string;
  /** The monthly delta approved, in USD (to the cent). */
  delta: number;
  /** Short hashes of the failed guardrails approved (`rule|address`). */
  breaches: string[];
  via: 'label' | 'button';
}

const ROLE_RANK: Record<string, number> = { read: 1, triage: 2, write: 3, maintain: 4, admin: 5 };
const LEGACY_RANK: Record<string, number> = { none: 0, read: 1, write: 3, admin: 5 };

/**
 * Whether a repository role passes `minimum`. `role_name` is the role (custom roles included);
 * `permission` the legacy base (`maintain` reads as `write`, `triage` as `read`), used for custom roles.
 */
export function permitted(roleName: string | undefined, permission: string | undefined, minimum: MinimumPermission): boolean {
  const rank = (roleName !== undefined ? ROLE_RANK[roleName] : undefined) ?? (permission !== undefined ? LEGACY_RANK[permission] : undefined) ?? 0;
  return rank >= (ROLE_RANK[minimum] ?? 3);
}

export function describeMinimum(minimum: MinimumPermission): string {
  return minimum === 'write' ? 'write, maintain or admin' : minimum === 'maintain' ? 'maintain or admin' : 'admin';
}

function hash8(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 8);
}

/** The failed (error) guardrails of a diff, as short hashes of `rule|address`. */
export function breachKeys(findings: readonly Finding[]): string[] {
  return [...new Set(findings.filter((f) => f.severity === 'error').map((f) => hash8(`${f.rule}|${f.address ?? ''}`)))].sort();
}

function cents(n: number): number {
  return Math.round(n * 100);
}

/** The key that signs approval records, when one is configured. */
export function approvalKey(env: Record<string, string | undefined> = process.env): string | undefined {
  if (env['MLCOST_APPROVAL_KEY']) return env['MLCOST_APPROVAL_KEY'];
  if (env['PRIVATE_KEY']) return env['PRIVATE_KEY'];
  const path = env['PRIVATE_KEY_PATH'];
  if (path) {
    try {
      return readFileSync(path, 'utf8');
    } catch {
      return undefined;
    }
  }
  return undefined;
}

function signature(fields: string, scope: string, key: string): string {
  return createHmac('sha256', key).update(`${scope}\n${fields}`).digest('hex').slice(0, 32);
}

function fieldsOf(r: ApprovalRecord): Record<string, string> {
  return {
    'approved-by': r.by,
    'approved-at': r.at,
    'approved-head': r.headSha,
    'approved-delta': String(cents(r.delta)),
    'approved-breaches': r.breaches.join(','),
    'approved-via': r.via,
  };
}

/**
 * The marker state of a record. `scope` names the pull request (`owner/repo#7`): a record copied
 * to another pull request does not verify there.
 */
export function encodeApproval(r: ApprovalRecord, scope: string, key?: string): Record<string, string> {
  const fields = fieldsOf(r);
  const text = Object.entries(fields).map(([k, v]) => `${k}=${v}`).join(' ');
  return { ...fields, ...(key ? { 'approved-sig': signature(text, scope, key) } : {}) };
}

const LOGIN = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})(?:\[bot\])?$/;

/** The record in a marker's state: null when there is none; `invalid` when it cannot be trusted. */
export function decodeApproval(state: Record<string, string>, scope: string, key?: string): { record: ApprovalRecord } | { invalid: string } | null {
  if (!('approved-by' in state)) return null;
  const by = state['approved-by'] ?? '';
  const at = state['approved-at'] ?? '';
  const headSha = state['approved-head'] ?? '';
  const delta = Number(state['approved-delta']);
  const via = state['approved-via'];
  const breaches = (state['approved-breaches'] ?? '').split(',').filter((x) => /^[0-9a-f]{8}$/.test(x));
  if (!LOGIN.test(by) || !/^\d{4}-\d{2}-\d{2}T[\d:]+Z$/.test(at) || !/^[0-9a-f]{7,64}$/.test(headSha) || !Number.isInteger(delta) || (via !== 'label' && via !== 'button'))
    return { invalid: 'the approval record in the comment is malformed' };
  const record: ApprovalRecord = { by, at, headSha, delta: delta / 100, breaches, via };
  if (key) {
    const text = Object.entries(fieldsOf(record)).map(([k, v]) => `${k}=${v}`).join(' ');
    const want = Buffer.from(signature(text, scope, key));
    const got = Buffer.from(state['approved-sig'] ?? '');
    if (got.length !== want.length || !timingSafeEqual(got, want)) return { invalid: 'the approval record in the comment is not signed by mlcost (edited by hand?)' };
  }
  return { record };
}

/** Why a stored approval does not cover this analysis, or undefined when it does. */
export function lapse(r: ApprovalRecord, d: Diff): string | undefined {
  if (cents(d.totalMonthlyDelta) > cents(r.delta)) return `this push raises the monthly change from ${money(r.delta)} to ${money(d.totalMonthlyDelta)}`;
  const approved = new Set(r.breaches);
  const fresh = d.policy.findings.filter((f) => f.severity === 'error' && !approved.has(hash8(`${f.rule}|${f.address ?? ''}`)));
  if (fresh.length) return `a guardrail fails that was not failing when it was approved (\`${fresh[0]?.rule}\`${fresh[0]?.address ? ` on \`${fresh[0].address}\`` : ''})`;
  return undefined;
}

function money(n: number): string {
  const abs = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' }).format(Math.abs(n));
  return `${n < 0 ? '-' : '+'}${abs}`;
}

function day(iso: string): string {
  return iso.replace('T', ' ').replace(/:\d{2}Z$/, ' UTC').replace(/Z$/, ' UTC');
}

export interface ApprovalDecision {
  /** The approval that applies to this analysis (the check concludes success), or none. */
  approval?: Approval;
  /** What to store in the comment's marker (null: nothing). */
  store: ApprovalRecord | null;
  /** Notes for the comment and the check (plain text; `code` in backticks). */
  notes: string[];
}

/**
 * What this run shows and stores about approvals: a verdict of this run's request, the record
 * found in our comment (`previous`), and the analysis.
 */
export function decideApproval(input: {
  verdict?: ApprovalVerdict;
  previous: ReturnType<typeof decodeApproval>;
  diff: Diff;
  headSha: string;
  label: string;
}): ApprovalDecision {
  const { verdict, diff, headSha } = input;
  const notes: string[] = [];
  if (verdict?.kind === 'grant') {
    const record: ApprovalRecord = { by: verdict.by, at: verdict.at, headSha, delta: diff.totalMonthlyDelta, breaches: breachKeys(diff.policy.findings), via: verdict.via };
    return { approval: { by: record.by, at: day(record.at), headSha }, store: record, notes };
  }
  if (verdict?.kind === 'deny') notes.push(verdict.reason);
  const prev = input.previous;
  if (prev && 'invalid' in prev) {
    notes.push(`An approval record was found in this comment but ignored: ${prev.invalid}.`);
    return { store: null, notes };
  }
  if (!prev) return { store: null, notes };
  const r = prev.record;
  if (verdict?.kind === 'revoke' && r.via === 'label') {
    notes.push(`The approval by @${r.by} was withdrawn: @${verdict.by} removed the \`${input.label}\` label.`);
    return { store: null, notes };
  }
  const why = lapse(r, diff);
  if (why) {
    if (diff.policy.conclusion === 'failure')
      notes.push(`The approval by @${r.by} on ${day(r.at)} (for head ${shortSha(r.headSha)}) no longer applies: ${why}. A maintainer can approve again (the "${APPROVE_ACTION.label}" button, or the \`${input.label}\` label removed and added again).`);
    return { store: null, notes };
  }
  return { approval: { by: r.by, at: day(r.at), headSha: r.headSha }, store: r, notes };
}

/** The marker scope of a pull request. */
export function scopeOf(t: { owner: string; repo: string; number: number }): string {
  return `${t.owner}/${t.repo}#${t.number}`.toLowerCase();
}

/** What verifying a request needs (the GitHub reads, passed in so this file stays free of Octokit). */
export interface VerifyDeps {
  /** The pull request's configuration (`approval:` decides the label, the minimum role, and whether approvals are on). */
  config(): Promise<{ config: { approval: { enabled: boolean; label: string; minimumPermission: MinimumPermission } }; errors: readonly unknown[] }>;
  /** The actor's role on the repository. */
  permission(login: string): Promise<{ permission: string; roleName: string }>;
}

/**
 * Checks a request: null when there is nothing to do (another label, approvals off, a broken
 * config, an action by a bot); otherwise a grant, a denial with the reason, or a withdrawal.
 */
export async function verifyApproval(request: ApprovalRequest, deps: VerifyDeps): Promise<ApprovalVerdict | null> {
  const resolved = await deps.config();
  if (resolved.errors.length) return null;
  const settings = resolved.config.approval;
  if (!settings.enabled) return null;
  if ((request.via === 'label' || request.via === 'unlabel') && request.label !== settings.label) return null;
  if (request.senderType === 'Bot' || /\[bot\]$/.test(request.by)) return null;
  if (request.via === 'unlabel') return { kind: 'revoke', by: request.by, at: request.at };
  const role = await deps.permission(request.by);
  const name = role.roleName && role.roleName !== 'none' ? role.roleName : role.permission;
  if (permitted(role.roleName, role.permission, settings.minimumPermission)) return { kind: 'grant', by: request.by, at: request.at, via: request.via, role: name };
  const needs = `approving a breach needs ${describeMinimum(settings.minimumPermission)} permission on this repository, and @${request.by} has ${name === 'none' ? 'none' : name}`;
  return {
    kind: 'deny',
    by: request.by,
    via: request.via,
    reason:
      request.via === 'label'
        ? `The \`${settings.label}\` label added by @${request.by} was ignored: ${needs}.`
        : `The "${APPROVE_ACTION.label}" button selected by @${request.by} was ignored: ${needs}.`,
  };
}

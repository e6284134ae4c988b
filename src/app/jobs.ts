/**
 * The App's units of work, as plain data, and the pure rules the queues apply to them: which
 * deliveries are the same work (deduplication), which head of a pull request is the newest
 * (supersede), which failures are worth another try, and how long to wait before it.
 *
 * No IO and no probot: the in-process queue and the Redis queue (src/app/queue.ts) both apply
 * these rules, and the unit tests (test/app/jobs.test.ts) pin them down.
 */

/** One pull request at one head: analyse it (from a `pull_request` delivery; base and head known). */
export interface PullJob {
  kind: 'pull';
  installationId: number;
  /** X-GitHub-Delivery of the webhook that asked for it (logs). */
  delivery: string;
  /** `pull_request.synchronize`, ... (logs). */
  event: string;
  owner: string;
  repo: string;
  number: number;
  baseSha: string;
  headSha: string;
  baseRef?: string;
  /** The base branch changed (`edited`): the same head is new work. */
  baseChanged?: boolean;
  /** When GitHub says the pull request was last updated (`pull_request.updated_at`, ms): orders heads. */
  at: number;
  /** Arrival order at the webhook server: breaks ties between heads updated in the same second. */
  seq?: number;
  /** The check run an earlier attempt created (a retry reuses it instead of creating another). */
  checkRunId?: number;
}

/** Someone selected Re-run on our check run: analyse that head again against the base as it is now. */
export interface RerunJob {
  kind: 'rerun';
  installationId: number;
  delivery: string;
  event: string;
  owner: string;
  repo: string;
  number: number;
  headSha: string;
  checkRunId?: number;
  /** A maintainer's approval asked for by a label or the "Approve cost" button (src/app/approval.ts). */
  approval?: { via: 'label' | 'unlabel' | 'button'; by: string; senderType?: string; label?: string; at: string };
}

/** Re-run of a check suite that lists no pull request (a fork's): the worker finds them from our check runs. */
export interface SuiteJob {
  kind: 'suite';
  installationId: number;
  delivery: string;
  event: string;
  owner: string;
  repo: string;
  headSha: string;
  suiteId: number;
}

export type JobData = PullJob | RerunJob | SuiteJob;

/** `owner/repo#number`, lower-cased (GitHub names are case-insensitive). */
export function prKey(r: { owner: string; repo: string; number: number }): string {
  return `${r.owner}/${r.repo}#${r.number}`.toLowerCase();
}

/**
 * The same work while it is queued or running: two deliveries for one pull request at one head
 * (`opened` and `ready_for_review`, or a delivery and its redelivery) are analysed once. A change
 * of base is other work; each Re-run is its own (two clicks while one waits are one).
 */
export function dedupeKey(job: JobData): string {
  switch (job.kind) {
    case 'pull':
      return `${prKey(job)}@${job.headSha.toLowerCase()}${job.baseChanged ? `~base-${job.baseSha.toLowerCase()}` : ''}`;
    case 'rerun':
      // Each approval request is its own work: a queued Re-run must not swallow it.
      return `${prKey(job)}@${job.headSha.toLowerCase()}~rerun${job.approval ? `~${job.approval.via}-${job.delivery}` : ''}`;
    case 'suite':
      return `${job.owner}/${job.repo}~suite-${job.suiteId}`.toLowerCase();
  }
}

/**
 * A queue-wide unique, readable id: the dedupe key and the delivery. BullMQ refuses `:` in ids
 * (and integers), so neither appears.
 */
export function jobIdOf(job: JobData): string {
  return `${dedupeKey(job)}~${job.delivery}`.replace(/:/g, '_');
}

// ---------------------------------------------------------------------------------------------
// Supersede: the newest head of a pull request wins

/** The newest head seen for a pull request: GitHub's update time, then arrival order. */
export interface HeadMark {
  head: string;
  at: number;
  seq: number;
}

export function compareMarks(a: HeadMark, b: HeadMark): number {
  return a.at !== b.at ? a.at - b.at : a.seq - b.seq;
}

export type SupersedeDecision =
  /** Queue it; `obsolete` is the head whose queued work it replaces (null: none). */
  | { accept: true; next: HeadMark; obsolete: string | null }
  /** An older head than one already seen: a delivery that arrived late. Nothing to do. */
  | { accept: false; newer: HeadMark };

/**
 * A `pull_request` job for `incoming` against the newest head seen so far. Same head: accepted
 * (deduplication decides). Another head, updated later (or in the same second and arriving
 * later): accepted, and the previous head's queued work is obsolete. Another head updated
 * earlier: refused. Re-runs take no part: somebody asked for that very head.
 */
export function supersede(previous: HeadMark | null, incoming: HeadMark): SupersedeDecision {
  if (!previous) return { accept: true, next: incoming, obsolete: null };
  if (previous.head === incoming.head) return { accept: true, next: compareMarks(incoming, previous) > 0 ? incoming : previous, obsolete: null };
  if (compareMarks(incoming, previous) > 0) return { accept: true, next: incoming, obsolete: previous.head };
  return { accept: false, newer: previous };
}

/** Whether a job that is about to run has been overtaken by a newer head of its pull request. */
export function isSuperseded(job: JobData, newest: HeadMark | null): boolean {
  if (job.kind !== 'pull' || !newest) return false;
  const mine: HeadMark = { head: job.headSha.toLowerCase(), at: job.at, seq: job.seq ?? 0 };
  return newest.head !== mine.head && compareMarks(newest, mine) > 0;
}

export function markOf(job: PullJob, seq: number): HeadMark {
  return { head: job.headSha.toLowerCase(), at: job.at, seq };
}

/** A mark as stored in Redis (`head at seq`); null when absent or unreadable. */
export function parseMark(text: string | null | undefined): HeadMark | null {
  const m = /^([0-9a-f]+) (-?\d+) (\d+)$/.exec(text ?? '');
  return m ? { head: m[1] as string, at: Number(m[2]), seq: Number(m[3]) } : null;
}

export function formatMark(m: HeadMark): string {
  return `${m.head} ${Math.trunc(m.at)} ${Math.trunc(m.seq)}`;
}

// ---------------------------------------------------------------------------------------------
// Retries

export interface RetryPolicy {
  /** Tries in all (the first included). */
  attempts: number;
  /** Wait before the second try; doubled for each further one. */
  backoffMs: number;
  /** No wait is longer than this. */
  maxBackoffMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 5, backoffMs: 10_000, maxBackoffMs: 5 * 60_000 };

/** Wait before try `attempt + 1` after `attempt` (1-based) failed: 10 s, 20 s, 40 s, 80 s... */
export function backoffDelay(policy: RetryPolicy, attempt: number): number {
  return Math.min(policy.maxBackoffMs, policy.backoffMs * 2 ** Math.max(0, attempt - 1));
}

interface ErrorLike {
  name?: unknown;
  status?: unknown;
  code?: unknown;
  message?: unknown;
  cause?: unknown;
  errors?: unknown;
  response?: { headers?: Record<string, unknown> };
}

const TRANSIENT_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN', 'ENOTFOUND', 'UND_ERR_SOCKET', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT']);

/**
 * A failure another try may not meet: GitHub's 5xx, 429 and rate limits, timeouts, dropped
 * connections. Not: 4xx answers (a missing repository, a permission the App lacks, a request
 * GitHub refuses), nor an error of mlcost's own.
 */
export function isTransient(e: unknown, depth = 0): boolean {
  if (typeof e !== 'object' || e === null || depth > 3) return false;
  const err = e as ErrorLike;
  if (err.name === 'GitHubTimeoutError' || err.name === 'AbortError' || err.name === 'TimeoutError') return true;
  if (typeof err.status === 'number') {
    if (err.status >= 500 || err.status === 429 || err.status === 408) return true;
    if (err.status === 403) {
      const headers = err.response?.headers ?? {};
      return headers['x-ratelimit-remaining'] === '0' || 'retry-after' in headers || /rate limit/i.test(String(err.message ?? ''));
    }
    return false;
  }
  if (err.name === 'GraphqlResponseError' && Array.isArray(err.errors)) {
    return (err.errors as { type?: unknown }[]).some((x) => x.type === 'RATE_LIMITED');
  }
  if (typeof err.code === 'string' && TRANSIENT_CODES.has(err.code)) return true;
  if (err.name === 'TypeError' && /fetch failed|network/i.test(String(err.message ?? ''))) return true;
  return isTransient(err.cause, depth + 1);
}

// ---------------------------------------------------------------------------------------------
// Payload fields

/** `updated_at` of a payload's pull request in ms (0 when absent or unreadable). */
export function updatedAtMs(text: unknown): number {
  const ms = typeof text === 'string' ? Date.parse(text) : NaN;
  return Number.isFinite(ms) ? ms : 0;
}

/** One line for logs: `acme/infra#7@1a2b3c4 (pull_request.synchronize)`. */
export function describeJob(job: JobData): string {
  const where = job.kind === 'suite' ? `${job.owner}/${job.repo} suite ${job.suiteId}` : `${job.owner}/${job.repo}#${job.number}`;
  return `${where}@${job.headSha.slice(0, 7)} (${job.event})`;
}

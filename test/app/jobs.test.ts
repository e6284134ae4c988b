/** The queue's pure rules: deduplication keys, supersede, transient failures, backoff. */
import { describe, expect, it } from '@jest/globals';
import type { PullJob } from '../../src/app/jobs.js';
import { backoffDelay, dedupeKey, formatMark, isSuperseded, isTransient, jobIdOf, parseMark, prKey, supersede, updatedAtMs } from '../../src/app/jobs.js';

const H1 = 'a'.repeat(40);
const H2 = 'b'.repeat(40);

function pull(o: Partial<PullJob> = {}): PullJob {
  return { kind: 'pull', installationId: 1, delivery: 'd-1', event: 'pull_request.opened', owner: 'Acme', repo: 'Infra', number: 7, baseSha: 'c'.repeat(40), headSha: H1, at: 1000, ...o };
}

describe('deduplication keys', () => {
  it('one key per pull request and head, whatever the delivery or the case of the names', () => {
    expect(prKey(pull())).toBe('acme/infra#7');
    expect(dedupeKey(pull())).toBe(`acme/infra#7@${H1}`);
    expect(dedupeKey(pull({ delivery: 'd-2', event: 'pull_request.ready_for_review', owner: 'acme' }))).toBe(dedupeKey(pull()));
    expect(dedupeKey(pull({ headSha: H2 }))).not.toBe(dedupeKey(pull()));
  });

  it('a change of base and a re-run are other work', () => {
    expect(dedupeKey(pull({ baseChanged: true }))).toBe(`acme/infra#7@${H1}~base-${'c'.repeat(40)}`);
    expect(dedupeKey({ kind: 'rerun', installationId: 1, delivery: 'x', event: 'check_run.rerequested', owner: 'acme', repo: 'infra', number: 7, headSha: H1 })).toBe(`acme/infra#7@${H1}~rerun`);
  });

  it('job ids are unique per delivery and never contain a colon (BullMQ refuses them)', () => {
    expect(jobIdOf(pull({ delivery: 'a:b' }))).toBe(`acme/infra#7@${H1}~a_b`);
    expect(jobIdOf(pull({ delivery: 'd-2' }))).not.toBe(jobIdOf(pull()));
  });
});

describe('supersede', () => {
  const m = (head: string, at: number, seq: number) => ({ head, at, seq });

  it('the first head of a pull request is accepted', () => {
    expect(supersede(null, m(H1, 1000, 1))).toEqual({ accept: true, next: m(H1, 1000, 1), obsolete: null });
  });

  it('a head updated later replaces the queued work of the previous one', () => {
    expect(supersede(m(H1, 1000, 1), m(H2, 2000, 2))).toEqual({ accept: true, next: m(H2, 2000, 2), obsolete: H1 });
  });

  it('a head updated earlier (a delivery that arrived late) is refused', () => {
    expect(supersede(m(H2, 2000, 2), m(H1, 1000, 3))).toEqual({ accept: false, newer: m(H2, 2000, 2) });
  });

  it('updated in the same second: the later arrival wins', () => {
    expect(supersede(m(H1, 1000, 5), m(H2, 1000, 6))).toMatchObject({ accept: true, obsolete: H1 });
    expect(supersede(m(H2, 1000, 6), m(H1, 1000, 5))).toMatchObject({ accept: false });
  });

  it('the same head again is accepted (deduplication decides) and keeps the newest mark', () => {
    expect(supersede(m(H1, 2000, 2), m(H1, 1000, 3))).toEqual({ accept: true, next: m(H1, 2000, 2), obsolete: null });
  });

  it('a job about to run is superseded only by another head seen later', () => {
    expect(isSuperseded(pull({ at: 1000, seq: 1 }), m(H2, 2000, 2))).toBe(true);
    expect(isSuperseded(pull({ at: 1000, seq: 1 }), m(H1, 2000, 2))).toBe(false);
    expect(isSuperseded(pull({ at: 3000, seq: 3 }), m(H2, 2000, 2))).toBe(false);
    expect(isSuperseded(pull(), null)).toBe(false);
    expect(isSuperseded({ kind: 'rerun', installationId: 1, delivery: 'x', event: 'e', owner: 'a', repo: 'b', number: 7, headSha: H1 }, m(H2, 9e12, 9))).toBe(false);
  });

  it('marks survive their text form', () => {
    expect(parseMark(formatMark(m(H1, 1717243200000, 42)))).toEqual(m(H1, 1717243200000, 42));
    expect(parseMark('garbage')).toBeNull();
    expect(parseMark(null)).toBeNull();
  });

  it('reads updated_at', () => {
    expect(updatedAtMs('2025-06-01T12:00:00Z')).toBe(Date.parse('2025-06-01T12:00:00Z'));
    expect(updatedAtMs(undefined)).toBe(0);
  });
});

describe('retries', () => {
  it('exponential backoff with a ceiling', () => {
    const p = { attempts: 5, backoffMs: 10_000, maxBackoffMs: 60_000 };
    expect([1, 2, 3, 4, 5].map((a) => backoffDelay(p, a))).toEqual([10_000, 20_000, 40_000, 60_000, 60_000]);
  });

  it('GitHub 5xx, 429, rate limits, timeouts and dropped connections are transient', () => {
    expect(isTransient({ status: 502, request: {} })).toBe(true);
    expect(isTransient({ status: 429, request: {} })).toBe(true);
    expect(isTransient({ status: 403, request: {}, response: { headers: { 'x-ratelimit-remaining': '0' } } })).toBe(true);
    expect(isTransient({ status: 403, message: 'You have exceeded a secondary rate limit', request: {} })).toBe(true);
    expect(isTransient(Object.assign(new Error('x'), { name: 'GitHubTimeoutError' }))).toBe(true);
    expect(isTransient(Object.assign(new Error('GraphQL'), { name: 'GraphqlResponseError', errors: [{ type: 'RATE_LIMITED', message: 'slow down' }] }))).toBe(true);
    expect(isTransient(new TypeError('fetch failed', { cause: Object.assign(new Error('reset'), { code: 'ECONNRESET' }) }))).toBe(true);
  });

  it('4xx answers and mlcost\u2019s own errors are not', () => {
    expect(isTransient({ status: 404, request: {} })).toBe(false);
    expect(isTransient({ status: 403, message: 'Resource not accessible by integration', request: {}, response: { headers: {} } })).toBe(false);
    expect(isTransient({ status: 422, request: {} })).toBe(false);
    expect(isTransient(new Error('boom'))).toBe(false);
    expect(isTransient(Object.assign(new Error('GraphQL'), { name: 'GraphqlResponseError', errors: [{ type: 'NOT_FOUND', message: 'x' }] }))).toBe(false);
    expect(isTransient(null)).toBe(false);
  });
});

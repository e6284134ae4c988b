/**
 * Real webhook payloads from `@octokit/webhooks-examples`, pointed at a test repository, pull
 * request and commits (and given the `installation` GitHub adds for App deliveries).
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

interface ExampleGroup {
  name: string;
  examples: Record<string, unknown>[];
}

const groups = require('@octokit/webhooks-examples') as ExampleGroup[];

function example(event: string, action: string): Record<string, unknown> {
  const group = groups.find((g) => g.name === event);
  const ex = group?.examples.find((e) => e['action'] === action);
  if (!ex) throw new Error(`no ${event}.${action} example in @octokit/webhooks-examples`);
  return structuredClone(ex);
}

export interface Target {
  owner: string;
  repo: string;
  number: number;
  baseRef?: string;
  baseSha: string;
  headRef?: string;
  headSha: string;
  installationId?: number;
}

function pointRepository(p: Record<string, unknown>, t: Target): void {
  const repository = p['repository'] as Record<string, unknown>;
  const owner = repository['owner'] as Record<string, unknown>;
  owner['login'] = t.owner;
  repository['name'] = t.repo;
  repository['full_name'] = `${t.owner}/${t.repo}`;
  p['installation'] = { id: t.installationId ?? 4242, node_id: 'MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9uNDI0Mg==' };
}

/**
 * A `pull_request` payload. Actions without an example of their own (`edited`, `synchronize` in
 * some versions) start from `opened` with the action renamed and `changes` set.
 */
export function pullRequestEvent(action: string, t: Target, changes?: Record<string, unknown>): Record<string, unknown> {
  let p: Record<string, unknown>;
  try {
    p = example('pull_request', action);
  } catch {
    p = example('pull_request', 'opened');
    p['action'] = action;
  }
  pointRepository(p, t);
  p['number'] = t.number;
  const pr = p['pull_request'] as Record<string, Record<string, unknown>>;
  pr['number'] = t.number as unknown as Record<string, unknown>;
  pr['base'] = { ...pr['base'], ref: t.baseRef ?? 'main', sha: t.baseSha };
  pr['head'] = { ...pr['head'], ref: t.headRef ?? 'feature', sha: t.headSha };
  if (action === 'edited') p['changes'] = changes ?? {};
  if (action === 'synchronize') {
    p['before'] = '0'.repeat(40);
    p['after'] = t.headSha;
  }
  return p;
}

/** A `check_run.rerequested` payload for our check run on `headSha`. */
export function checkRunRerequested(t: Target, opts: { name?: string; externalId?: string; listPulls?: boolean } = {}): Record<string, unknown> {
  const p = example('check_run', 'rerequested');
  pointRepository(p, t);
  const run = p['check_run'] as Record<string, unknown>;
  run['name'] = opts.name ?? 'mlcost';
  run['head_sha'] = t.headSha;
  run['external_id'] = opts.externalId ?? `mlcost:pr=${t.number}`;
  run['pull_requests'] =
    opts.listPulls === false
      ? []
      : [{ url: `https://api.github.com/repos/${t.owner}/${t.repo}/pulls/${t.number}`, id: 1, number: t.number, head: { ref: t.headRef ?? 'feature', sha: t.headSha, repo: { id: 1, url: '', name: t.repo } }, base: { ref: t.baseRef ?? 'main', sha: t.baseSha, repo: { id: 1, url: '', name: t.repo } } }];
  return p;
}

/** A `check_suite.rerequested` payload for `headSha`. */
export function checkSuiteRerequested(t: Target, opts: { listPulls?: boolean; suiteId?: number } = {}): Record<string, unknown> {
  const p = example('check_suite', 'rerequested');
  pointRepository(p, t);
  const suite = p['check_suite'] as Record<string, unknown>;
  suite['head_sha'] = t.headSha;
  suite['id'] = opts.suiteId ?? 777;
  const pulls = suite['pull_requests'] as Record<string, unknown>[];
  suite['pull_requests'] =
    opts.listPulls === false
      ? []
      : [{ ...(pulls[0] ?? {}), number: t.number, head: { ref: t.headRef ?? 'feature', sha: t.headSha, repo: { id: 1, url: '', name: t.repo } }, base: { ref: t.baseRef ?? 'main', sha: t.baseSha, repo: { id: 1, url: '', name: t.repo } } }];
  return p;
}

export interface Sender {
  login: string;
  type?: 'User' | 'Bot';
}

function pointSender(p: Record<string, unknown>, sender: Sender): void {
  p['sender'] = { ...(p['sender'] as Record<string, unknown>), login: sender.login, type: sender.type ?? 'User' };
}

/** A `pull_request.labeled` / `unlabeled` payload: `label` added or removed by `sender`. */
export function pullRequestLabel(action: 'labeled' | 'unlabeled', t: Target, label: string, sender: Sender): Record<string, unknown> {
  const p = pullRequestEvent(action, t);
  p['label'] = { ...((p['label'] as Record<string, unknown> | undefined) ?? { id: 1, node_id: 'LA_1', url: '', color: 'ededed', default: false, description: null }), name: label };
  pointSender(p, sender);
  return p;
}

/** A `check_run.requested_action` payload: `sender` selected the button `identifier` on our check run for `t.headSha`. */
export function checkRunRequestedAction(t: Target, identifier: string, sender: Sender, opts: { name?: string } = {}): Record<string, unknown> {
  const p = checkRunRerequested(t, opts);
  p['action'] = 'requested_action';
  p['requested_action'] = { identifier };
  pointSender(p, sender);
  return p;
}


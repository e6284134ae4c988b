/**
 * The GitHub Action: the same analysis, comment and check run as the App, from a workflow with the
 * workflow's token, for teams that cannot host an App. action.yml passes its inputs as MLCOST_*
 * variables (composite actions do not export INPUT_* themselves).
 *
 *   MLCOST_GITHUB_TOKEN  token (default in action.yml: github.token)
 *   MLCOST_PATH          only projects under this directory (default: the whole repository)
 *   MLCOST_CONFIG        config file to read at the base commit (default: .mlcost.yml, then .github/mlcost.yml)
 *   MLCOST_FAIL_JOB      `true` (default): the step fails when the check's conclusion is failure
 *
 * It reads the event from GITHUB_EVENT_PATH (pull_request or pull_request_target), writes the
 * comment to the job summary, and sets the outputs `conclusion`, `monthly-delta`, `comment-id`.
 */
import { appendFile, readFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import { ProbotOctokit } from 'probot';
import type { Log, PullTarget } from '../adapters/github.js';
import { loadPriceBook } from '../adapters/prices.js';
import { loadRenderer } from '../adapters/templates.js';
import { runPullRequest, summaryLine } from '../app/pipeline.js';
import type { PipelineResult } from '../app/pipeline.js';

export interface ActionIo {
  out(line: string): void;
  env: Record<string, string | undefined>;
  /** The Octokit class (tests pass one with retries and throttling off). */
  Octokit?: typeof ProbotOctokit;
}

/** Workflow command values: `%`, CR and LF escaped. */
function escapeCommand(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

function workflowLog(out: (line: string) => void): Log {
  const line = (kind: string | null) => (obj: object, msg?: string) => {
    const err = (obj as { err?: unknown }).err;
    const text = [msg ?? '', err instanceof Error ? `(${err.message})` : ''].filter(Boolean).join(' ');
    out(kind ? `::${kind}::${escapeCommand(text)}` : text);
  };
  return { debug: line('debug'), info: line(null), warn: line('warning'), error: line('error') };
}

interface PullRequestEvent {
  pull_request?: { number?: number; base?: { sha?: string; ref?: string }; head?: { sha?: string } };
}

/** Reads the pull request from the event file; null (with the reason) for any other event. */
export async function targetFromEvent(env: Record<string, string | undefined>): Promise<{ target: PullTarget } | { skip: string }> {
  const name = env['GITHUB_EVENT_NAME'] ?? '';
  if (name !== 'pull_request' && name !== 'pull_request_target') return { skip: `mlcost runs on pull_request or pull_request_target events, not ${name || 'this event'}` };
  const path = env['GITHUB_EVENT_PATH'];
  if (!path) throw new Error('GITHUB_EVENT_PATH is not set');
  const event = JSON.parse(await readFile(path, 'utf8')) as PullRequestEvent;
  const pr = event.pull_request;
  const [owner, repo] = (env['GITHUB_REPOSITORY'] ?? '').split('/');
  if (!pr?.number || !pr.base?.sha || !pr.head?.sha || !owner || !repo) throw new Error('the event has no pull request (number, base and head SHAs) or GITHUB_REPOSITORY is not owner/repo');
  return { target: { owner, repo, number: pr.number, baseSha: pr.base.sha, headSha: pr.head.sha, ...(pr.base.ref ? { baseRef: pr.base.ref } : {}) } };
}

async function setOutputs(env: Record<string, string | undefined>, r: PipelineResult): Promise<void> {
  const file = env['GITHUB_OUTPUT'];
  const delta = r.analysis ? String(r.analysis.diff.totalMonthlyDelta) : '';
  const commentId = r.comment && 'id' in r.comment ? String(r.comment.id) : '';
  if (file) await appendFile(file, `conclusion=${r.conclusion ?? ''}\nmonthly-delta=${delta}\ncomment-id=${commentId}\n`);
  const summary = env['GITHUB_STEP_SUMMARY'];
  if (summary) {
    const body = r.analysis ? r.analysis.comment : r.check ? `### ${r.check.title}\n\n${r.check.summary}` : '';
    if (body) await appendFile(summary, `${body}\n`);
  }
}

/** Runs the Action; returns the process exit code. */
export async function runAction(io: ActionIo): Promise<number> {
  const env = io.env;
  const log = workflowLog(io.out);
  let found;
  try {
    found = await targetFromEvent(env);
  } catch (e) {
    log.error({}, `mlcost: ${(e as Error).message}`);
    return 1;
  }
  if ('skip' in found) {
    log.warn({}, found.skip);
    return 0;
  }
  const token = env['MLCOST_GITHUB_TOKEN'] || env['GITHUB_TOKEN'];
  if (!token) {
    log.error({}, 'mlcost: no token: set the github-token input (default: the workflow token)');
    return 1;
  }
  const Octokit = io.Octokit ?? ProbotOctokit;
  const octokit = new Octokit({ auth: { token }, baseUrl: env['GITHUB_API_URL'] || 'https://api.github.com' });
  const scope = env['MLCOST_PATH']?.trim();
  const configPath = env['MLCOST_CONFIG']?.trim().replace(/^\.\//, '');
  const result = await runPullRequest(
    octokit,
    found.target,
    { book: loadPriceBook(env['MLCOST_PRICES'] || undefined), renderer: loadRenderer(), log },
    { ...(scope && scope !== '.' ? { scope: scope.replace(/^\.\//, '').replace(/\/+$/, '') } : {}), ...(configPath ? { configPath } : {}), continueWithoutCheckRun: true, approvals: false },
  );
  log.info({}, summaryLine(result));
  if (result.comment && (result.comment.action === 'skipped' || result.comment.action === 'stale')) log.info({}, `mlcost: comment ${result.comment.action}: ${result.comment.reason}`);
  await setOutputs(env, result);
  const failJob = (env['MLCOST_FAIL_JOB'] ?? 'true').trim().toLowerCase() !== 'false';
  if (result.conclusion === null) return 1;
  return failJob && result.conclusion === 'failure' ? 1 : 0;
}

export async function main(): Promise<void> {
  process.exitCode = await runAction({ out: (line) => process.stdout.write(`${line}\n`), env: process.env });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) void main();

/**
 * GitHub IO for the App and the Action: gather the files of a pull request's affected projects and
 * its configuration, and publish the comment and the check run. Everything else is plain data
 * handled by src/app/plan.ts, src/app/config.ts and src/app/analyze-pr.ts.
 *
 * Requests per event do not grow with the number of changed files:
 *   1. `GET compare/{base}...{head}`      merge base + changed files (complete below 300 files)
 *   2. `GET git/trees/{head}?recursive=1` every path, blob id and size of the head commit
 *   3. `POST graphql`                      the config files and the project files, by blob id (a
 *                                          blob shared by both sides is read once) or by
 *                                          `<merge base>:<path>`, in batches of 500 files / 4 MB
 *   4. `POST graphql`                      the PR's current head and the comments (just before writing)
 * plus the check run (create, complete) and the comment (create or update). Fallbacks, only for
 * very large pull requests or repositories: the merge base's tree (>= 300 changed files), the
 * paginated PR files list and GraphQL directory listings (a tree too large for one response), and
 * rounds of module reads when the repository is too large to read whole (FULL_SCAN_MAX_FILES).
 */
import type { ProbotOctokit } from 'probot';
import type { ProjectFiles } from '../core/types.js';
import type { ProjectSpec } from '../core/projects.js';
import { candidateFiles, discoverOptions, findProjects } from '../core/projects.js';
import { dirOf } from '../core/paths.js';
import type { ChangedFile, TreeFile } from '../app/plan.js';
import { baseFilesFrom, calledModuleDirs, candidateDirs, diffTrees, planProjects, planRoots } from '../app/plan.js';
import type { CheckOutput, ReadError } from '../app/analyze-pr.js';
import { ANNOTATIONS_PER_REQUEST, CHECK_NAME, failureCheck } from '../app/analyze-pr.js';
import type { ConfigLocation, ConfigText, ResolvedConfig } from '../app/config.js';
import { CONFIG_PATHS, resolveConfig } from '../app/config.js';
import { parseCommentMarker } from '../report/view-model.js';
import { code, escapeMarkdown } from '../report/format.js';

export type Octokit = InstanceType<typeof ProbotOctokit>;

/** Log methods the App (pino) and the Action (console) both provide. */
export interface Log {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export interface RepoRef {
  owner: string;
  repo: string;
}

export interface PullTarget extends RepoRef {
  number: number;
  baseSha: string;
  headSha: string;
  /** The base branch's name, for messages. */
  baseRef?: string;
}

/** Files larger than this are not fetched (reported as an error for that file). */
export const MAX_FILE_BYTES = 5 * 1024 * 1024;
/** GraphQL blob batches: at most this many objects and about this many bytes of text each. */
export const GRAPHQL_MAX_OBJECTS = 500;
export const GRAPHQL_MAX_BYTES = 4 * 1024 * 1024;
/** Blobs GraphQL returns truncated are fetched through REST, at most this many per event. */
export const MAX_REST_BLOBS = 10;
/** GitHub's compare API lists at most 300 files. */
export const COMPARE_FILE_LIMIT = 300;
/** GitHub's pull request files API lists at most 3,000 files (30 pages of 100). */
export const PR_FILES_LIMIT = 3000;
/** Every request gets this long (retries included) before it is abandoned. */
export const REQUEST_TIMEOUT_MS = 30_000;

// ---------------------------------------------------------------------------------------------
// Counting, timeouts and errors

/** A request that did not answer in time. */
export class GitHubTimeoutError extends Error {
  constructor(
    readonly method: string,
    readonly path: string,
    readonly ms: number,
  ) {
    super(`${method} ${path} did not answer within ${Math.round(ms / 1000)} s`);
    this.name = 'GitHubTimeoutError';
  }
}

export interface RequestCounter {
  /** Requests made through this client since it was instrumented (retries are one request). */
  readonly count: number;
  /** Method and path of each, in order. */
  readonly requests: string[];
}

const instrumented = new WeakMap<object, RequestCounter>();

function pathOf(url: string): string {
  try {
    return new URL(url, 'http://github.invalid').pathname;
  } catch {
    return url.split('?')[0] ?? url;
  }
}

/**
 * Counts the client's requests and gives each a deadline. Idempotent per client. The installation
 * token exchange goes through these hooks too (when the cached token has expired).
 */
export function instrument(octokit: Octokit, timeoutMs: number = REQUEST_TIMEOUT_MS): RequestCounter {
  const existing = instrumented.get(octokit);
  if (existing) return existing;
  const requests: string[] = [];
  const counter = {
    get count() {
      return requests.length;
    },
    requests,
  };
  instrumented.set(octokit, counter);
  octokit.hook.wrap('request', async (request, options) => {
    const method = String(options.method ?? 'GET');
    let url = String(options.url ?? '');
    try {
      url = octokit.request.endpoint.parse(options).url;
    } catch {
      // keep the template
    }
    requests.push(`${method} ${pathOf(url)}`);
    if (options.request?.signal) return request(options);
    const signal = AbortSignal.timeout(timeoutMs);
    // Hooks further down are bound to this very options object: set the signal on it.
    options.request = { ...options.request, signal };
    try {
      return await request(options);
    } catch (e) {
      if (signal.aborted) throw new GitHubTimeoutError(method, pathOf(url), timeoutMs);
      throw e;
    }
  });
  return counter;
}

interface RequestErrorLike {
  status: number;
  message: string;
  request?: { method?: string; url?: string };
  response?: { data?: unknown };
}

function isRequestError(e: unknown): e is RequestErrorLike {
  return typeof e === 'object' && e !== null && typeof (e as { status?: unknown }).status === 'number' && 'request' in e;
}

interface GraphqlErrorLike {
  name: 'GraphqlResponseError';
  errors: { message: string; type?: string; path?: (string | number)[] }[];
  data?: unknown;
}

function isGraphqlError(e: unknown): e is GraphqlErrorLike {
  return typeof e === 'object' && e !== null && (e as { name?: unknown }).name === 'GraphqlResponseError' && Array.isArray((e as { errors?: unknown }).errors);
}

/** GitHub's own message from an error response, without the documentation URL. */
function githubMessage(e: RequestErrorLike): string {
  const data = e.response?.data;
  const fromBody = typeof data === 'object' && data !== null && typeof (data as { message?: unknown }).message === 'string' ? (data as { message: string }).message : '';
  const raw = fromBody || e.message || 'no message';
  return raw.replace(/\s*-\s*https:\/\/docs\.github\.com\S*/g, '').slice(0, 500);
}

/**
 * What failed, in markdown for the check run: the request (method and path, never headers or
 * tokens), the status and GitHub's message. Untrusted parts are escaped.
 */
export function describeFailure(e: unknown): string {
  if (e instanceof GitHubTimeoutError) {
    return `The GitHub API request ${code(`${e.method} ${e.path}`)} did not answer within ${Math.round(e.ms / 1000)} seconds.`;
  }
  if (isGraphqlError(e)) {
    const messages = e.errors.slice(0, 5).map((x) => escapeMarkdown(x.message, { maxLength: 300 }));
    return `A GitHub GraphQL request failed: ${messages.join('; ')}.`;
  }
  if (isRequestError(e)) {
    const method = e.request?.method ?? 'GET';
    const path = pathOf(e.request?.url ?? '');
    const status = e.status >= 500 && e.status < 600 ? `${e.status} (a GitHub server error)` : String(e.status);
    return `The GitHub API request ${code(`${method} ${path}`)} failed with HTTP ${status}: ${escapeMarkdown(githubMessage(e))}.`;
  }
  const message = e instanceof Error ? e.message : String(e);
  return `mlcost failed with an internal error: ${escapeMarkdown(message, { maxLength: 500 })}.`;
}

// ---------------------------------------------------------------------------------------------
// GraphQL

interface GqlResult<T> {
  data: T | null;
  errors: GraphqlErrorLike['errors'];
}

/** A GraphQL failure, described like Octokit's own GraphqlResponseError. */
function graphqlFailure(errors: GraphqlErrorLike['errors']): Error {
  return Object.assign(new Error('GraphQL'), { name: 'GraphqlResponseError', errors: errors.length ? errors : [{ message: 'GitHub answered without data' }] });
}

/** GraphQL with partial results: field errors (a missing repository) come back beside the data. */
async function graphql<T>(octokit: Octokit, query: string, variables: Record<string, unknown>): Promise<GqlResult<T>> {
  try {
    const data = await octokit.graphql<T>(query, variables);
    return { data, errors: [] };
  } catch (e) {
    if (isGraphqlError(e)) return { data: (e.data as T | undefined) ?? null, errors: e.errors };
    throw e;
  }
}

interface BlobNode {
  oid?: string;
  byteSize?: number;
  isBinary?: boolean;
  isTruncated?: boolean;
  text?: string | null;
}

const BLOB_FRAGMENT = 'fragment blob on Blob { oid byteSize isBinary isTruncated text }';

/** One object to read: by blob id, or by `<commit>:<path>` in the repository under review or another. */
interface ObjectRequest {
  key: string;
  oid?: string;
  expression?: string;
  /** Another repository (config defaults); the repository under review when absent. */
  repo?: RepoRef;
  estimatedBytes: number;
}

type ObjectResult = { ok: true; text: string; oid: string } | { ok: false; reason: string; oid?: string; truncated?: boolean; bytes?: number };

function batchesOf(wanted: ObjectRequest[]): ObjectRequest[][] {
  const batches: ObjectRequest[][] = [];
  let current: ObjectRequest[] = [];
  let bytes = 0;
  for (const w of wanted) {
    if (current.length > 0 && (current.length >= GRAPHQL_MAX_OBJECTS || bytes + w.estimatedBytes > GRAPHQL_MAX_BYTES)) {
      batches.push(current);
      current = [];
      bytes = 0;
    }
    current.push(w);
    bytes += w.estimatedBytes;
  }
  if (current.length) batches.push(current);
  return batches;
}

function toResult(node: BlobNode | null): ObjectResult {
  if (!node || typeof node.byteSize !== 'number') return { ok: false, reason: 'not found' };
  const oid = node.oid ? { oid: node.oid } : {};
  if (node.isBinary) return { ok: false, reason: 'binary file', ...oid };
  if (node.isTruncated || typeof node.text !== 'string') return { ok: false, reason: 'too large for the GraphQL API', truncated: true, bytes: node.byteSize, ...oid };
  return { ok: true, text: node.text, oid: node.oid ?? '' };
}

/**
 * Reads objects in as few GraphQL requests as the batch limits allow. A failure on the repository
 * under review is an error; another repository that cannot be read (an organisation without a
 * `.github` repository, or one the App is not installed on) just has nothing to give.
 */
async function fetchObjects(octokit: Octokit, home: RepoRef | null, wanted: ObjectRequest[]): Promise<Map<string, ObjectResult>> {
  const out = new Map<string, ObjectResult>();
  const homeKey = home ? `${home.owner}/${home.repo}` : null;
  for (const batch of batchesOf(wanted)) {
    const groups = new Map<string, { alias: string; ref: RepoRef; items: { alias: string; req: ObjectRequest }[] }>();
    batch.forEach((req, i) => {
      const ref = req.repo ?? home;
      if (!ref) throw new Error('fetchObjects: an object without a repository');
      const k = `${ref.owner}/${ref.repo}`;
      let g = groups.get(k);
      if (!g) groups.set(k, (g = { alias: `r${groups.size}`, ref, items: [] }));
      g.items.push({ alias: `b${i}`, req });
    });
    const variables: Record<string, unknown> = {};
    const defs: string[] = [];
    const blocks: string[] = [];
    for (const g of groups.values()) {
      variables[`${g.alias}o`] = g.ref.owner;
      variables[`${g.alias}n`] = g.ref.repo;
      defs.push(`$${g.alias}o: String!`, `$${g.alias}n: String!`);
      const lines = g.items.map(({ alias, req }) => {
        variables[alias] = req.oid ?? req.expression;
        defs.push(`$${alias}: ${req.oid ? 'GitObjectID!' : 'String!'}`);
        return `    ${alias}: object(${req.oid ? 'oid' : 'expression'}: $${alias}) { ...blob }`;
      });
      blocks.push(`  ${g.alias}: repository(owner: $${g.alias}o, name: $${g.alias}n) {\n${lines.join('\n')}\n  }`);
    }
    const query = `query mlcostBlobs(${defs.join(', ')}) {\n${blocks.join('\n')}\n}\n${BLOB_FRAGMENT}`;
    const res = await graphql<Record<string, Record<string, BlobNode | null> | null>>(octokit, query, variables);
    const homeGroup = homeKey ? groups.get(homeKey) : undefined;
    // Errors without a path (rate limits, timeouts, a broken query) are failures whoever they concern.
    const general = res.errors.filter((e) => !e.path?.length);
    if (general.length || !res.data) throw graphqlFailure(general.length ? general : res.errors);
    if (homeGroup && !res.data[homeGroup.alias]) throw graphqlFailure(res.errors.filter((e) => e.path?.[0] === homeGroup.alias));
    for (const g of groups.values()) {
      const repoData = res.data?.[g.alias] ?? null;
      for (const { alias, req } of g.items) {
        const err = res.errors.find((e) => e.path?.[0] === g.alias && e.path[1] === alias);
        out.set(req.key, err ? { ok: false, reason: err.message } : toResult(repoData?.[alias] ?? null));
      }
    }
  }
  return out;
}

/** A blob GraphQL returned truncated, through the REST blob API (up to 100 MB). */
async function fetchBlobRest(octokit: Octokit, home: RepoRef, oid: string): Promise<string> {
  const { data } = await octokit.request('GET /repos/{owner}/{repo}/git/blobs/{file_sha}', { owner: home.owner, repo: home.repo, file_sha: oid });
  return data.encoding === 'base64' ? Buffer.from(data.content, 'base64').toString('utf8') : data.content;
}

// ---------------------------------------------------------------------------------------------
// Gathering

const TREE_BLOB_MODES = new Set(['100644', '100755']);

async function fetchTree(octokit: Octokit, home: RepoRef, sha: string): Promise<{ files: TreeFile[]; truncated: boolean }> {
  const { data } = await octokit.request('GET /repos/{owner}/{repo}/git/trees/{tree_sha}', { owner: home.owner, repo: home.repo, tree_sha: sha, recursive: '1' });
  const files: TreeFile[] = [];
  for (const e of data.tree) {
    if (e.type !== 'blob' || !e.path || !e.sha || !TREE_BLOB_MODES.has(e.mode ?? '')) continue;
    files.push({ path: e.path, oid: e.sha, size: typeof e.size === 'number' ? e.size : null });
  }
  return { files, truncated: data.truncated };
}

function changedFrom(f: { filename: string; status: string; previous_filename?: string }): ChangedFile {
  const status = (['added', 'removed', 'modified', 'renamed', 'copied', 'changed', 'unchanged'] as const).find((s) => s === f.status) ?? 'modified';
  return { path: f.filename, status, ...(f.previous_filename ? { previousPath: f.previous_filename } : {}) };
}

async function listPullFiles(octokit: Octokit, t: PullTarget): Promise<ChangedFile[]> {
  const out: ChangedFile[] = [];
  for (let page = 1; out.length < PR_FILES_LIMIT; page++) {
    const { data } = await octokit.request('GET /repos/{owner}/{repo}/pulls/{pull_number}/files', { owner: t.owner, repo: t.repo, pull_number: t.number, per_page: 100, page });
    out.push(...data.map(changedFrom));
    if (data.length < 100) break;
  }
  return out;
}

interface DirEntry {
  name?: string;
  type?: string;
  mode?: number;
  oid?: string;
  object?: { byteSize?: number } | null;
}

/** Listings of some directories at one commit (non-recursive), for trees too large to list whole. */
async function listDirs(octokit: Octokit, home: RepoRef, commit: string, dirs: string[]): Promise<TreeFile[]> {
  const out: TreeFile[] = [];
  for (let i = 0; i < dirs.length; i += 100) {
    const chunk = dirs.slice(i, i + 100);
    const variables: Record<string, unknown> = { owner: home.owner, name: home.repo };
    const defs = ['$owner: String!', '$name: String!'];
    const lines = chunk.map((dir, j) => {
      variables[`d${j}`] = `${commit}:${dir === '.' ? '' : dir}`;
      defs.push(`$d${j}: String!`);
      return `    d${j}: object(expression: $d${j}) { ... on Tree { entries { name type mode oid object { ... on Blob { byteSize } } } } }`;
    });
    const query = `query mlcostDirs(${defs.join(', ')}) {\n  r0: repository(owner: $owner, name: $name) {\n${lines.join('\n')}\n  }\n}`;
    const res = await graphql<{ r0: Record<string, { entries?: DirEntry[] } | null> | null }>(octokit, query, variables);
    if (!res.data?.r0) throw graphqlFailure(res.errors);
    chunk.forEach((dir, j) => {
      for (const e of res.data?.r0?.[`d${j}`]?.entries ?? []) {
        if (e.type !== 'blob' || !e.name || !e.oid || (e.mode !== undefined && e.mode === 0o120000)) continue;
        out.push({ path: dir === '.' ? e.name : `${dir}/${e.name}`, oid: e.oid, size: e.object?.byteSize ?? null });
      }
    });
  }
  return out;
}

export interface GatherOptions {
  /** Only projects under this directory (the Action's `path`). */
  scope?: string;
  /** A config file path instead of the default lookup (the Action's `config`). */
  configPath?: string;
  /** Override of FULL_SCAN_MAX_FILES (tests). */
  fullScanMaxFiles?: number;
}

/** The config files found; `missingExplicit` is a `configPath` that does not exist at the base commit. */
export interface ConfigFiles {
  own: ConfigText | null;
  org: ConfigText | null;
  missingExplicit: string | null;
}

export interface Gathered {
  mergeBase: string;
  /** Number of files the pull request changes. */
  changedFiles: number;
  base: ProjectFiles[];
  head: ProjectFiles[];
  /** Warnings about the reading itself (see FULL_SCAN_MAX_FILES). */
  readErrors: ReadError[];
  config: ResolvedConfig;
  /** Every project file of the head commit was read (modules' callers found everywhere). */
  fullScan: boolean;
}

/**
 * Up to this many project files (and bytes) at the head commit, all of them are read (one or two
 * GraphQL requests), so that a change to a shared module prices every root that calls it, exactly
 * as the CLI does. Above, only the touched projects and the modules they call are read.
 */
export const FULL_SCAN_MAX_FILES = 1500;
export const FULL_SCAN_MAX_BYTES = 8 * 1024 * 1024;
/** Rounds of following module calls downward when not every file is read. */
export const MODULE_ROUNDS = 4;

function estimate(size: number | null): number {
  return size ?? 16 * 1024;
}

type Side = 'base' | 'head';

/** The change: merge base, changed files, and the files of both sides (paths, blob ids, sizes). */
async function readChange(octokit: Octokit, t: PullTarget): Promise<{ mergeBase: string; changed: ChangedFile[]; headFiles: TreeFile[]; baseFiles: TreeFile[] }> {
  const home: RepoRef = { owner: t.owner, repo: t.repo };
  const { data: cmp } = await octokit.request('GET /repos/{owner}/{repo}/compare/{basehead}', {
    owner: t.owner,
    repo: t.repo,
    basehead: `${t.baseSha}...${t.headSha}`,
    per_page: 1,
  });
  const mergeBase = cmp.merge_base_commit.sha;
  const compareFiles = (cmp.files ?? []).map(changedFrom);
  const compareComplete = compareFiles.length < COMPARE_FILE_LIMIT;

  const headTree = await fetchTree(octokit, home, t.headSha);
  let changed: ChangedFile[] = compareFiles;
  let headFiles = headTree.files;
  let baseFiles: TreeFile[] | null = null;
  if (!compareComplete) {
    const baseTree = await fetchTree(octokit, home, mergeBase);
    if (!headTree.truncated && !baseTree.truncated) {
      changed = diffTrees(baseTree.files, headTree.files);
      baseFiles = baseTree.files;
    } else {
      changed = await listPullFiles(octokit, t);
    }
  }
  if (headTree.truncated) {
    const dirs = candidateDirs(changed.flatMap((c) => (c.previousPath ? [c.path, c.previousPath] : [c.path])));
    headFiles = await listDirs(octokit, home, t.headSha, dirs);
    if (!compareComplete) baseFiles = await listDirs(octokit, home, mergeBase, dirs);
  }
  baseFiles ??= baseFilesFrom(headFiles, changed);
  return { mergeBase, changed, headFiles, baseFiles };
}

/**
 * Reads what the analysis needs: the merge base, the changed files, the files of the affected
 * projects on both sides (with the local modules they call), and the configuration, which
 * `configure` resolves (it may read further files for `_extends`). The base side is the merge base
 * (what GitHub's "Files changed" compares), so commits on the base branch since the branch point
 * are not counted as this pull request's cost; the config is read at the base branch's tip.
 */
export async function gatherPullRequest(
  octokit: Octokit,
  t: PullTarget,
  opts: GatherOptions,
  configure: (files: ConfigFiles) => Promise<ResolvedConfig>,
): Promise<Gathered> {
  const home: RepoRef = { owner: t.owner, repo: t.repo };
  const { mergeBase, changed, headFiles, baseFiles } = await readChange(octokit, t);
  const byPath: Record<Side, Map<string, TreeFile>> = {
    head: new Map(headFiles.map((f) => [f.path, f])),
    base: new Map(baseFiles.map((f) => [f.path, f])),
  };
  const paths: Record<Side, string[]> = { head: headFiles.map((f) => f.path), base: baseFiles.map((f) => f.path) };

  // Texts read so far, and files that could not be read (with the reason), per side.
  const texts: Record<Side, Record<string, string>> = { base: {}, head: {} };
  const skipped: Record<Side, Map<string, string>> = { base: new Map(), head: new Map() };
  const requested: Record<Side, Set<string>> = { base: new Set(), head: new Set() };
  let restLeft = MAX_REST_BLOBS;

  /** Reads files of both sides in GraphQL batches: by blob id (one read for a blob on both sides), else `<merge base>:<path>`. */
  const read = async (files: { side: Side; path: string }[], extra: ObjectRequest[] = []): Promise<Map<string, ObjectResult>> => {
    const wanted = new Map<string, ObjectRequest>();
    const keyOf: { side: Side; path: string; key: string }[] = [];
    for (const { side, path } of files) {
      if (requested[side].has(path)) continue;
      requested[side].add(path);
      const f = byPath[side].get(path);
      if (!f) continue;
      if (f.size !== null && f.size > MAX_FILE_BYTES) {
        skipped[side].set(path, tooLarge(f.size));
        continue;
      }
      const req: ObjectRequest = f.oid
        ? { key: `oid:${f.oid}`, oid: f.oid, estimatedBytes: estimate(f.size) }
        : { key: `expr:${mergeBase}:${path}`, expression: `${mergeBase}:${path}`, estimatedBytes: estimate(f.size) };
      if (!wanted.has(req.key)) wanted.set(req.key, req);
      keyOf.push({ side, path, key: req.key });
    }
    if (wanted.size === 0 && extra.length === 0) return new Map();
    const results = await fetchObjects(octokit, home, [...extra, ...wanted.values()]);
    // GraphQL truncates very large blobs: read those few through REST.
    for (const [key, r] of results) {
      if (r.ok || !r.truncated || !r.oid || !wanted.has(key)) continue;
      if ((r.bytes ?? 0) > MAX_FILE_BYTES) results.set(key, { ok: false, reason: tooLarge(r.bytes ?? 0) });
      else if (restLeft-- > 0) results.set(key, { ok: true, text: await fetchBlobRest(octokit, home, r.oid), oid: r.oid });
    }
    for (const { side, path, key } of keyOf) {
      const r = results.get(key);
      if (r?.ok) texts[side][path] = r.text;
      else skipped[side].set(path, `could not read the file from GitHub: ${r?.reason ?? 'not found'}`);
    }
    return results;
  };
  const both = (list: string[], side?: Side) => list.flatMap((path) => (side ? [{ side, path }] : [{ side: 'head' as const, path }, { side: 'base' as const, path }]));

  // Every project file of the head when the repository is of ordinary size; the touched projects otherwise.
  const headProjectFiles = candidateFiles(paths.head);
  const headBytes = headProjectFiles.reduce((n, p) => n + estimate(byPath.head.get(p)?.size ?? null), 0);
  const fullScanMax = opts.fullScanMaxFiles ?? FULL_SCAN_MAX_FILES;
  const fullScan = headProjectFiles.length <= fullScanMax && headBytes <= FULL_SCAN_MAX_BYTES;
  const first: { side: Side; path: string }[] = fullScan
    ? [...both(headProjectFiles, 'head'), ...both(candidateFiles(paths.base), 'base')]
    : (() => {
        const plan = planProjects(paths.base, paths.head, changed, opts.scope);
        return [...both(plan.base.flatMap((p) => p.files), 'base'), ...both(plan.head.flatMap((p) => p.files), 'head')];
      })();

  // Config lookups ride along in the first batch.
  const configPaths = opts.configPath ? [opts.configPath] : [...CONFIG_PATHS];
  const orgRepo: RepoRef = { owner: t.owner, repo: '.github' };
  const orgPaths = ['.github/mlcost.yml', '.mlcost.yml'];
  const configRequests: ObjectRequest[] = [
    ...configPaths.map((p) => ({ key: `config:${p}`, expression: `${t.baseSha}:${p}`, estimatedBytes: 4096 })),
    ...(opts.configPath || t.repo === '.github' ? [] : orgPaths.map((p) => ({ key: `org:${p}`, expression: `HEAD:${p}`, repo: orgRepo, estimatedBytes: 4096 }))),
  ];
  const results = await read(first, configRequests);
  const found = (key: string): string | null => {
    const r = results.get(key);
    return r?.ok ? r.text : null;
  };
  const own = configPaths.map((p): ConfigText | null => (found(`config:${p}`) !== null ? { owner: t.owner, repo: t.repo, path: p, text: found(`config:${p}`) as string } : null)).find((c) => c !== null) ?? null;
  const org = orgPaths.map((p): ConfigText | null => (found(`org:${p}`) !== null ? { ...orgRepo, path: p, text: found(`org:${p}`) as string } : null)).find((c) => c !== null) ?? null;
  const config = await configure({ own, org, missingExplicit: opts.configPath && !own ? opts.configPath : null });
  const moduleMap = config.config.terraform?.modules ?? {};

  // Not everything read: follow module calls downward from what was read, a few levels.
  if (!fullScan) {
    const knownDirs = new Set([...requested.head, ...requested.base].map(dirOf));
    for (let round = 0; round < MODULE_ROUNDS; round++) {
      const dirs = calledModuleDirs({ ...texts.base, ...texts.head }, knownDirs, moduleMap);
      if (dirs.length === 0) break;
      for (const d of dirs) knownDirs.add(d);
      const inDirs = (side: Side) => findProjects(paths[side].filter((p) => dirs.includes(dirOf(p)))).flatMap((p) => p.files);
      await read([...both(inDirs('head'), 'head'), ...both(inDirs('base'), 'base')]);
    }
  }

  const plan = planRoots(paths.base, paths.head, changed, texts, discoverOptions(config.config), opts.scope);
  // Files of the affected projects that discovery did not need the text of (a chart's files when
  // not everything was read, values files outside a chart named in .mlcost.yml): read them now.
  await read([...both(plan.base.flatMap((p) => p.files), 'base'), ...both(plan.head.flatMap((p) => p.files), 'head')]);
  const build = (side: Side, specs: ProjectSpec[]): ProjectFiles[] =>
    specs.map((spec) => {
      const files: Record<string, string> = {};
      const skippedHere: { file: string; reason: string }[] = [];
      for (const path of spec.files) {
        const text = texts[side][path];
        if (text !== undefined) files[path] = text;
        const reason = skipped[side].get(path);
        if (reason) skippedHere.push({ file: path, reason });
      }
      return { name: spec.name, path: spec.path, kind: spec.kind, files, ...(skippedHere.length ? { skipped: skippedHere } : {}), ...(spec.unread ? { unread: spec.unread } : {}) };
    });
  const head = build('head', plan.head);
  const readErrors: ReadError[] = [];
  if (!fullScan && head[0]) {
    readErrors.push({
      side: 'head',
      project: head[0].path,
      error: {
        file: head[0].path,
        line: 1,
        severity: 'warning',
        message: `this repository has ${headProjectFiles.length} project files, more than the ${fullScanMax} (or ${FULL_SCAN_MAX_BYTES / 1048576} MB) mlcost reads whole: only the touched projects and the modules they call were read, so roots elsewhere that call a changed module are not priced`,
      },
    });
  }
  return { mergeBase, changedFiles: changed.length, base: build('base', plan.base), head, readErrors, config, fullScan };
}

function tooLarge(size: number): string {
  return `file is ${(size / 1048576).toFixed(1)} MB, over the ${MAX_FILE_BYTES / 1048576} MB mlcost reads from GitHub; not analysed`;
}

/**
 * A config file of another repository at its default branch (`_extends`); null when the file or
 * the repository is absent or not readable with this installation (a request failure still throws).
 */
export async function fetchConfigFile(octokit: Octokit, at: ConfigLocation): Promise<string | null> {
  const repo = { owner: at.owner, repo: at.repo };
  const results = await fetchObjects(octokit, null, [{ key: 'c', expression: `HEAD:${at.path}`, repo, estimatedBytes: 4096 }]);
  const r = results.get('c');
  return r?.ok ? r.text : null;
}

// ---------------------------------------------------------------------------------------------
// The pull request's state and our comment

export interface OurComment {
  id: number;
  body: string;
  /** The head SHA the comment was written for (its marker). */
  headSha: string | null;
  /** The other `key=value` state of its marker (an approval record, see src/app/approval.ts). */
  state: Record<string, string>;
}

export interface PullState {
  /** The pull request's head SHA right now. */
  headSha: string;
  state: string;
  /** Our comments (marker + written by us), oldest first. */
  comments: OurComment[];
}

interface CommentNode {
  fullDatabaseId?: string | number | null;
  databaseId?: number | null;
  viewerDidAuthor?: boolean;
  author?: { login?: string } | null;
  body?: string;
}

interface PullStateData {
  viewer?: { login?: string } | null;
  repository?: {
    pullRequest?: {
      headRefOid?: string;
      state?: string;
      comments?: { pageInfo?: { hasNextPage?: boolean; endCursor?: string | null }; nodes?: (CommentNode | null)[] };
    } | null;
  } | null;
}

function stateQuery(idField: 'fullDatabaseId' | 'databaseId'): string {
  return `query mlcostPullState($owner: String!, $name: String!, $number: Int!, $after: String) {
  viewer { login }
  repository(owner: $owner, name: $name) {
    pullRequest(number: $number) {
      headRefOid
      state
      comments(first: 100, after: $after) {
        pageInfo { hasNextPage endCursor }
        nodes { ${idField} viewerDidAuthor author { login } body }
      }
    }
  }
}`;
}

function normalLogin(login: string | undefined | null): string {
  return (login ?? '').toLowerCase().replace(/\[bot\]$/, '');
}

/**
 * The pull request's current head and our comments, read just before writing. A comment is ours
 * when it starts with the marker AND the authenticated identity wrote it (GraphQL
 * `viewerDidAuthor`): anybody can paste a marker into a comment of their own.
 */
export async function readPullState(octokit: Octokit, t: PullTarget): Promise<PullState> {
  let idField: 'fullDatabaseId' | 'databaseId' = 'fullDatabaseId';
  const comments: OurComment[] = [];
  let after: string | null = null;
  let head = '';
  let state = '';
  for (let page = 0; page < 30; page++) {
    let res: GqlResult<PullStateData> = await graphql<PullStateData>(octokit, stateQuery(idField), { owner: t.owner, name: t.repo, number: t.number, after });
    if (res.errors.length && idField === 'fullDatabaseId' && res.errors.some((e) => /fullDatabaseId/.test(e.message))) {
      // Older GitHub Enterprise Server: no BigInt ids yet (and ids still fit an Int there).
      idField = 'databaseId';
      res = await graphql<PullStateData>(octokit, stateQuery(idField), { owner: t.owner, name: t.repo, number: t.number, after });
    }
    const pr = res.data?.repository?.pullRequest;
    if (!pr?.headRefOid) throw graphqlFailure(res.errors.length ? res.errors : [{ message: `pull request #${t.number} not found` }]);
    head = pr.headRefOid;
    state = pr.state ?? '';
    const viewer = normalLogin(res.data?.viewer?.login);
    for (const n of pr.comments?.nodes ?? []) {
      if (!n || typeof n.body !== 'string') continue;
      const marker = parseCommentMarker(n.body);
      if (!marker) continue;
      const mine = n.viewerDidAuthor === true || (viewer !== '' && normalLogin(n.author?.login) === viewer);
      const id = Number(n.fullDatabaseId ?? n.databaseId);
      if (!mine || !Number.isSafeInteger(id)) continue;
      comments.push({ id, body: n.body, headSha: marker.headSha, state: marker.state });
    }
    if (!pr.comments?.pageInfo?.hasNextPage) break;
    after = pr.comments.pageInfo.endCursor ?? null;
  }
  comments.sort((a, b) => a.id - b.id);
  return { headSha: head.toLowerCase(), state, comments };
}

export type CommentResult =
  | { action: 'created' | 'updated' | 'unchanged'; id: number; removedDuplicates: number }
  | { action: 'skipped' | 'stale'; reason: string };

/**
 * Writes our one comment: updates the oldest of ours in place (and removes duplicates a
 * concurrent delivery may have created), or creates it. Nothing is written when the analysis is
 * for a head SHA that is no longer the pull request's head (a delivery that arrived late).
 */
export async function writeComment(
  octokit: Octokit,
  t: PullTarget,
  state: PullState,
  body: string,
  decide: (exists: boolean) => 'create' | 'update' | 'skip',
): Promise<CommentResult> {
  if (state.headSha !== t.headSha.toLowerCase()) {
    return { action: 'stale', reason: `the pull request's head is now ${state.headSha.slice(0, 7)}; this analysis is for ${t.headSha.slice(0, 7)}` };
  }
  const [existing, ...duplicates] = state.comments;
  const action = decide(existing !== undefined);
  if (action === 'skip') return { action: 'skipped', reason: existing ? 'comment: never' : 'no comment wanted for this change' };
  let id: number;
  let result: 'created' | 'updated' | 'unchanged';
  if (existing) {
    id = existing.id;
    if (existing.body === body) {
      result = 'unchanged';
    } else {
      await octokit.request('PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}', { owner: t.owner, repo: t.repo, comment_id: existing.id, body });
      result = 'updated';
    }
  } else {
    const { data } = await octokit.request('POST /repos/{owner}/{repo}/issues/{issue_number}/comments', { owner: t.owner, repo: t.repo, issue_number: t.number, body });
    id = Number(data.id);
    result = 'created';
  }
  for (const d of duplicates) {
    await octokit.request('DELETE /repos/{owner}/{repo}/issues/comments/{comment_id}', { owner: t.owner, repo: t.repo, comment_id: d.id });
  }
  return { action: result, id, removedDuplicates: duplicates.length };
}

// ---------------------------------------------------------------------------------------------
// Check runs

function isoNow(): string {
  return new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** `external_id` of our check runs: lets a re-run find its pull request when GitHub does not say. */
export function externalIdFor(number: number): string {
  return `mlcost:pr=${number}`;
}

export function pullNumberFromExternalId(externalId: string | null | undefined): number | null {
  const m = /^mlcost:pr=(\d+)$/.exec(externalId ?? '');
  return m ? Number(m[1]) : null;
}

export async function createCheckRun(octokit: Octokit, t: PullTarget, output: { title: string; summary: string }): Promise<number> {
  const { data } = await octokit.request('POST /repos/{owner}/{repo}/check-runs', {
    owner: t.owner,
    repo: t.repo,
    name: CHECK_NAME,
    head_sha: t.headSha,
    status: 'in_progress',
    started_at: isoNow(),
    external_id: externalIdFor(t.number),
    output,
  });
  return Number(data.id);
}

/** A check run that is born failed: the work could not even start (a re-run whose pull request cannot be read). */
export async function createFailedCheckRun(octokit: Octokit, t: PullTarget, what: string): Promise<number> {
  const out = failureCheck(what);
  const { data } = await octokit.request('POST /repos/{owner}/{repo}/check-runs', {
    owner: t.owner,
    repo: t.repo,
    name: CHECK_NAME,
    head_sha: t.headSha,
    status: 'completed',
    conclusion: out.conclusion,
    completed_at: isoNow(),
    external_id: externalIdFor(t.number),
    output: { title: out.title, summary: out.summary },
  });
  return Number(data.id);
}

/**
 * Completes the check run: the conclusion and the first 50 annotations in one update, then the
 * rest in updates of 50 (GitHub's limit per request), each repeating title, summary and text.
 */
export async function completeCheckRun(octokit: Octokit, t: RepoRef, checkRunId: number, out: CheckOutput): Promise<void> {
  const base = { title: out.title, summary: out.summary, ...(out.text ? { text: out.text } : {}) };
  const batches: CheckOutput['annotations'][] = [];
  for (let i = 0; i < out.annotations.length; i += ANNOTATIONS_PER_REQUEST) batches.push(out.annotations.slice(i, i + ANNOTATIONS_PER_REQUEST));
  await octokit.request('PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}', {
    owner: t.owner,
    repo: t.repo,
    check_run_id: checkRunId,
    status: 'completed',
    conclusion: out.conclusion,
    completed_at: isoNow(),
    output: { ...base, ...(batches[0] ? { annotations: batches[0] } : {}) },
    // Buttons the check offers (at most 3: GitHub's limit), e.g. "Approve cost" on a failed check.
    ...(out.actions?.length ? { actions: out.actions.slice(0, 3).map((a) => ({ ...a })) } : {}),
  });
  for (const batch of batches.slice(1)) {
    await octokit.request('PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}', {
      owner: t.owner,
      repo: t.repo,
      check_run_id: checkRunId,
      output: { ...base, annotations: batch },
    });
  }
}

/** The pull request's base and head now (re-runs). */
export async function getPull(octokit: Octokit, repo: RepoRef, number: number): Promise<{ baseSha: string; headSha: string; baseRef: string; state: string }> {
  const { data } = await octokit.request('GET /repos/{owner}/{repo}/pulls/{pull_number}', { owner: repo.owner, repo: repo.repo, pull_number: number });
  return { baseSha: data.base.sha, headSha: data.head.sha, baseRef: data.base.ref, state: data.state };
}

/** Pull request numbers of a check suite's `mlcost` check runs, read from their external ids. */
export async function pullsOfCheckSuite(octokit: Octokit, repo: RepoRef, checkSuiteId: number): Promise<number[]> {
  const { data } = await octokit.request('GET /repos/{owner}/{repo}/check-suites/{check_suite_id}/check-runs', {
    owner: repo.owner,
    repo: repo.repo,
    check_suite_id: checkSuiteId,
    check_name: CHECK_NAME,
    per_page: 100,
  });
  const numbers = data.check_runs.map((r) => pullNumberFromExternalId(r.external_id)).filter((n): n is number => n !== null);
  return [...new Set(numbers)];
}

// ---------------------------------------------------------------------------------------------
// Approvals (src/app/approval.ts)

/**
 * A user's role on the repository: `permission` (legacy base: admin, write, read, none) and
 * `role_name` (admin, maintain, write, triage, read or a custom role). Someone who is not a
 * collaborator reads as `none`. Needs only the `metadata: read` permission.
 */
export async function getPermission(octokit: Octokit, repo: RepoRef, username: string): Promise<{ permission: string; roleName: string }> {
  try {
    const { data } = await octokit.request('GET /repos/{owner}/{repo}/collaborators/{username}/permission', { owner: repo.owner, repo: repo.repo, username });
    return { permission: data.permission, roleName: data.role_name };
  } catch (e) {
    if (isRequestError(e) && e.status === 404) return { permission: 'none', roleName: 'none' };
    throw e;
  }
}

/**
 * The configuration of a pull request alone (one GraphQL request, more for `_extends`), read as
 * `gatherPullRequest` reads it: the repository's file at the base commit, else the organisation's.
 */
export async function fetchPullConfig(octokit: Octokit, t: PullTarget, opts: { configPath?: string } = {}): Promise<ResolvedConfig> {
  const configPaths = opts.configPath ? [opts.configPath] : [...CONFIG_PATHS];
  const orgRepo: RepoRef = { owner: t.owner, repo: '.github' };
  const orgPaths = ['.github/mlcost.yml', '.mlcost.yml'];
  const requests: ObjectRequest[] = [
    ...configPaths.map((p) => ({ key: `config:${p}`, expression: `${t.baseSha}:${p}`, estimatedBytes: 4096 })),
    ...(opts.configPath || t.repo === '.github' ? [] : orgPaths.map((p) => ({ key: `org:${p}`, expression: `HEAD:${p}`, repo: orgRepo, estimatedBytes: 4096 }))),
  ];
  const results = await fetchObjects(octokit, { owner: t.owner, repo: t.repo }, requests);
  const found = (key: string): string | null => {
    const r = results.get(key);
    return r?.ok ? r.text : null;
  };
  const own = configPaths.map((p): ConfigText | null => (found(`config:${p}`) !== null ? { owner: t.owner, repo: t.repo, path: p, text: found(`config:${p}`) as string } : null)).find((c) => c !== null) ?? null;
  const org = orgPaths.map((p): ConfigText | null => (found(`org:${p}`) !== null ? { ...orgRepo, path: p, text: found(`org:${p}`) as string } : null)).find((c) => c !== null) ?? null;
  return resolveConfig(own, org, t, (at) => fetchConfigFile(octokit, at));
}

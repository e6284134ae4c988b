/**
 * An in-memory GitHub for the App's tests: repositories with real git blob ids, pull requests,
 * issue comments, check runs, and the REST and GraphQL endpoints mlcost calls, with GitHub's real
 * response shapes (built from the examples of GitHub's OpenAPI description and checked against its
 * schemas). Every request body is validated against the OpenAPI description; a violation is
 * answered 422 and recorded in `violations`, which tests assert empty.
 *
 * Used two ways: behind nock (test/helpers/github-nock.ts) and behind a loopback HTTP server
 * (test/helpers/github-standin.ts) for the end-to-end test.
 */
import { createHash } from 'node:crypto';
import { apiPath, assertValidRequest, assertValidResponse, exampleResponse } from './openapi.js';

export interface RecordedRequest {
  method: string;
  path: string;
  body: unknown;
  status: number;
}

export interface FakeComment {
  id: number;
  body: string;
  user: { login: string; type: 'Bot' | 'User' };
  viaApp: boolean;
  createdAt: string;
}

export interface FakeCheckRun {
  id: number;
  repo: string;
  name: string;
  head_sha: string;
  status: string;
  conclusion: string | null;
  external_id: string | null;
  output: { title?: string; summary?: string; text?: string };
  annotations: Record<string, unknown>[];
  /** The buttons it offers (`actions`, as last set). */
  actions: Record<string, unknown>[];
  /** Every request body that created or updated it, in order. */
  updates: Record<string, unknown>[];
}

interface Commit {
  sha: string;
  parent: string | null;
  /** path -> blob oid */
  tree: Map<string, string>;
}

export interface FakePull {
  number: number;
  base: { ref: string; sha: string };
  head: { ref: string; sha: string };
  state: 'open' | 'closed';
  comments: FakeComment[];
}

export class FakeRepo {
  readonly commits = new Map<string, Commit>();
  readonly blobs = new Map<string, string>();
  readonly pulls = new Map<number, FakePull>();
  readonly branches = new Map<string, string>();
  defaultBranch = 'main';
  private seq = 0;

  constructor(
    readonly owner: string,
    readonly name: string,
  ) {}

  get fullName(): string {
    return `${this.owner}/${this.name}`;
  }

  /** A commit with these files (on top of `parent`'s files when `inherit`); returns its SHA. */
  commit(files: Record<string, string | null>, parent: string | null = null, inherit = true): string {
    const tree = new Map(inherit && parent ? (this.commits.get(parent)?.tree ?? []) : []);
    for (const [path, text] of Object.entries(files)) {
      if (text === null) tree.delete(path);
      else tree.set(path, this.blob(text));
    }
    const sha = createHash('sha1').update(`commit ${this.fullName} ${this.seq++} ${parent ?? ''} ${[...tree].join(',')}`).digest('hex');
    this.commits.set(sha, { sha, parent, tree });
    return sha;
  }

  blob(text: string): string {
    const oid = gitBlobId(text);
    this.blobs.set(oid, text);
    return oid;
  }

  branch(name: string, sha: string): void {
    this.branches.set(name, sha);
  }

  /** A pull request from `head` into `base` (branch names; their current SHAs). */
  pull(number: number, base: string, head: string): FakePull {
    const pr: FakePull = {
      number,
      base: { ref: base, sha: this.resolve(base) ?? base },
      head: { ref: head, sha: this.resolve(head) ?? head },
      state: 'open',
      comments: [],
    };
    this.pulls.set(number, pr);
    return pr;
  }

  resolve(rev: string): string | undefined {
    if (rev === 'HEAD') return this.branches.get(this.defaultBranch);
    return this.branches.get(rev) ?? (this.commits.has(rev) ? rev : undefined);
  }

  ancestors(sha: string): string[] {
    const out: string[] = [];
    let c: string | null = sha;
    while (c) {
      out.push(c);
      c = this.commits.get(c)?.parent ?? null;
    }
    return out;
  }

  mergeBase(base: string, head: string): string | undefined {
    const inBase = new Set(this.ancestors(base));
    return this.ancestors(head).find((s) => inBase.has(s));
  }
}

/** Git's blob id: sha1 of `blob <bytes>\0<content>`. */
export function gitBlobId(text: string): string {
  const buf = Buffer.from(text, 'utf8');
  return createHash('sha1').update(`blob ${buf.length}\0`).update(buf).digest('hex');
}

export interface Failure {
  method: string;
  path: RegExp;
  status: number;
  message?: string;
  /** How many times (default: always). */
  times?: number;
  /** Answer after this many ms (a slow GitHub). */
  delayMs?: number;
}

export interface FakeResponse {
  status: number;
  body: unknown;
  headers: Record<string, string>;
  delayMs?: number;
}

const ISO = () => new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');

export class FakeGitHub {
  readonly repos = new Map<string, FakeRepo>();
  readonly requests: RecordedRequest[] = [];
  readonly violations: string[] = [];
  readonly checkRuns: FakeCheckRun[] = [];
  readonly failures: Failure[] = [];
  /** Login of the App's bot user (what GraphQL `viewer` returns for its installation token). */
  botLogin = 'mlcost[bot]';
  appId = 1;
  /** GraphQL truncates blob text above this many bytes (GitHub does so for large blobs). */
  graphqlTextLimit = 512 * 1024;
  /** Trees with more entries than this are answered `truncated: true`. */
  treeEntryLimit = 100_000;
  /** GitHub Enterprise Server without `fullDatabaseId`. */
  noFullDatabaseId = false;
  /** Check bodies against the OpenAPI description (off in the benchmark: that is test work, not the App's). */
  validate = true;
  /** Repository roles (`admin`, `maintain`, `write`, `triage`, `read`) by `owner/repo:login`; `read` when not set. */
  readonly roles = new Map<string, string>();
  private nextId = 1000;

  repo(owner: string, name: string): FakeRepo {
    const key = `${owner}/${name}`;
    let r = this.repos.get(key);
    if (!r) this.repos.set(key, (r = new FakeRepo(owner, name)));
    return r;
  }

  fail(f: Failure): void {
    this.failures.push(f);
  }

  /** Requests excluding the installation token exchange. */
  apiRequests(): RecordedRequest[] {
    return this.requests.filter((r) => !/\/access_tokens$/.test(r.path));
  }

  comments(repo: string, number: number): FakeComment[] {
    return this.repos.get(repo)?.pulls.get(number)?.comments ?? [];
  }

  /** Someone else's comment (a person pasting our marker, say). */
  addComment(repo: string, number: number, body: string, user: FakeComment['user'] = { login: 'octocat', type: 'User' }): FakeComment {
    const c: FakeComment = { id: this.nextId++, body, user, viaApp: user.login === this.botLogin, createdAt: ISO() };
    this.repos.get(repo)?.pulls.get(number)?.comments.push(c);
    return c;
  }

  /** Answers one request. `path` may carry the GHES `/api/v3` prefix and a query string. */
  handle(method: string, rawPath: string, rawBody: unknown): FakeResponse {
    const m = method.toUpperCase();
    const body = typeof rawBody === 'string' && rawBody !== '' ? safeJson(rawBody) : rawBody === '' ? undefined : rawBody;
    const path = apiPath(rawPath.replace(/^\/api\/graphql/, '/graphql'));
    const query = new URLSearchParams(rawPath.split('?')[1] ?? '');
    let res: FakeResponse;
    try {
      if (this.validate) assertValidRequest(m, path, body);
    } catch (e) {
      const message = (e as Error).message;
      this.violations.push(message);
      res = json(422, { message: `Validation Failed: ${message}`, documentation_url: 'https://docs.github.com/rest' });
      this.requests.push({ method: m, path, body, status: res.status });
      return res;
    }
    const failure = this.failures.find((f) => f.method === m && f.path.test(path) && (f.times === undefined || f.times > 0));
    if (failure) {
      if (failure.times !== undefined) failure.times--;
      res = json(failure.status, { message: failure.message ?? 'Server Error', documentation_url: 'https://docs.github.com/rest' });
      if (failure.delayMs) res.delayMs = failure.delayMs;
    } else {
      try {
        res = this.route(m, path, query, body);
      } catch (e) {
        this.violations.push(`fake GitHub failed on ${m} ${path}: ${(e as Error).stack ?? String(e)}`);
        res = json(500, { message: 'fake GitHub error' });
      }
      if (this.validate && res.status < 300 && path !== '/graphql') {
        try {
          assertValidResponse(m, path, res.status, res.body);
        } catch (e) {
          this.violations.push(`fake GitHub answered with a shape GitHub does not document: ${(e as Error).message}`);
        }
      }
    }
    this.requests.push({ method: m, path, body, status: res.status });
    return res;
  }

  private route(m: string, path: string, query: URLSearchParams, body: unknown): FakeResponse {
    let g: RegExpExecArray | null;
    if (m === 'POST' && (g = /^\/app\/installations\/(\d+)\/access_tokens$/.exec(path))) {
      const token = exampleResponse('installation-token');
      return json(201, { ...token, token: 'ghs_testtoken', expires_at: new Date(Date.now() + 3600_000).toISOString().replace(/\.\d{3}Z$/, 'Z') });
    }
    if (m === 'POST' && path === '/graphql') return json(200, this.graphql(body as { query: string; variables?: Record<string, unknown> }));
    const repoMatch = /^\/repos\/([^/]+)\/([^/]+)(\/.*)?$/.exec(path);
    if (!repoMatch) return notFound();
    const repo = this.repos.get(`${repoMatch[1]}/${repoMatch[2]}`);
    if (!repo) return notFound();
    const rest = repoMatch[3] ?? '';
    const b = (body ?? {}) as Record<string, unknown>;

    if (m === 'GET' && (g = /^\/compare\/([^/]+)$/.exec(rest))) return this.compare(repo, decodeURIComponent(g[1] as string));
    if (m === 'GET' && (g = /^\/git\/trees\/([^/]+)$/.exec(rest))) return this.tree(repo, decodeURIComponent(g[1] as string), query.get('recursive') !== null);
    if (m === 'GET' && (g = /^\/git\/blobs\/([0-9a-f]+)$/.exec(rest))) {
      const text = repo.blobs.get(g[1] as string);
      if (text === undefined) return notFound();
      const ex = exampleResponse('blob');
      return json(200, { ...ex, sha: g[1], size: Buffer.byteLength(text), content: Buffer.from(text).toString('base64'), encoding: 'base64', url: `https://api.github.com/repos/${repo.fullName}/git/blobs/${g[1]}` });
    }
    if (m === 'GET' && (g = /^\/collaborators\/([^/]+)\/permission$/.exec(rest))) {
      const login = decodeURIComponent(g[1] as string);
      const role = this.roles.get(`${repo.fullName}:${login}`) ?? 'read';
      const legacy: Record<string, string> = { admin: 'admin', maintain: 'write', write: 'write', triage: 'read', read: 'read', none: 'none' };
      const ex = exampleResponse('repository-collaborator-permission-response-if-user-has-admin-permissions');
      return json(200, { ...ex, permission: legacy[role] ?? 'read', role_name: role, user: { ...(ex['user'] as Record<string, unknown>), login, role_name: role } });
    }
    if (m === 'GET' && (g = /^\/pulls\/(\d+)$/.exec(rest))) {
      const pr = repo.pulls.get(Number(g[1]));
      return pr ? json(200, this.pullBody(repo, pr)) : notFound();
    }
    if (m === 'GET' && (g = /^\/pulls\/(\d+)\/files$/.exec(rest))) {
      const pr = repo.pulls.get(Number(g[1]));
      if (!pr) return notFound();
      const base = repo.mergeBase(pr.base.sha, pr.head.sha) ?? pr.base.sha;
      const files = this.diffFiles(repo, base, pr.head.sha).slice(0, 3000);
      const perPage = Number(query.get('per_page') ?? 30);
      const page = Number(query.get('page') ?? 1);
      return json(200, files.slice((page - 1) * perPage, page * perPage));
    }
    if (m === 'POST' && rest === '/check-runs') {
      const run: FakeCheckRun = {
        id: this.nextId++,
        repo: repo.fullName,
        name: String(b['name']),
        head_sha: String(b['head_sha']),
        status: String(b['status'] ?? (b['conclusion'] ? 'completed' : 'queued')),
        conclusion: (b['conclusion'] as string | undefined) ?? null,
        external_id: (b['external_id'] as string | undefined) ?? null,
        output: {},
        annotations: [],
        actions: Array.isArray(b['actions']) ? (b['actions'] as Record<string, unknown>[]) : [],
        updates: [b],
      };
      this.applyOutput(run, b);
      this.checkRuns.push(run);
      return json(201, this.checkRunBody(repo, run));
    }
    if (m === 'PATCH' && (g = /^\/check-runs\/(\d+)$/.exec(rest))) {
      const run = this.checkRuns.find((r) => r.id === Number(g?.[1]) && r.repo === repo.fullName);
      if (!run) return notFound();
      run.updates.push(b);
      if (Array.isArray(b['actions'])) run.actions = b['actions'] as Record<string, unknown>[];
      if (b['status']) run.status = String(b['status']);
      if (b['conclusion']) {
        run.conclusion = String(b['conclusion']);
        run.status = 'completed';
      }
      this.applyOutput(run, b);
      return json(200, this.checkRunBody(repo, run));
    }
    if (m === 'GET' && (g = /^\/check-suites\/(\d+)\/check-runs$/.exec(rest))) {
      const name = query.get('check_name');
      const runs = this.checkRuns.filter((r) => r.repo === repo.fullName && (!name || r.name === name));
      return json(200, { total_count: runs.length, check_runs: runs.map((r) => this.checkRunBody(repo, r)) });
    }
    if ((g = /^\/issues\/(\d+)\/comments$/.exec(rest))) {
      const pr = repo.pulls.get(Number(g[1]));
      if (!pr) return notFound();
      if (m === 'GET') return json(200, pr.comments.map((c) => this.commentBody(repo, pr, c)));
      if (m === 'POST') {
        const c: FakeComment = { id: this.nextId++, body: String(b['body']), user: { login: this.botLogin, type: 'Bot' }, viaApp: true, createdAt: ISO() };
        if (c.body.length > 65536) return json(422, { message: 'Validation Failed: body is too long (maximum is 65536 characters)' });
        pr.comments.push(c);
        return json(201, this.commentBody(repo, pr, c));
      }
    }
    if ((g = /^\/issues\/comments\/(\d+)$/.exec(rest))) {
      const id = Number(g[1]);
      const pr = [...repo.pulls.values()].find((p) => p.comments.some((c) => c.id === id));
      const c = pr?.comments.find((x) => x.id === id);
      if (!pr || !c) return notFound();
      if (m === 'PATCH') {
        if (c.user.login !== this.botLogin) return json(403, { message: 'Resource not accessible by integration' });
        if (String(b['body']).length > 65536) return json(422, { message: 'Validation Failed: body is too long (maximum is 65536 characters)' });
        c.body = String(b['body']);
        return json(200, this.commentBody(repo, pr, c));
      }
      if (m === 'DELETE') {
        pr.comments.splice(pr.comments.indexOf(c), 1);
        return { status: 204, body: '', headers: {} };
      }
    }
    return notFound();
  }

  private applyOutput(run: FakeCheckRun, b: Record<string, unknown>): void {
    const out = b['output'] as Record<string, unknown> | undefined;
    if (!out) return;
    for (const k of ['title', 'summary', 'text'] as const) if (typeof out[k] === 'string') run.output[k] = out[k] as string;
    if (Array.isArray(out['annotations'])) {
      if (out['annotations'].length > 50) this.violations.push(`check run ${run.id}: ${out['annotations'].length} annotations in one request (GitHub accepts 50)`);
      run.annotations.push(...(out['annotations'] as Record<string, unknown>[]));
    }
    for (const k of ['summary', 'text'] as const) {
      if ((run.output[k]?.length ?? 0) > 65535) this.violations.push(`check run ${run.id}: output.${k} longer than 65535`);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Response bodies

  private compare(repo: FakeRepo, basehead: string): FakeResponse {
    const [baseRev, headRev] = basehead.split('...') as [string, string | undefined];
    const base = repo.resolve(baseRev);
    const head = headRev ? repo.resolve(headRev) : undefined;
    if (!base || !head) return notFound();
    const mergeBase = repo.mergeBase(base, head);
    if (!mergeBase) return notFound();
    const ex = exampleResponse('commit-comparison');
    const files = this.diffFiles(repo, mergeBase, head);
    const ahead = repo.ancestors(head).indexOf(mergeBase);
    const behind = repo.ancestors(base).indexOf(mergeBase);
    const baseCommit = ex['base_commit'] as Record<string, unknown>;
    return json(200, {
      ...ex,
      base_commit: { ...baseCommit, sha: base },
      merge_base_commit: { ...(ex['merge_base_commit'] as Record<string, unknown>), sha: mergeBase },
      status: ahead > 0 && behind > 0 ? 'diverged' : ahead > 0 ? 'ahead' : behind > 0 ? 'behind' : 'identical',
      ahead_by: ahead,
      behind_by: behind,
      total_commits: ahead,
      commits: [],
      files: files.slice(0, 300),
    });
  }

  diffFiles(repo: FakeRepo, from: string, to: string): Record<string, unknown>[] {
    const a = repo.commits.get(from)?.tree ?? new Map<string, string>();
    const b = repo.commits.get(to)?.tree ?? new Map<string, string>();
    const out: Record<string, unknown>[] = [];
    const entry = (filename: string, status: string, sha: string) => ({
      sha,
      filename,
      status,
      additions: 1,
      deletions: 0,
      changes: 1,
      blob_url: `https://github.com/${repo.fullName}/blob/${to}/${filename}`,
      raw_url: `https://github.com/${repo.fullName}/raw/${to}/${filename}`,
      contents_url: `https://api.github.com/repos/${repo.fullName}/contents/${filename}?ref=${to}`,
      patch: '@@ -0,0 +1 @@',
    });
    for (const [path, oid] of [...b].sort()) {
      const before = a.get(path);
      if (before === undefined) out.push(entry(path, 'added', oid));
      else if (before !== oid) out.push(entry(path, 'modified', oid));
    }
    for (const [path, oid] of [...a].sort()) if (!b.has(path)) out.push(entry(path, 'removed', oid));
    return out.sort((x, y) => (String(x['filename']) < String(y['filename']) ? -1 : 1));
  }

  private tree(repo: FakeRepo, rev: string, recursive: boolean): FakeResponse {
    const sha = repo.resolve(rev);
    const commit = sha ? repo.commits.get(sha) : undefined;
    if (!commit) return notFound();
    const entries: Record<string, unknown>[] = [];
    const dirs = new Set<string>();
    for (const [path, oid] of commit.tree) {
      const parts = path.split('/');
      for (let i = 1; i < parts.length; i++) dirs.add(parts.slice(0, i).join('/'));
      if (!recursive && parts.length > 1) continue;
      entries.push({ path, mode: '100644', type: 'blob', sha: oid, size: Buffer.byteLength(repo.blobs.get(oid) ?? ''), url: `https://api.github.com/repos/${repo.fullName}/git/blobs/${oid}` });
    }
    for (const d of dirs) {
      if (!recursive && d.includes('/')) continue;
      const oid = createHash('sha1').update(`tree ${sha} ${d}`).digest('hex');
      entries.push({ path: d, mode: '040000', type: 'tree', sha: oid, url: `https://api.github.com/repos/${repo.fullName}/git/trees/${oid}` });
    }
    entries.sort((x, y) => (String(x['path']) < String(y['path']) ? -1 : 1));
    const truncated = entries.length > this.treeEntryLimit;
    return json(200, { sha: commit.sha, url: `https://api.github.com/repos/${repo.fullName}/git/trees/${commit.sha}`, tree: truncated ? entries.slice(0, this.treeEntryLimit) : entries, truncated });
  }

  private pullBody(repo: FakeRepo, pr: FakePull): Record<string, unknown> {
    const ex = exampleResponse('pull-request');
    const side = (s: { ref: string; sha: string }, key: 'base' | 'head') => ({ ...(ex[key] as Record<string, unknown>), ref: s.ref, sha: s.sha, label: `${repo.owner}:${s.ref}` });
    return { ...ex, number: pr.number, state: pr.state, base: side(pr.base, 'base'), head: side(pr.head, 'head'), requested_teams: [] };
  }

  private checkRunBody(repo: FakeRepo, run: FakeCheckRun): Record<string, unknown> {
    const ex = exampleResponse('check-run');
    return {
      ...ex,
      id: run.id,
      name: run.name,
      head_sha: run.head_sha,
      status: run.status,
      conclusion: run.conclusion,
      external_id: run.external_id ?? '',
      url: `https://api.github.com/repos/${repo.fullName}/check-runs/${run.id}`,
      output: { ...(ex['output'] as Record<string, unknown>), title: run.output.title ?? null, summary: run.output.summary ?? null, text: run.output.text ?? null, annotations_count: run.annotations.length },
      pull_requests: [],
    };
  }

  private commentBody(repo: FakeRepo, pr: FakePull, c: FakeComment): Record<string, unknown> {
    const ex = exampleResponse('issue-comment');
    return {
      ...ex,
      id: c.id,
      node_id: `IC_${c.id}`,
      body: c.body,
      url: `https://api.github.com/repos/${repo.fullName}/issues/comments/${c.id}`,
      html_url: `https://github.com/${repo.fullName}/pull/${pr.number}#issuecomment-${c.id}`,
      issue_url: `https://api.github.com/repos/${repo.fullName}/issues/${pr.number}`,
      user: { ...(ex['user'] as Record<string, unknown>), login: c.user.login, type: c.user.type },
      created_at: c.createdAt,
      updated_at: ISO(),
    };
  }

  // ---------------------------------------------------------------------------------------------
  // GraphQL (the three queries mlcost sends)

  private graphql(body: { query: string; variables?: Record<string, unknown> }): unknown {
    const q = body.query;
    const vars = body.variables ?? {};
    if (/\bquery mlcostPullState\b/.test(q)) return this.pullState(q, vars);
    if (/\bquery mlcost(Blobs|Dirs)\b/.test(q)) return this.objects(q, vars);
    return { errors: [{ message: 'fake GitHub: unknown query' }] };
  }

  private pullState(q: string, vars: Record<string, unknown>): unknown {
    if (this.noFullDatabaseId && q.includes('fullDatabaseId')) {
      return { errors: [{ message: "Field 'fullDatabaseId' doesn't exist on type 'IssueComment'", extensions: { code: 'undefinedField' } }] };
    }
    const repo = this.repos.get(`${vars['owner']}/${vars['name']}`);
    const pr = repo?.pulls.get(Number(vars['number']));
    if (!repo || !pr) return { data: { viewer: { login: this.botLogin }, repository: repo ? { pullRequest: null } : null }, errors: [{ type: 'NOT_FOUND', message: 'Could not resolve to a PullRequest', path: ['repository'] }] };
    const start = vars['after'] ? Number(vars['after']) : 0;
    const page = pr.comments.slice(start, start + 100);
    const idField = q.includes('fullDatabaseId') ? 'fullDatabaseId' : 'databaseId';
    return {
      data: {
        viewer: { login: this.botLogin },
        repository: {
          pullRequest: {
            headRefOid: pr.head.sha,
            state: pr.state.toUpperCase(),
            comments: {
              pageInfo: { hasNextPage: start + 100 < pr.comments.length, endCursor: String(start + 100) },
              nodes: page.map((c) => ({
                [idField]: idField === 'fullDatabaseId' ? String(c.id) : c.id,
                viewerDidAuthor: c.user.login === this.botLogin,
                author: { login: c.user.login.replace(/\[bot\]$/, '') },
                body: c.body,
              })),
            },
          },
        },
      },
    };
  }

  private objects(q: string, vars: Record<string, unknown>): unknown {
    const data: Record<string, unknown> = {};
    const errors: unknown[] = [];
    const blockRe = /(\w+): repository\(owner: \$(\w+), name: \$(\w+)\) \{\n([\s\S]*?)\n {2}\}/g;
    for (const block of q.matchAll(blockRe)) {
      const [, alias, ownerVar, nameVar, inner] = block as unknown as [string, string, string, string, string];
      const repo = this.repos.get(`${vars[ownerVar]}/${vars[nameVar]}`);
      if (!repo) {
        data[alias] = null;
        errors.push({ type: 'NOT_FOUND', path: [alias], message: `Could not resolve to a Repository with the name '${vars[ownerVar]}/${vars[nameVar]}'.` });
        continue;
      }
      const out: Record<string, unknown> = {};
      for (const obj of inner.matchAll(/(\w+): object\((oid|expression): \$(\w+)\) \{ (\.\.\.blob|\.\.\. on Tree)/g)) {
        const [, a, kind, v, what] = obj as unknown as [string, string, string, string, string];
        const value = String(vars[v]);
        if (what === '...blob') {
          let oid: string | undefined;
          if (kind === 'oid') oid = repo.blobs.has(value) ? value : undefined;
          else {
            const i = value.indexOf(':');
            const sha = repo.resolve(value.slice(0, i));
            oid = sha ? repo.commits.get(sha)?.tree.get(value.slice(i + 1)) : undefined;
          }
          const text = oid ? repo.blobs.get(oid) : undefined;
          if (!oid || text === undefined) {
            out[a] = null;
            continue;
          }
          const bytes = Buffer.byteLength(text);
          const binary = text.includes('\u0000');
          const truncated = bytes > this.graphqlTextLimit;
          out[a] = { oid, byteSize: bytes, isBinary: binary, isTruncated: truncated, text: binary ? null : truncated ? text.slice(0, this.graphqlTextLimit) : text };
        } else {
          const i = value.indexOf(':');
          const sha = repo.resolve(value.slice(0, i));
          const dir = value.slice(i + 1);
          const tree = sha ? repo.commits.get(sha)?.tree : undefined;
          if (!tree) {
            out[a] = null;
            continue;
          }
          const prefix = dir ? `${dir}/` : '';
          const entries: Record<string, unknown>[] = [];
          const subdirs = new Set<string>();
          for (const [path, oid] of tree) {
            if (!path.startsWith(prefix)) continue;
            const rest = path.slice(prefix.length);
            if (rest.includes('/')) subdirs.add(rest.split('/')[0] as string);
            else entries.push({ name: rest, type: 'blob', mode: 0o100644, oid, object: { byteSize: Buffer.byteLength(repo.blobs.get(oid) ?? '') } });
          }
          for (const s of subdirs) entries.push({ name: s, type: 'tree', mode: 0o040000, oid: createHash('sha1').update(`${sha}:${prefix}${s}`).digest('hex'), object: {} });
          out[a] = entries.length || subdirs.size ? { entries } : null;
        }
      }
      data[alias] = out;
    }
    return errors.length ? { data, errors } : { data };
  }
}

function json(status: number, body: unknown): FakeResponse {
  return { status, body, headers: { 'content-type': 'application/json; charset=utf-8', 'x-ratelimit-remaining': '4999', 'x-ratelimit-limit': '5000' } };
}

function notFound(): FakeResponse {
  return json(404, { message: 'Not Found', documentation_url: 'https://docs.github.com/rest' });
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

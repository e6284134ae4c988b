/**
 * Reads projects from the local machine for the CLI: a directory on disk, or a git revision
 * read straight from the object store (no checkout). Only reads; never runs project code.
 */
import { execFile } from 'node:child_process';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { promisify } from 'node:util';
import { FileTooLargeError } from '../core/ports.js';
import type { RepoReader } from '../core/ports.js';
import type { ProjectFiles } from '../core/types.js';
import { candidateFiles, discoverProjects, isManifestCandidate } from '../core/projects.js';
import type { DiscoverOptions } from '../core/projects.js';

const run = promisify(execFile);

/** Files larger than this are passed on as a short marker; the analyzer reports them. */
export const MAX_READ_BYTES = 20 * 1024 * 1024;
const SKIP_DIRS = new Set(['.git', 'node_modules', '.terraform', '.terragrunt-cache']);

export function dirReader(root: string): RepoReader {
  return {
    async list(dir) {
      const out: string[] = [];
      async function walk(abs: string) {
        let entries;
        try {
          entries = await readdir(abs, { withFileTypes: true });
        } catch {
          return;
        }
        for (const e of entries) {
          if (e.isDirectory()) {
            if (!SKIP_DIRS.has(e.name)) await walk(join(abs, e.name));
          } else if (e.isFile()) out.push(relative(root, join(abs, e.name)).split(sep).join('/'));
        }
      }
      await walk(join(root, dir));
      return out.sort();
    },
    async read(path) {
      const abs = join(root, path);
      try {
        const s = await stat(abs);
        if (s.size > MAX_READ_BYTES) throw new FileTooLargeError(path, s.size, MAX_READ_BYTES);
        return await readFile(abs, 'utf8');
      } catch (e) {
        if (e instanceof FileTooLargeError) throw e;
        return null;
      }
    },
  };
}

/** Reads a git revision (`HEAD`, `main`, a SHA) of the repository at `repoDir`. */
export function gitReader(repoDir: string, rev: string): RepoReader {
  let prefix: Promise<string> | undefined;
  const top = () => (prefix ??= run('git', ['rev-parse', '--show-prefix'], { cwd: repoDir }).then((r) => r.stdout.trim()));
  return {
    async list(dir) {
      const p = await top();
      const scope = `${p}${dir === '.' ? '' : dir}` || '.';
      const { stdout } = await run('git', ['ls-tree', '-r', '--name-only', '--full-tree', rev, '--', scope], {
        cwd: repoDir,
        maxBuffer: 256 * 1024 * 1024,
      });
      return stdout.split('\n').filter(Boolean).map((f) => (p && f.startsWith(p) ? f.slice(p.length) : f)).sort();
    },
    async read(path) {
      const p = await top();
      try {
        const { stdout } = await run('git', ['cat-file', 'blob', `${rev}:${p}${path}`], { cwd: repoDir, maxBuffer: MAX_READ_BYTES + 1024 });
        return stdout;
      } catch (e) {
        if ((e as { code?: string }).code === 'ERR_CHILD_PROCESS_STDIO_MAXBUFFER') throw new FileTooLargeError(path, MAX_READ_BYTES + 1, MAX_READ_BYTES);
        return null;
      }
    },
  };
}

/** Checks that a revision exists, with a readable error. */
export async function verifyRev(repoDir: string, rev: string): Promise<void> {
  try {
    await run('git', ['rev-parse', '--verify', '--quiet', `${rev}^{commit}`], { cwd: repoDir });
  } catch {
    throw new Error(`git revision "${rev}" not found in ${repoDir}`);
  }
}

/**
 * All projects under `dir` of a reader, with their file texts. `label` names projects for people
 * (the directory the user gave) while `path` stays relative, so base and head still pair.
 */
export async function loadProjects(reader: RepoReader, dir = '.', label?: string, discover: DiscoverOptions = {}): Promise<ProjectFiles[]> {
  const paths = await reader.list(dir);
  const everything = dir === '.' ? paths : await reader.list('.');
  const texts: Record<string, string> = {};
  const skipped = new Map<string, string>();
  const tryRead = async (p: string): Promise<string | null> => {
    try {
      return await reader.read(p);
    } catch (e) {
      if (!(e instanceof FileTooLargeError)) throw e;
      skipped.set(p, e.message);
      return null;
    }
  };
  // Module sources may point anywhere in the repository: every candidate of the tree is read.
  const wanted = new Set(candidateFiles(paths));
  for (const p of candidateFiles(everything)) {
    // Outside the scanned directory only Terraform matters (modules the projects call).
    if (!wanted.has(p) && !p.endsWith('.tf') && !/\.tfvars(\.json)?$/.test(p)) continue;
    const text = await tryRead(p);
    if (text !== null && !(isManifestCandidate(p) && text.includes('\u0000'))) texts[p] = text;
  }
  const specs = discoverProjects(paths, texts, discover);
  const out: ProjectFiles[] = [];
  for (const spec of specs) {
    const files: Record<string, string> = {};
    const skippedHere: { file: string; reason: string }[] = [];
    for (const f of spec.files) {
      const text = texts[f] ?? (skipped.has(f) ? null : await tryRead(f));
      if (text !== null) files[f] = text;
      const reason = skipped.get(f);
      if (reason) skippedHere.push({ file: f, reason });
    }
    const name = label ? (spec.path === '.' ? label : `${label.replace(/\/$/, '')}/${spec.path}`) : spec.name;
    out.push({ name, path: spec.path, kind: spec.kind, files, ...(skippedHere.length ? { skipped: skippedHere } : {}), ...(spec.unread ? { unread: spec.unread } : {}) });
  }
  return out;
}

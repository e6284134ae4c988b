/**
 * Which files a pull request's analysis needs, from path lists alone (pure: no IO, no probot).
 *
 * The App and the Action know three things cheaply: the paths (and blob ids) of the head commit,
 * the files the pull request changes, and therefore the paths of the base side. From those,
 * `planProjects` lists the files to fetch on each side for a large repository (the Terraform
 * projects the change touches, and every candidate file of other kinds next to a touched path);
 * `planRoots` then finds the projects from what was read, with `discoverProjects`, as the CLI does.
 */
import { candidatesNear, discoverProjects, findProjects, localModuleDir } from '../core/projects.js';
import type { DiscoverOptions, ProjectSpec } from '../core/projects.js';
import { dirOf } from '../core/paths.js';

/** A file of a commit's tree. `oid` is the git blob id; `size` in bytes when known. */
export interface TreeFile {
  path: string;
  oid: string;
  size: number | null;
}

/** A file the pull request changes, as GitHub's compare / pull request files APIs list it. */
export interface ChangedFile {
  path: string;
  status: 'added' | 'removed' | 'modified' | 'renamed' | 'copied' | 'changed' | 'unchanged';
  /** The old path of a renamed file. */
  previousPath?: string;
}

/** Every path a change touches, old names of renamed files included. */
export function touchedPaths(changed: readonly ChangedFile[]): string[] {
  const out = new Set<string>();
  for (const c of changed) {
    out.add(c.path);
    if (c.previousPath) out.add(c.previousPath);
  }
  return [...out].sort();
}

/**
 * The base side's files, derived from the head tree and the change list: added files removed,
 * removed files and old names of renamed files added back. Files the change did not touch keep the
 * head's blob id (they are the same blob on both sides); touched files have no id (`oid: ''`), to
 * be read by path at the base commit.
 */
export function baseFilesFrom(head: readonly TreeFile[], changed: readonly ChangedFile[]): TreeFile[] {
  const byPath = new Map(head.map((f) => [f.path, f]));
  for (const c of changed) {
    switch (c.status) {
      case 'added':
      case 'copied':
        byPath.delete(c.path);
        break;
      case 'removed':
        byPath.set(c.path, { path: c.path, oid: '', size: null });
        break;
      case 'renamed':
        byPath.delete(c.path);
        if (c.previousPath) byPath.set(c.previousPath, { path: c.previousPath, oid: '', size: null });
        break;
      default:
        // Modified: same path, other content. The head's size is a fair estimate for batching.
        byPath.set(c.path, { path: c.path, oid: '', size: byPath.get(c.path)?.size ?? null });
    }
  }
  return [...byPath.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** The changed files between two full trees (what `git diff --name-status` would say, without rename detection). */
export function diffTrees(base: readonly TreeFile[], head: readonly TreeFile[]): ChangedFile[] {
  const baseByPath = new Map(base.map((f) => [f.path, f.oid]));
  const out: ChangedFile[] = [];
  for (const f of head) {
    const before = baseByPath.get(f.path);
    if (before === undefined) out.push({ path: f.path, status: 'added' });
    else if (before !== f.oid) out.push({ path: f.path, status: 'modified' });
    baseByPath.delete(f.path);
  }
  for (const path of baseByPath.keys()) out.push({ path, status: 'removed' });
  return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** Is `path` inside `dir` (`.` is the root)? */
export function isInside(path: string, dir: string): boolean {
  const d = dir.replace(/^\.\/?/, '').replace(/\/+$/, '');
  return d === '' || path === d || path.startsWith(`${d}/`);
}

export interface ProjectPlan {
  /** Projects the change touches, as they are on each side (a project may exist on one side only). */
  base: ProjectSpec[];
  head: ProjectSpec[];
  /** Every path the change touches (inside the scope). */
  touched: string[];
}

function projectKey(p: ProjectSpec): string {
  return `${p.kind}\u0000${p.path}`;
}

/**
 * The projects a change touches: a project is affected when one of its files (on either side) is
 * a touched path. Its complete file list is kept on both sides, so an untouched `variables.tf` of a
 * changed module is read too. `scope` limits everything to a directory (the Action's `path`).
 */
export function planProjects(basePaths: readonly string[], headPaths: readonly string[], changed: readonly ChangedFile[], scope = '.'): ProjectPlan {
  const inScope = (p: string) => isInside(p, scope);
  const touched = touchedPaths(changed).filter(inScope);
  const touchedSet = new Set(touched);
  const base = findProjects(basePaths.filter(inScope));
  const head = findProjects(headPaths.filter(inScope));
  const affected = new Set<string>();
  for (const p of [...base, ...head]) if (p.files.some((f) => touchedSet.has(f))) affected.add(projectKey(p));
  // Other kinds need texts to be recognised: every candidate file next to a touched path is read.
  const near = (paths: readonly string[]): ProjectSpec[] => {
    const files = candidatesNear(paths.filter(inScope), touched).filter((f) => !f.endsWith('.tf') && !/\.tfvars(\.json)?$/.test(f));
    return files.length ? [{ name: 'candidates', path: '.', kind: 'kubernetes', files }] : [];
  };
  return {
    base: [...base.filter((p) => affected.has(projectKey(p))), ...near(basePaths)],
    head: [...head.filter((p) => affected.has(projectKey(p))), ...near(headPaths)],
    touched,
  };
}

/**
 * The projects a change touches, local modules resolved as the CLI resolves them
 * (`terraformRoots`): a directory another one calls as a module is not a project of its own, and
 * each root carries the files of the modules it calls, so a change to a shared module affects
 * every root that calls it. `texts` are the Terraform texts read on each side (module calls are
 * found in them); `discover` is what `.mlcost.yml` says about projects (`discoverOptions`:
 * `terraform.modules`, `helm.charts`).
 */
export function planRoots(
  basePaths: readonly string[],
  headPaths: readonly string[],
  changed: readonly ChangedFile[],
  texts: { base: Record<string, string>; head: Record<string, string> },
  discover: DiscoverOptions = {},
  scope = '.',
): ProjectPlan {
  const inScope = (p: string) => isInside(p, scope);
  const touched = touchedPaths(changed).filter(inScope);
  // A module outside the scope still counts when a root inside the scope calls it.
  const allTouched = new Set(touchedPaths(changed));
  const base = discoverProjects(basePaths.filter(inScope), texts.base, discover);
  const head = discoverProjects(headPaths.filter(inScope), texts.head, discover);
  const affected = new Set<string>();
  for (const p of [...base, ...head]) if (p.files.some((f) => allTouched.has(f))) affected.add(projectKey(p));
  return { base: base.filter((p) => affected.has(projectKey(p))), head: head.filter((p) => affected.has(projectKey(p))), touched };
}

const MODULE_SOURCE = /\bsource\s*=\s*"([^"\n]*)"/g;

/**
 * Directories that the given Terraform texts call as local modules (or through `moduleMap`) and
 * that are not in `known` yet: the next files to read when following modules downward.
 */
export function calledModuleDirs(texts: Record<string, string>, known: ReadonlySet<string>, moduleMap: Record<string, string> = {}): string[] {
  const out = new Set<string>();
  for (const [path, text] of Object.entries(texts)) {
    if (!path.endsWith('.tf')) continue;
    for (const m of text.matchAll(MODULE_SOURCE)) {
      const dir = localModuleDir(dirOf(path), m[1] as string, moduleMap);
      if (dir !== null && !known.has(dir)) out.add(dir);
    }
  }
  return [...out].sort();
}

/**
 * Directories whose listing the fallback gatherer needs when a tree is too large to list whole:
 * the directory of each touched path and its ancestors (a chart's `Chart.yaml` sits above its
 * `templates/`), so any project kind can find its root among them.
 */
export function candidateDirs(touched: readonly string[]): string[] {
  const dirs = new Set<string>(['.']);
  for (const p of touched) {
    const parts = p.split('/').slice(0, -1);
    for (let i = 1; i <= parts.length; i++) dirs.add(parts.slice(0, i).join('/'));
  }
  return [...dirs].sort();
}

/**
 * Which projects a repository's paths make up: Terraform root modules (with the local modules they
 * call), directories of Kubernetes manifests, ... `discoverProjects` puts all kinds together.
 * Pure: works on path lists and texts it is given, reads nothing.
 */
import { dirOf, joinPath } from './paths.js';
import type { ProjectKind } from './types.js';

export interface ProjectSpec {
  name: string;
  /** Directory relative to the repository root (`.` for the root). */
  path: string;
  kind: ProjectKind;
  /** Files belonging to the project (repository-relative). */
  files: string[];
}

const IGNORED_DIRS = /(^|\/)(\.terraform|\.git|node_modules|\.terragrunt-cache)(\/|$)/;

export { dirOf };

export function findProjects(paths: string[]): ProjectSpec[] {
  const byDir = new Map<string, { tf: string[]; vars: string[] }>();
  for (const p of paths) {
    if (IGNORED_DIRS.test(p)) continue;
    const isTf = p.endsWith('.tf');
    const isVars = /\.tfvars(\.json)?$/.test(p);
    if (!isTf && !isVars) continue;
    const dir = dirOf(p);
    let entry = byDir.get(dir);
    if (!entry) byDir.set(dir, (entry = { tf: [], vars: [] }));
    (isTf ? entry.tf : entry.vars).push(p);
  }
  const out: ProjectSpec[] = [];
  for (const [dir, { tf, vars }] of byDir) {
    if (tf.length === 0) continue;
    out.push({ name: dir, path: dir, kind: 'terraform', files: [...tf, ...vars].sort() });
  }
  return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

const MODULE_SOURCE = /\bsource\s*=\s*"([^"\n]*)"/g;

/** Directory a module source refers to (repository-relative), or null for remote / outside sources. */
export function localModuleDir(fromDir: string, source: string, mapped: Record<string, string> = {}): string | null {
  const target = mapped[source] !== undefined ? { base: '.', rel: mapped[source] as string } : /^\.\.?(\/|$)/.test(source) ? { base: fromDir, rel: source } : null;
  return target ? joinPath(target.base, target.rel) : null;
}

/**
 * Turns Terraform directories into root projects: a directory that another one calls as a local
 * module is not a root of its own; each root carries the files of every module it calls,
 * transitively. `texts` holds the `.tf` texts (module sources are found with a light scan; the
 * analyzer does the real resolution and reports what it cannot follow).
 */
export function terraformRoots(specs: ProjectSpec[], texts: Record<string, string>, mapped: Record<string, string> = {}): ProjectSpec[] {
  const tfByDir = new Map<string, string[]>();
  for (const path of Object.keys(texts)) {
    if (!path.endsWith('.tf')) continue;
    const d = dirOf(path);
    let list = tfByDir.get(d);
    if (!list) tfByDir.set(d, (list = []));
    list.push(path);
  }
  const calls = new Map<string, string[]>();
  for (const [d, list] of tfByDir) {
    const out = new Set<string>();
    for (const f of list)
      for (const m of (texts[f] as string).matchAll(MODULE_SOURCE)) {
        const target = localModuleDir(d, m[1] as string, mapped);
        if (target !== null && target !== d) out.add(target);
      }
    calls.set(d, [...out]);
  }
  const called = new Set([...calls.values()].flat());
  const roots: ProjectSpec[] = [];
  for (const spec of specs) {
    if (spec.kind !== 'terraform' || called.has(spec.path)) {
      if (spec.kind !== 'terraform') roots.push(spec);
      continue;
    }
    const seen = new Set<string>([spec.path]);
    const queue = [...(calls.get(spec.path) ?? [])];
    const files = new Set(spec.files);
    while (queue.length) {
      const d = queue.shift() as string;
      if (seen.has(d)) continue;
      seen.add(d);
      for (const f of tfByDir.get(d) ?? []) files.add(f);
      queue.push(...(calls.get(d) ?? []));
    }
    roots.push({ ...spec, files: [...files].sort() });
  }
  return roots;
}

// ---------------------------------------------------------------------------------------------
// Kubernetes manifests

/** A YAML file that may hold Kubernetes manifests: `.yaml`/`.yml`, not under `.github/` (pipelines). */
export function isManifestCandidate(path: string): boolean {
  return /\.ya?ml$/i.test(path) && !IGNORED_DIRS.test(path) && !/(^|\/)\.github\//.test(path) && !/(^|\/)\.mlcost\.ya?ml$/.test(path);
}

const TOP_API_VERSION = /^["']?apiVersion["']?\s*:\s*\S/m;
const TOP_KIND = /^["']?kind["']?\s*:\s*\S/m;

/** Whether a YAML text holds a Kubernetes object: top-level `apiVersion:` and `kind:` keys. */
export function looksLikeManifest(text: string): boolean {
  return TOP_API_VERSION.test(text) && TOP_KIND.test(text);
}

const CHART_FILE = /(^|\/)Chart\.ya?ml$/;
const KUSTOMIZATION_FILE = /(^|\/)(kustomization\.ya?ml|Kustomization)$/;

/**
 * Kubernetes projects: one per directory whose YAML files (texts given in `texts`) hold manifests,
 * unless the directory or an ancestor is a Helm chart (`Chart.yaml`), the directory is a kustomize
 * directory (`kustomization.yaml`) or a Terraform project (its `.tf` files make that project).
 */
export function kubernetesProjects(paths: string[], texts: Record<string, string>): ProjectSpec[] {
  const charts = new Set<string>();
  const excluded = new Set<string>();
  for (const p of paths) {
    if (CHART_FILE.test(p)) charts.add(dirOf(p));
    else if (KUSTOMIZATION_FILE.test(p) || p.endsWith('.tf')) excluded.add(dirOf(p));
  }
  const inChart = (dir: string): boolean => {
    for (let d = dir; ; d = dirOf(d)) {
      if (charts.has(d)) return true;
      if (d === '.') return false;
    }
  };
  const byDir = new Map<string, string[]>();
  for (const p of paths) {
    const text = texts[p];
    if (!isManifestCandidate(p) || text === undefined || !looksLikeManifest(text)) continue;
    const dir = dirOf(p);
    if (excluded.has(dir) || inChart(dir)) continue;
    let list = byDir.get(dir);
    if (!list) byDir.set(dir, (list = []));
    list.push(p);
  }
  return [...byDir.entries()]
    .map(([dir, files]) => ({ name: dir, path: dir, kind: 'kubernetes' as const, files: files.sort() }))
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

// ---------------------------------------------------------------------------------------------
// All kinds together: what the CLI loader and the App both use

/**
 * Project kinds in the order they are discovered. Adding a kind means adding its two functions
 * here: which files discovery needs to read, and how read files become projects.
 */
interface ProjectKindSpec {
  /** Files whose text this kind needs to find its projects (a path test, no content). */
  candidate(path: string): boolean;
  /** Projects of this kind among the paths, given the candidates' texts. */
  discover(paths: string[], texts: Record<string, string>, moduleMap: Record<string, string>): ProjectSpec[];
}

const KINDS: ProjectKindSpec[] = [
  {
    candidate: (p) => !IGNORED_DIRS.test(p) && (p.endsWith('.tf') || /\.tfvars(\.json)?$/.test(p)),
    discover: (paths, texts, moduleMap) => terraformRoots(findProjects(paths), texts, moduleMap),
  },
  {
    candidate: isManifestCandidate,
    discover: (paths, texts) => kubernetesProjects(paths, texts),
  },
];

/** Files whose texts `discoverProjects` needs, among `paths`. */
export function candidateFiles(paths: readonly string[]): string[] {
  return paths.filter((p) => KINDS.some((k) => k.candidate(p)));
}

/**
 * Every project the paths and texts make up, all kinds, sorted by path then kind. `texts` should
 * hold the texts of `candidateFiles(paths)` (a file missing from it is treated as unreadable).
 */
export function discoverProjects(paths: readonly string[], texts: Record<string, string>, moduleMap: Record<string, string> = {}): ProjectSpec[] {
  const list = [...paths];
  return KINDS.flatMap((k) => k.discover(list, texts, moduleMap)).sort((a, b) =>
    a.path < b.path ? -1 : a.path > b.path ? 1 : a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : 0,
  );
}

/**
 * The candidate files a change may need when the repository is too large to read whole: those in
 * the directories of the touched paths (a chart's files are added by the kinds that need them).
 */
export function candidatesNear(paths: readonly string[], touched: readonly string[]): string[] {
  const dirs = new Set(touched.map(dirOf));
  return candidateFiles(paths).filter((p) => dirs.has(dirOf(p)));
}

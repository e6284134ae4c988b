/**
 * Which Helm charts a repository's paths make up, and the projects they are priced as: one per
 * top-level chart (a directory with a `Chart.yaml` that no other chart contains) with its default
 * values, or one per environment that `.mlcost.yml` names (`helm.charts`). Pure: paths in, project
 * specs out; discovery needs no file text.
 */
import type { ProjectSpec } from '../../core/projects.js';
import { dirOf, joinPath } from '../../core/paths.js';
import type { HelmConfig } from '../../policy/schema.js';

const CHART_FILE = /(^|\/)Chart\.yaml$/;
const IGNORED_DIRS = /(^|\/)(\.terraform|\.git|node_modules|\.terragrunt-cache)(\/|$)/;
/** Files of a chart that are never read: archives (packaged subcharts) and images. */
const BINARY = /\.(tgz|tar\.gz|gz|zip|tar|png|jpe?g|gif|ico|webp|bmp|pdf|jar|so|bin)$/i;

/** Directories holding a `Chart.yaml`. */
export function chartDirs(paths: readonly string[]): Set<string> {
  const out = new Set<string>();
  for (const p of paths) if (CHART_FILE.test(p) && !IGNORED_DIRS.test(p)) out.add(dirOf(p));
  return out;
}

/** Whether `path` is `dir` or below it (`.` holds everything). */
export function isUnder(path: string, dir: string): boolean {
  return dir === '.' || path === dir || path.startsWith(`${dir}/`);
}

/** The outermost chart directory containing `path` (a subchart belongs to its parent), or null. */
export function chartRootOf(path: string, charts: ReadonlySet<string>): string | null {
  let found: string | null = null;
  for (let d = dirOf(path); ; d = dirOf(d)) {
    if (charts.has(d)) found = d;
    if (d === '.') return found;
  }
}

/** A file whose text a chart's analysis needs: every file of a chart but archives and images. */
export function isChartCandidate(path: string, charts: ReadonlySet<string>): boolean {
  return charts.size > 0 && !IGNORED_DIRS.test(path) && !BINARY.test(path) && chartRootOf(path, charts) !== null;
}

/** One environment of a chart named in `.mlcost.yml`: its own project. */
export interface HelmEnvironment {
  /** Project path and name: `charts/inference (values-prod.yaml)`, unique. */
  key: string;
  /** The chart directory, repository-relative. */
  chart: string;
  /** Values files in order, repository-relative (relative to the chart in `.mlcost.yml`); null: outside the repository. */
  values: { written: string; path: string | null }[];
  release?: string;
  namespace?: string;
  /** Index in `helm.charts` (for messages). */
  index: number;
}

function cleanDir(p: string): string {
  return joinPath('.', p.replace(/\/+$/, '')) ?? p;
}

/** The environments `.mlcost.yml` names, with unique keys (a repeated key gets ` #2`, ` #3`...). */
export function helmEnvironments(config: HelmConfig | undefined): HelmEnvironment[] {
  const out: HelmEnvironment[] = [];
  const seen = new Map<string, number>();
  (config?.charts ?? []).forEach((c, index) => {
    const chart = cleanDir(c.path);
    const label = c.name ?? (c.values.length ? c.values.join(', ') : 'values.yaml');
    let key = `${chart} (${label})`;
    const n = (seen.get(key) ?? 0) + 1;
    seen.set(key, n);
    if (n > 1) key = `${key} #${n}`;
    out.push({
      key,
      chart,
      values: c.values.map((v) => ({ written: v, path: joinPath(chart, v) })),
      ...(c.release ? { release: c.release } : {}),
      ...(c.namespace ? { namespace: c.namespace } : {}),
      index,
    });
  });
  return out;
}

/** The environment a project path stands for, or null for a chart priced with its default values. */
export function environmentOf(projectPath: string, config: HelmConfig | undefined): HelmEnvironment | null {
  return helmEnvironments(config).find((e) => e.key === projectPath) ?? null;
}

/**
 * Helm projects: every top-level chart with its default values, unless `.mlcost.yml` names
 * environments for it, each of which is then a project of its own (with its values files, which
 * may lie outside the chart). A project's files are all the chart's files (subcharts under
 * `charts/` included, and charts it depends on through `file://` repositories); packaged
 * subcharts (`charts/*.tgz`) are listed as `unread`.
 */
/** `repository: file://<dir>` of a Chart.yaml or requirements.yaml text, resolved from the chart's directory. */
export function localDependencyDirs(chartDir: string, text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/^\s*-?\s*repository\s*:\s*["']?file:\/\/([^"'\s#]+)/gm)) {
    const dir = joinPath(chartDir, (m[1] as string).replace(/\/+$/, ''));
    if (dir !== null) out.push(dir);
  }
  return out;
}

/**
 * Charts a chart depends on through `file://` repositories (read from the repository, as
 * `helm dependency build` would vendor them), transitively; `texts` holds Chart.yaml texts.
 */
function localDependencies(root: string, files: readonly string[], charts: ReadonlySet<string>, texts: Record<string, string>): string[] {
  const out = new Set<string>();
  const queue = files.filter((p) => /(^|\/)(Chart|requirements)\.yaml$/.test(p));
  for (let i = 0; i < queue.length && i < 200; i++) {
    const f = queue[i] as string;
    const text = texts[f];
    if (text === undefined || !text.includes('file://')) continue;
    for (const dir of localDependencyDirs(dirOf(f), text)) {
      if (!charts.has(dir) || isUnder(dir, root) || out.has(dir)) continue;
      out.add(dir);
      queue.push(`${dir}/Chart.yaml`, `${dir}/requirements.yaml`);
    }
  }
  return [...out];
}

export function helmProjects(paths: readonly string[], config?: HelmConfig, texts: Record<string, string> = {}): ProjectSpec[] {
  const charts = chartDirs(paths);
  const envs = helmEnvironments(config);
  if (charts.size === 0 && envs.length === 0) return [];
  const configured = new Set(envs.map((e) => e.chart));
  // Files by top-level chart (one walk up the directories per path).
  const byRoot = new Map<string, string[]>();
  for (const p of paths) {
    if (IGNORED_DIRS.test(p)) continue;
    const root = chartRootOf(p, charts);
    if (root === null) continue;
    let list = byRoot.get(root);
    if (!list) byRoot.set(root, (list = []));
    list.push(p);
  }
  const split = (all: readonly string[]) => {
    const files: string[] = [];
    const unread: string[] = [];
    for (const p of all) {
      if (!BINARY.test(p)) files.push(p);
      else if (/(^|\/)charts\/[^/]+\.tgz$/i.test(p)) unread.push(p);
    }
    return { files: files.sort(), unread: unread.sort() };
  };
  const withLocal = (dir: string, all: readonly string[]): string[] => {
    const deps = localDependencies(dir, all, charts, texts);
    if (deps.length === 0) return [...all];
    return [...all, ...paths.filter((p) => !IGNORED_DIRS.test(p) && deps.some((d) => isUnder(p, d)))];
  };
  const out: ProjectSpec[] = [];
  for (const [dir, all] of byRoot) {
    if (configured.has(dir)) continue;
    const { files, unread } = split(withLocal(dir, all));
    out.push({ name: dir, path: dir, kind: 'helm', files, ...(unread.length ? { unread } : {}) });
  }
  const present = new Set(paths);
  for (const env of envs) {
    const root = charts.has(env.chart) ? chartRootOf(`${env.chart}/Chart.yaml`, charts) : null;
    const under = root === env.chart ? (byRoot.get(env.chart) ?? []) : paths.filter((p) => isUnder(p, env.chart) && !IGNORED_DIRS.test(p));
    const { files, unread } = split(withLocal(env.chart, under));
    // A path that is no chart is reported by the analyzer only when something is there; a chart
    // outside the scanned directory is not this run's business.
    if (!charts.has(env.chart) && files.length === 0) continue;
    const own = new Set(files);
    const extra = env.values.map((v) => v.path).filter((p): p is string => p !== null && present.has(p) && !own.has(p));
    out.push({ name: env.key, path: env.key, kind: 'helm', files: [...new Set([...files, ...extra])].sort(), ...(unread.length ? { unread } : {}) });
  }
  return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

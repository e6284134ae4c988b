/**
 * Which projects a repository's paths make up: Terraform root modules (with the local modules they
 * call), directories of Kubernetes manifests, ... `discoverProjects` puts all kinds together.
 * Pure: works on path lists and texts it is given, reads nothing.
 */
import { parse as parseYaml } from 'yaml';
import { dirOf, joinPath } from './paths.js';
import type { ProjectKind } from './types.js';
import type { HelmConfig, MlcostConfig } from '../policy/schema.js';
import { chartDirs, chartRootOf, helmProjects, isChartCandidate } from '../analyzers/helm/discover.js';

export interface ProjectSpec {
  name: string;
  /** Directory relative to the repository root (`.` for the root). */
  path: string;
  kind: ProjectKind;
  /** Files belonging to the project (repository-relative). */
  files: string[];
  /** Files of the project that are listed but not read (a Helm chart's packaged `charts/*.tgz`). */
  unread?: string[];
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
    // Argo workflows and Kubeflow pipelines are pipeline projects of their own.
    if (pipelineFlavour(p, text) !== null) continue;
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
// ML pipelines: one project per pipeline file

/** Which analyzer reads a pipeline file (its id in src/analyzers/index.ts). */
export type PipelineFlavour = 'argo' | 'github-actions' | 'kubeflow' | 'sagemaker-pipeline';

/** A GitHub Actions workflow: a YAML file directly in `.github/workflows/`. */
const WORKFLOW_FILE = /(^|\/)\.github\/workflows\/[^/]+\.ya?ml$/;
/**
 * JSON files read as possible pipeline definitions (SageMaker, Kubeflow): those whose path says
 * `pipeline` or `sagemaker`, so that the App does not read every JSON file of a repository.
 */
const PIPELINE_JSON = /pipeline|sagemaker/i;
const ARGO_KINDS = ['Workflow', 'CronWorkflow', 'WorkflowTemplate', 'ClusterWorkflowTemplate'];
/** Argo kinds that may share a file with workflows (events, bindings): not Kubernetes workloads either. */
const ARGO_SIDE_KINDS = ['WorkflowEventBinding', 'EventSource', 'Sensor', 'EventBus', 'WorkflowArtifactGCTask', 'WorkflowTaskSet'];
const TOP_KINDS = /^["']?kind["']?\s*:\s*["']?([A-Za-z0-9]+)/gm;
const ARGO_API = /^["']?apiVersion["']?\s*:\s*["']?argoproj\.io\//m;

/** A JSON file mlcost reads as a possible pipeline definition (by its path). */
export function isPipelineJsonCandidate(path: string): boolean {
  return path.endsWith('.json') && !IGNORED_DIRS.test(path) && !/\.tf(vars)?\.json$/.test(path) && PIPELINE_JSON.test(path);
}

/** Whether a YAML text holds only Argo documents, at least one of them a workflow (or template). */
function isArgoText(text: string): boolean {
  if (!ARGO_API.test(text)) return false;
  const kinds = [...text.matchAll(TOP_KINDS)].map((m) => m[1] as string);
  return kinds.some((k) => ARGO_KINDS.includes(k)) && kinds.every((k) => ARGO_KINDS.includes(k) || ARGO_SIDE_KINDS.includes(k));
}

/** Kubeflow Pipelines v2 IR (compiled YAML or JSON): a `deploymentSpec` beside `root`/`pipelineInfo`, or a `pipelineSpec`. */
function isKubeflowText(text: string, json: boolean): boolean {
  if (json) return /"pipelineSpec"\s*:\s*\{/.test(text) || (/"deploymentSpec"\s*:/.test(text) && /"(pipelineInfo|root)"\s*:/.test(text));
  return /^pipelineSpec\s*:/m.test(text) || (/^deploymentSpec\s*:/m.test(text) && /^(root|pipelineInfo)\s*:/m.test(text));
}

/** SageMaker Pipelines definition: `Steps` of named, typed steps beside `Version` or `Parameters`. */
function isSageMakerText(text: string): boolean {
  return (
    /"Steps"\s*:\s*\[/.test(text) &&
    /"(Version|Parameters)"\s*:/.test(text) &&
    /"Type"\s*:\s*"(Training|Processing|Transform|Tuning|Condition|RegisterModel|Model|CreateModel|Lambda|Callback|QualityCheck|ClarifyCheck|EMR|Fail|AutoML|NotebookJob)"/.test(text)
  );
}

/** The pipeline flavour of a file, from its path and text; null when it is not a pipeline. */
export function pipelineFlavour(path: string, text: string): PipelineFlavour | null {
  if (WORKFLOW_FILE.test(path)) return 'github-actions';
  const json = path.endsWith('.json');
  if (json) {
    if (!isPipelineJsonCandidate(path)) return null;
    if (isKubeflowText(text, true)) return 'kubeflow';
    return isSageMakerText(text) ? 'sagemaker-pipeline' : null;
  }
  if (!/\.ya?ml$/i.test(path) || IGNORED_DIRS.test(path)) return null;
  if (isArgoText(text)) return 'argo';
  return isKubeflowText(text, false) ? 'kubeflow' : null;
}

function isPipelineCandidate(path: string): boolean {
  return WORKFLOW_FILE.test(path) || isPipelineJsonCandidate(path) || (isManifestCandidate(path) && !/\.mlcost\.ya?ml$/.test(path));
}

/** The repository-relative directory holding `.github/` for a workflow path (`.` at the root). */
function workflowRoot(path: string): string {
  const i = path.lastIndexOf('.github/workflows/');
  return i <= 0 ? '.' : path.slice(0, i - 1);
}

const LOCAL_REUSABLE = /^\s*-?\s*uses\s*:\s*["']?\.\/(\.github\/workflows\/[^\s"'@#]+\.ya?ml)/gm;

/** Workflows a workflow calls as reusable workflows (`uses: ./.github/workflows/x.yml`), repository-relative. */
export function calledWorkflows(path: string, text: string): string[] {
  const root = workflowRoot(path);
  const out = new Set<string>();
  for (const m of text.matchAll(LOCAL_REUSABLE)) {
    const target = joinPath(root, m[1] as string);
    if (target) out.add(target);
  }
  return [...out].sort();
}

/** Whether a workflow runs only when another workflow calls it (`on: workflow_call` and nothing else). */
function onlyWorkflowCall(text: string): boolean {
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch {
    return false;
  }
  const on = typeof doc === 'object' && doc !== null ? (doc as Record<string, unknown>).on : undefined;
  const events = typeof on === 'string' ? [on] : Array.isArray(on) ? on : typeof on === 'object' && on !== null ? Object.keys(on) : [];
  return events.length > 0 && events.every((e) => e === 'workflow_call');
}

const NAMED = (kind: string) => new RegExp(`^["']?kind["']?\\s*:\\s*["']?${kind}\\b[\\s\\S]*?^\\s+name\\s*:\\s*["']?([A-Za-z0-9._-]+)`, 'gm');
const TEMPLATE_REF = /(?:templateRef|workflowTemplateRef)\s*:\s*(?:\{[^}]*?name\s*:\s*["']?([A-Za-z0-9._-]+)|\n\s+name\s*:\s*["']?([A-Za-z0-9._-]+))/g;

/** Argo files that define the WorkflowTemplates a file refers to (`templateRef`, `workflowTemplateRef`). */
function argoTemplateFiles(path: string, text: string, templates: Map<string, string>): string[] {
  const out = new Set<string>();
  for (const m of text.matchAll(TEMPLATE_REF)) {
    const file = templates.get((m[1] ?? m[2]) as string);
    if (file && file !== path) out.add(file);
  }
  return [...out].sort();
}

/** `.tf` (and tfvars) files of the directories whose `aws_sagemaker_pipeline` reads this definition file. */
function sagemakerTerraformFiles(path: string, paths: readonly string[], texts: Record<string, string>): string[] {
  const base = path.slice(path.lastIndexOf('/') + 1);
  const dirs = new Set<string>();
  for (const p of paths) {
    if (!p.endsWith('.tf') || IGNORED_DIRS.test(p)) continue;
    const t = texts[p];
    if (t !== undefined && t.includes('aws_sagemaker_pipeline') && t.includes(base)) dirs.add(dirOf(p));
  }
  return paths.filter((p) => dirs.has(dirOf(p)) && (p.endsWith('.tf') || /\.tfvars(\.json)?$/.test(p))).sort();
}

/**
 * Pipeline projects: each GitHub Actions workflow (with the reusable workflows it calls, which are
 * not projects of their own when they only run on `workflow_call` and a workflow of the repository
 * calls them), Argo Workflow / CronWorkflow / WorkflowTemplate file (with the WorkflowTemplates it
 * refers to), Kubeflow Pipelines IR file, and SageMaker pipeline definition (with the Terraform
 * that creates and schedules it). The project's path is the pipeline file.
 */
export function pipelineProjects(paths: readonly string[], texts: Record<string, string>): ProjectSpec[] {
  const flavours = new Map<string, PipelineFlavour>();
  // A chart's templates are Go templates, not pipelines: the Helm analysis renders them.
  const charts = chartDirs(paths);
  for (const p of paths) {
    const text = texts[p];
    if (text === undefined || !isPipelineCandidate(p) || chartRootOf(p, charts) !== null) continue;
    const f = pipelineFlavour(p, text);
    if (f) flavours.set(p, f);
  }
  const calls = new Map<string, string[]>();
  const called = new Set<string>();
  const templates = new Map<string, string>();
  for (const [p, f] of flavours) {
    const text = texts[p] as string;
    if (f === 'github-actions') {
      const c = calledWorkflows(p, text).filter((x) => x !== p);
      calls.set(p, c);
      c.forEach((x) => called.add(x));
    } else if (f === 'argo') {
      for (const kind of ['WorkflowTemplate', 'ClusterWorkflowTemplate'])
        for (const m of text.matchAll(NAMED(kind))) if (!templates.has(m[1] as string)) templates.set(m[1] as string, p);
    }
  }
  const out: ProjectSpec[] = [];
  for (const [p, f] of flavours) {
    const text = texts[p] as string;
    let files = [p];
    if (f === 'github-actions') {
      if (called.has(p) && onlyWorkflowCall(text)) continue;
      const seen = new Set([p]);
      const queue = [...(calls.get(p) ?? [])];
      while (queue.length) {
        const c = queue.shift() as string;
        if (seen.has(c)) continue;
        seen.add(c);
        if (texts[c] !== undefined) files.push(c);
        queue.push(...(calls.get(c) ?? []));
      }
    } else if (f === 'argo') files = [p, ...argoTemplateFiles(p, text, templates)];
    else if (f === 'sagemaker-pipeline') files = [p, ...sagemakerTerraformFiles(p, paths, texts)];
    out.push({ name: p, path: p, kind: 'pipeline', files: [p, ...files.slice(1).sort()] });
  }
  return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

// ---------------------------------------------------------------------------------------------
// All kinds together: what the CLI loader and the App both use

/**
 * Project kinds in the order they are discovered. Adding a kind means adding its two functions
 * here: which files discovery needs to read, and how read files become projects.
 */
interface ProjectKindSpec {
  /** Files whose text this kind needs to find its projects (a path test, no content; `context` is computed once from all paths). */
  candidate(path: string, context: CandidateContext): boolean;
  /** Projects of this kind among the paths, given the candidates' texts. */
  discover(paths: string[], texts: Record<string, string>, options: DiscoverOptions): ProjectSpec[];
}

/** What candidate tests may know of the whole path list. */
export interface CandidateContext {
  /** Directories holding a Helm chart's `Chart.yaml`. */
  chartDirs: ReadonlySet<string>;
}

/** What discovery takes from `.mlcost.yml`. */
export interface DiscoverOptions {
  /** `terraform.modules`: module source -> repository directory. */
  moduleMap?: Record<string, string>;
  /** `helm`: charts and their environments. */
  helm?: HelmConfig;
}

/** Discovery options of a config. */
export function discoverOptions(config: MlcostConfig | undefined): DiscoverOptions {
  return { moduleMap: config?.terraform.modules ?? {}, ...(config?.helm ? { helm: config.helm } : {}) };
}

const KINDS: ProjectKindSpec[] = [
  {
    candidate: (p) => !IGNORED_DIRS.test(p) && (p.endsWith('.tf') || /\.tfvars(\.json)?$/.test(p)),
    discover: (paths, texts, options) => terraformRoots(findProjects(paths), texts, options.moduleMap),
  },
  {
    candidate: isManifestCandidate,
    discover: (paths, texts) => kubernetesProjects(paths, texts),
  },
  {
    // Every file of a chart (values.yaml, _helpers.tpl, files/...): a template needs them all.
    candidate: (p, context) => isChartCandidate(p, context.chartDirs),
    discover: (paths, texts, options) => helmProjects(paths, options.helm, texts),
  },
  {
    candidate: (p) => WORKFLOW_FILE.test(p) || isPipelineJsonCandidate(p),
    discover: (paths, texts) => pipelineProjects(paths, texts),
  },
];

/** Files whose texts `discoverProjects` needs, among `paths`. */
export function candidateFiles(paths: readonly string[]): string[] {
  const context: CandidateContext = { chartDirs: chartDirs(paths) };
  return paths.filter((p) => KINDS.some((k) => k.candidate(p, context)));
}

/**
 * Every project the paths and texts make up, all kinds, sorted by path then kind. `texts` should
 * hold the texts of `candidateFiles(paths)` (a file missing from it is treated as unreadable).
 */
export function discoverProjects(paths: readonly string[], texts: Record<string, string>, options: DiscoverOptions = {}): ProjectSpec[] {
  const list = [...paths];
  return KINDS.flatMap((k) => k.discover(list, texts, options)).sort((a, b) =>
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

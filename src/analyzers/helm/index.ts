/**
 * Helm analyzer: a chart directory (its files as text) -> the workloads its templates render,
 * priced by the Kubernetes analysis. Nothing is run and nothing is downloaded: the chart is loaded
 * (chart.ts), its values coalesced as Helm does (coalesce.ts), every template rendered by mlcost's
 * own Go-template engine (template/), and the rendered documents handed to
 * `resourcesFromManifests` with the release namespace and the config's node pools.
 *
 * - `file` of a resource is the template it came from (`charts/app/templates/deployment.yaml`);
 *   `line` is the template line that produced it, mapped back from the rendered output (lines.ts).
 * - A template that cannot render is an error at its file:line; the other templates are still
 *   rendered and priced.
 * - When templates fail and none renders a Kubernetes object, the workloads are read from the
 *   values (fallback.ts) and every line says so.
 * - Test hooks (`helm.sh/hook: test`) are not installed by `helm install`: not priced.
 */
import type { AnalysisError, AnalysisResult, ProjectFiles, Resource, Value } from '../../core/types.js';
import type { HelmConfig } from '../../policy/schema.js';
import type { AnalyzeOptions, Analyzer } from '../types.js';
import type { ManifestDoc } from '../kubernetes/index.js';
import { manifestDocs, resourcesFromManifests } from '../kubernetes/index.js';
import { inChart, loadChart, readHelmYaml, type Chart, type Values } from './chart.js';
import { enabledInstances, instanceValues, instantiate, mergeValueFiles, processDependencies, releaseValues, type NotAnalysed } from './coalesce.js';
import { environmentOf, type HelmEnvironment } from './discover.js';
import { valuesWorkloads, type ValuesSource } from './fallback.js';
import { lineMapper } from './lines.js';
import { DEFAULT_KUBE_VERSION, defaultApiVersions, renderTemplates, type CapabilitiesInput, type ChartScope, type RenderError } from './template/index.js';
import { satisfies } from './template/semver.js';
import { isPlainMap } from './template/values.js';

export { helmProjects, helmEnvironments, environmentOf, chartDirs, isChartCandidate } from './discover.js';

export interface HelmOptions {
  /** The `helm:` section of `.mlcost.yml`. */
  config?: HelmConfig;
}

const CHART_PATH = /(^|\/)(Chart\.yaml|Chart\.lock|requirements\.ya?ml|values[^/]*\.ya?ml|\.helmignore)$|(^|\/)(templates|charts)\/|\.tpl$/;

function baseName(p: string): string {
  return p.slice(p.lastIndexOf('/') + 1);
}

function isTestHook(manifest: unknown): boolean {
  if (!isPlainMap(manifest) || !isPlainMap(manifest.metadata) || !isPlainMap(manifest.metadata.annotations)) return false;
  const hook = manifest.metadata.annotations['helm.sh/hook'];
  return typeof hook === 'string' && hook.split(',').some((h) => /^test(-success|-failure)?$/.test(h.trim()));
}

function isObject(m: unknown): boolean {
  return isPlainMap(m) && typeof m.apiVersion === 'string' && typeof m.kind === 'string';
}

/** The values files of an environment, merged in order; a missing or broken one is an error. */
function userValues(env: HelmEnvironment | null, files: Record<string, string>, errors: AnalysisError[]): { values: Values; sources: ValuesSource[] } {
  let values: Values = {};
  const sources: ValuesSource[] = [];
  for (const v of env?.values ?? []) {
    const where = `helm.charts[${env?.index ?? 0}].values in .mlcost.yml`;
    const text = v.path === null ? undefined : files[v.path];
    if (v.path === null || text === undefined) {
      errors.push({ file: v.path ?? env?.chart ?? '.', line: 1, message: `values file ${v.written} (${where}) ${v.path === null ? 'is outside the repository' : 'not found'}: not applied`, severity: 'error' });
      continue;
    }
    const parsed = readHelmYaml(text, v.path, errors, `values file ${v.written}`);
    if (parsed === undefined) continue;
    if (parsed !== null && !isPlainMap(parsed)) {
      errors.push({ file: v.path, line: 1, message: `values file ${v.written} is not a mapping: not applied`, severity: 'error' });
      continue;
    }
    values = mergeValueFiles(values, parsed ?? {});
    sources.push({ file: v.path, text });
  }
  return { values, sources };
}

function capabilitiesOf(config: HelmConfig | undefined): CapabilitiesInput | undefined {
  if (!config?.kubeVersion && !config?.apiVersions.length) return undefined;
  return {
    ...(config.kubeVersion ? { KubeVersion: { Version: config.kubeVersion } } : {}),
    ...(config.apiVersions.length ? { APIVersions: [...defaultApiVersions(), ...config.apiVersions] } : {}),
  };
}

function renderError(e: RenderError, origin: Map<string, string>, fallbackFile: string): AnalysisError {
  const file = origin.get(e.template) ?? (e.template || fallbackFile);
  const inner = e.origin && (e.origin.file !== e.template || e.stack) ? ` (at ${origin.get(e.origin.file) ?? e.origin.file}:${e.origin.line})` : '';
  const what = e.kind === 'fail' ? 'the chart refuses to render' : e.kind === 'parse' ? 'template syntax error' : e.kind === 'limit' ? 'template stopped' : 'template error';
  return {
    file,
    line: Math.max(e.line, 1),
    ...(e.column ? { column: e.column } : {}),
    message: `${what}: ${e.message}${inner}; what this template defines is not priced`,
    severity: 'error',
  };
}

/** Reads one chart (one environment of it) into resources. */
export function analyzeChart(project: ProjectFiles, options: AnalyzeOptions = {}): AnalysisResult {
  const errors: AnalysisError[] = [];
  const notAnalysed: NotAnalysed[] = [];
  const config = options.helm?.config;
  const env = environmentOf(project.path, config);
  const dir = env?.chart ?? project.path;
  const chart = loadChart(project.files, project.unread ?? [], dir, errors);
  if (!chart) return { resources: [], errors };
  if (chart.type === 'library') {
    errors.push({ file: inChart(chart, 'Chart.yaml'), line: 1, message: `${chart.name} is a library chart: it is not installed by itself, nothing to price`, severity: 'warning' });
    return { resources: [], errors };
  }

  const { values: user, sources: userSources } = userValues(env, project.files, errors);
  const root = instantiate(chart, errors, notAnalysed);
  notAnalysed.push(...processDependencies(root, user, errors));
  const lastValues = userSources[userSources.length - 1]?.file ?? chart.valuesFile ?? inChart(chart, 'values.yaml');
  const top = releaseValues(root, user, errors, lastValues);

  const release = { Name: env?.release ?? chart.name, Namespace: env?.namespace ?? 'default' };
  const capabilities = capabilitiesOf(config);
  const kubeVersion = config?.kubeVersion ?? DEFAULT_KUBE_VERSION;
  const wanted = typeof chart.metadata.kubeVersion === 'string' ? chart.metadata.kubeVersion : '';
  if (wanted) {
    let ok = true;
    try {
      ok = satisfies(wanted, kubeVersion);
    } catch {
      // A constraint the semver parser rejects: Helm would refuse it too; nothing to compare.
    }
    if (!ok) errors.push({ file: inChart(chart, 'Chart.yaml'), line: 1, message: `the chart requires Kubernetes ${wanted}; rendered for ${kubeVersion} anyway (set helm.kubeVersion in .mlcost.yml)`, severity: 'warning' });
  }

  // Templates of the chart and its enabled subcharts, named as Helm names them.
  const instances = enabledInstances(root);
  const valuesByPath = instanceValues(root, top);
  const templates: Record<string, string> = {};
  const origin = new Map<string, string>();
  const subcharts: Record<string, ChartScope> = {};
  for (const inst of instances) {
    const library = inst.chart.type === 'library';
    for (const [rel, text] of Object.entries(inst.chart.templates)) {
      if (library && !baseName(rel).startsWith('_')) continue;
      const name = `${inst.path}/${rel}`;
      templates[name] = text;
      origin.set(name, inChart(inst.chart, rel));
    }
    if (inst !== root) subcharts[inst.path] = { values: valuesByPath.get(inst.path) ?? {}, chart: { ...inst.chart.metadata, name: inst.name }, files: inst.chart.files };
  }
  const rendered = renderTemplates({
    templates,
    values: top,
    chart: chart.metadata,
    files: chart.files,
    release,
    ...(capabilities ? { capabilities } : {}),
    subcharts,
  });
  const failures = rendered.errors.map((e) => renderError(e, origin, inChart(chart, 'Chart.yaml')));
  errors.push(...failures.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line)));

  // Rendered text -> documents, with lines mapped back to the templates.
  const docs: ManifestDoc[] = [];
  let objects = 0;
  for (const [name, text] of Object.entries(rendered.outputs)) {
    if (text.trim() === '') continue;
    const file = origin.get(name) ?? name;
    const yamlErrors: AnalysisError[] = [];
    const parsed = manifestDocs(file, text, yamlErrors);
    // The alignment is computed on first use: most documents (ConfigMaps, RBAC) never ask for a line.
    let mapper: ((line: number) => number) | undefined;
    const map = (line: number) => (mapper ??= lineMapper(templates[name] ?? '', text))(line);
    for (const e of yamlErrors) errors.push({ file, line: map(e.line), message: `rendered output is not valid YAML: ${e.message.replace(/^YAML syntax error: /, '')}`, severity: e.severity ?? 'error' });
    for (const d of parsed) {
      if (isTestHook(d.manifest)) continue;
      if (isObject(d.manifest)) objects++;
      docs.push({
        file,
        get line() {
          return map(d.line);
        },
        manifest: d.manifest,
        locate: (path) => {
          const l = d.locate?.(path);
          return l === undefined ? undefined : map(l);
        },
        ...(d.ignores?.length ? { ignores: d.ignores.map((i) => ({ ...i, line: map(i.line) })) } : {}),
      });
    }
  }

  const k8s = { ...(options.kubernetes?.config ? { config: options.kubernetes.config } : {}), namespace: release.Namespace };
  let result: AnalysisResult;
  let fromValues: ReturnType<typeof valuesWorkloads> = [];
  if (rendered.errors.length > 0 && objects === 0) {
    const sources: ValuesSource[] = [...(chart.valuesFile ? [{ file: chart.valuesFile, text: project.files[chart.valuesFile] as string }] : []), ...userSources];
    fromValues = valuesWorkloads(top, { name: release.Name, namespace: release.Namespace, sources });
    result = resourcesFromManifests(fromValues.map((w) => w.doc), k8s);
    const read = fromValues.filter((w) => w.keys.length);
    errors.push({
      file: read[0]?.doc.file ?? lastValues,
      line: read[0]?.doc.line ?? 1,
      message: read.length
        ? `no template of ${chart.name} renders: its workloads are read from the values instead (${read.map((w) => `${w.keys.join(', ')} at ${w.readFrom}`).join('; ')}), each priced as a Deployment`
        : `no template of ${chart.name} renders, and its values name no replicas or resources: nothing priced`,
      severity: 'warning',
    });
  } else result = resourcesFromManifests(docs, k8s);

  const note = fromValues.length ? `rendering failed; workload read from ${baseName(fromValues[0]?.doc.file ?? 'values.yaml')} (replicaCount/replicas, resources): a Deployment assumed` : null;
  const details = { chart: `${chart.name}${chart.version ? `@${chart.version}` : ''}`, release: release.Name, ...(note ? { source: 'values (rendering failed)' } : {}) };
  const resources: Resource[] = result.resources.map((r) => {
    if (note && Array.isArray(r.attributes.groups)) {
      for (const g of r.attributes.groups as Record<string, Value>[]) g.assumptions = [note, ...((g.assumptions as string[] | undefined) ?? [])];
    }
    return { ...r, details: { ...(r.details ?? {}), ...details } };
  });
  return {
    resources,
    errors: [...errors, ...result.errors],
    ...(notAnalysed.length || result.notAnalysed?.length ? { notAnalysed: [...notAnalysed, ...(result.notAnalysed ?? [])] } : {}),
  };
}

export const helm = {
  id: 'helm',
  kind: 'helm',
  matches: (path: string) => CHART_PATH.test(path),
  analyze: (project: ProjectFiles, options: AnalyzeOptions = {}): AnalysisResult => analyzeChart(project, options),
} satisfies Analyzer;

export type { Chart };

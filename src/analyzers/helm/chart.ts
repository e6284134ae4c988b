/**
 * A chart directory (texts given, nothing read) -> its metadata, default values, templates,
 * `.Files` and subcharts, as Helm's loader makes them: `Chart.yaml` (apiVersion v1 or v2; v1's
 * dependencies from `requirements.yaml`), `values.yaml`, `templates/**` (NOTES.txt left out),
 * `charts/<dir>/` subcharts, every other file as `.Files`, minus what `.helmignore` excludes.
 * `values.schema.json` is not checked. Packaged subcharts (`charts/*.tgz`) are not unpacked.
 */
import type { AnalysisError } from '../../core/types.js';
import { joinPath } from '../../core/paths.js';
import { parseHelmYaml } from './template/index.js';
import { isPlainMap } from './template/values.js';

export type Values = Record<string, unknown>;

/** A dependency as Chart.yaml (or requirements.yaml) declares it. */
export interface Dependency {
  name: string;
  version: string;
  repository: string;
  condition: string;
  tags: string[];
  alias: string;
  importValues: unknown[];
  /** Line of the dependency in its file. */
  file: string;
  line: number;
}

export interface Chart {
  /** Repository path of the chart directory. */
  dir: string;
  /** Chart.yaml as written (what `.Chart` shows). */
  metadata: Record<string, unknown>;
  name: string;
  version: string;
  type: string;
  /** values.yaml (empty when absent), as Helm reads it. */
  values: Values;
  /** Path of values.yaml, when there is one. */
  valuesFile: string | null;
  /** `templates/...` (relative to the chart) -> text. */
  templates: Record<string, string>;
  /** `.Files`: path relative to the chart -> text. */
  files: Record<string, string>;
  dependencies: Dependency[];
  /** Subcharts found under `charts/` (directories), by their Chart.yaml name. */
  subcharts: Chart[];
  /** Packaged subcharts under `charts/` (repository paths), not read. */
  packaged: string[];
}

/** Files Helm reads as chart metadata rather than `.Files`. */
const META_FILES = new Set(['Chart.yaml', 'Chart.lock', 'values.yaml', 'values.schema.json', 'requirements.yaml', 'requirements.lock']);
const MAX_DEPTH = 10;

/** Reads a YAML file as Helm does; a syntax error is reported with its line. */
export function readHelmYaml(text: string, file: string, errors: AnalysisError[], what: string): unknown {
  try {
    return parseHelmYaml(text);
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    const m = /line (\d+)/.exec(message);
    errors.push({ file, line: m ? Number(m[1]) : 1, message: `${what}: ${message.replace(/^error converting YAML to JSON: /, '')}`, severity: 'error' });
    return undefined;
  }
}

function str(v: unknown): string {
  return typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : '';
}

function lineOf(text: string, needle: RegExp, from = 0): number {
  const lines = text.split('\n');
  for (let i = from; i < lines.length; i++) if (needle.test(lines[i] as string)) return i + 1;
  return 1;
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function dependenciesOf(list: unknown, file: string, text: string, errors: AnalysisError[]): Dependency[] {
  if (list === undefined || list === null) return [];
  if (!Array.isArray(list)) {
    errors.push({ file, line: lineOf(text, /^dependencies\s*:/), message: 'dependencies is not a list; ignored', severity: 'warning' });
    return [];
  }
  const out: Dependency[] = [];
  let from = 0;
  for (const d of list) {
    if (!isPlainMap(d) || typeof d.name !== 'string' || d.name === '') {
      errors.push({ file, line: lineOf(text, /^dependencies\s*:/), message: 'a dependency without a name is ignored', severity: 'warning' });
      continue;
    }
    const line = lineOf(text, new RegExp(`name\\s*:\\s*["']?${escapeRe(d.name)}["']?\\s*$`), from);
    from = line;
    out.push({
      name: d.name,
      version: str(d.version),
      repository: str(d.repository),
      condition: str(d.condition),
      tags: Array.isArray(d.tags) ? d.tags.map(str).filter(Boolean) : [],
      alias: str(d.alias),
      importValues: Array.isArray(d['import-values']) ? d['import-values'] : [],
      file,
      line,
    });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// .helmignore (Helm's pkg/ignore: `*`, `?`, `[...]` as in filepath.Match; a pattern without `/`
// matches a base name; a trailing `/` only matches directories; `!` negation is not supported).

/** One path segment against one pattern segment: `*`, `?`, `[...]`, `\\x` (linear backtracking). */
function segmentMatch(pattern: string, name: string): boolean {
  let p = 0;
  let n = 0;
  let star = -1;
  let mark = 0;
  const one = (at: number): number => {
    // Length of the pattern token at `at` if it matches name[n], else -1.
    const c = pattern[at];
    if (c === undefined || n >= name.length) return -1;
    if (c === '?') return 1;
    if (c === '\\') return pattern[at + 1] === name[n] ? 2 : -1;
    if (c === '[') {
      const end = pattern.indexOf(']', at + 2);
      if (end < 0) return c === name[n] ? 1 : -1;
      let body = pattern.slice(at + 1, end);
      const negate = body.startsWith('^') || body.startsWith('!');
      if (negate) body = body.slice(1);
      const ch = name[n] as string;
      let hit = false;
      for (let i = 0; i < body.length; i++) {
        if (body[i + 1] === '-' && i + 2 < body.length) {
          if (ch >= (body[i] as string) && ch <= (body[i + 2] as string)) hit = true;
          i += 2;
        } else if (body[i] === ch) hit = true;
      }
      return hit !== negate ? end - at + 1 : -1;
    }
    return c === name[n] ? 1 : -1;
  };
  while (n < name.length) {
    if (pattern[p] === '*') {
      star = p++;
      mark = n;
      continue;
    }
    const len = one(p);
    if (len > 0) {
      p += len;
      n++;
      continue;
    }
    if (star < 0) return false;
    p = star + 1;
    n = ++mark;
  }
  while (pattern[p] === '*') p++;
  return p === pattern.length;
}

/** filepath.Match: `*` and `?` never cross `/`, so the pattern matches segment by segment. */
function globMatch(pattern: string, path: string): boolean {
  const ps = pattern.split('/');
  const ns = path.split('/');
  return ps.length === ns.length && ps.every((seg, i) => segmentMatch(seg, ns[i] as string));
}

interface IgnoreRule {
  pattern: string;
  dirOnly: boolean;
  anchored: boolean;
}

function ignoreRules(text: string | undefined): IgnoreRule[] {
  if (!text) return [];
  const out: IgnoreRule[] = [];
  for (const raw of text.split('\n')) {
    let line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith('!') || line.includes('**')) continue;
    const dirOnly = line.endsWith('/');
    if (dirOnly) line = line.replace(/\/+$/, '');
    const anchored = line.startsWith('/') || line.includes('/');
    out.push({ pattern: line.replace(/^\//, ''), dirOnly, anchored });
  }
  return out;
}

/** Whether a chart-relative file path is excluded by the rules (its directories included). */
function ignored(rules: IgnoreRule[], rel: string): boolean {
  if (rules.length === 0) return false;
  const parts = rel.split('/');
  for (let i = 1; i <= parts.length; i++) {
    const path = parts.slice(0, i).join('/');
    const isDir = i < parts.length;
    for (const r of rules) {
      if (r.dirOnly && !isDir) continue;
      if (globMatch(r.pattern, r.anchored ? path : (parts[i - 1] as string))) return true;
    }
  }
  return false;
}

// ---------------------------------------------------------------------------------------------

/**
 * Loads the chart at `dir` from the project's files (repository paths -> text); `unread` lists
 * the files that were deliberately not read (packaged subcharts). Problems go to `errors`; null
 * when there is no usable Chart.yaml.
 */
export function loadChart(files: Record<string, string>, unread: readonly string[], dir: string, errors: AnalysisError[], depth = 0): Chart | null {
  const prefix = dir === '.' ? '' : `${dir}/`;
  const chartFile = `${prefix}Chart.yaml`;
  const chartText = files[chartFile];
  if (chartText === undefined) {
    errors.push({ file: chartFile, line: 1, message: `no Chart.yaml in ${dir}: not a Helm chart, nothing analysed`, severity: 'error' });
    return null;
  }
  const meta = readHelmYaml(chartText, chartFile, errors, 'Chart.yaml');
  if (meta === undefined) return null;
  if (!isPlainMap(meta) || typeof meta.name !== 'string' || meta.name === '') {
    errors.push({ file: chartFile, line: 1, message: 'Chart.yaml has no name: chart not analysed', severity: 'error' });
    return null;
  }
  const apiVersion = str(meta.apiVersion);
  if (apiVersion !== 'v1' && apiVersion !== 'v2') {
    errors.push({ file: chartFile, line: lineOf(chartText, /^apiVersion\s*:/), message: `Chart.yaml apiVersion ${apiVersion ? `"${apiVersion}"` : 'is missing'}: v2 assumed (Helm 3 reads v1 and v2)`, severity: 'warning' });
  }

  // Chart-relative paths of this chart's own files (subcharts' files apart).
  const rules = ignoreRules(files[`${prefix}.helmignore`]);
  const own: string[] = [];
  const subDirs = new Set<string>();
  const strayDirs = new Set<string>();
  for (const path of Object.keys(files)) {
    if (!path.startsWith(prefix)) continue;
    const rel = path.slice(prefix.length);
    if (rel === '.helmignore' || ignored(rules, rel)) continue;
    const sub = /^charts\/([^/]+)\/(.+)$/.exec(rel);
    if (sub) (sub[2] === 'Chart.yaml' ? subDirs : strayDirs).add(sub[1] as string);
    else own.push(rel);
  }
  // Files under charts/<dir>/ without a Chart.yaml are no chart: Helm would refuse to load them.
  for (const d of subDirs) strayDirs.delete(d);

  let values: Values = {};
  let valuesFile: string | null = null;
  if (files[`${prefix}values.yaml`] !== undefined) {
    valuesFile = `${prefix}values.yaml`;
    const v = readHelmYaml(files[valuesFile] as string, valuesFile, errors, 'values.yaml');
    if (isPlainMap(v)) values = v;
    else if (v !== undefined && v !== null) errors.push({ file: valuesFile, line: 1, message: 'values.yaml is not a mapping: ignored', severity: 'error' });
  }

  let dependencies = dependenciesOf(meta.dependencies, chartFile, chartText, errors);
  const reqFile = `${prefix}requirements.yaml`;
  if (dependencies.length === 0 && files[reqFile] !== undefined) {
    const req = readHelmYaml(files[reqFile] as string, reqFile, errors, 'requirements.yaml');
    if (isPlainMap(req)) dependencies = dependenciesOf(req.dependencies, reqFile, files[reqFile] as string, errors);
  }

  const templates: Record<string, string> = {};
  const chartFiles: Record<string, string> = {};
  for (const rel of own.sort()) {
    const text = files[`${prefix}${rel}`] as string;
    if (rel.startsWith('templates/')) {
      if (/(^|\/)NOTES\.txt$/.test(rel)) continue;
      templates[rel] = text;
    } else if (!META_FILES.has(rel)) chartFiles[rel] = text;
  }

  const subcharts: Chart[] = [];
  for (const d of [...strayDirs].sort()) {
    errors.push({ file: `${prefix}charts/${d}`, line: 1, message: `charts/${d} has no Chart.yaml: not a subchart, not analysed`, severity: 'warning' });
  }
  for (const d of [...subDirs].sort()) {
    if (depth >= MAX_DEPTH) {
      errors.push({ file: `${prefix}charts/${d}/Chart.yaml`, line: 1, message: `subcharts nested more than ${MAX_DEPTH} deep: not analysed`, severity: 'warning' });
      continue;
    }
    const sub = loadChart(files, unread, `${prefix}charts/${d}`, errors, depth + 1);
    if (sub) subcharts.push(sub);
  }
  // A dependency on a chart of the repository (`file://../common`) that is not vendored under
  // charts/ is read where it is, as `helm dependency build` would copy it.
  for (const dep of dependencies) {
    const m = /^file:\/\/(.+)$/.exec(dep.repository);
    if (!m || subcharts.some((s) => s.name === dep.name) || depth >= MAX_DEPTH) continue;
    const target = joinPath(dir, (m[1] as string).replace(/\/+$/, ''));
    if (target === null || files[`${target === '.' ? '' : `${target}/`}Chart.yaml`] === undefined) continue;
    const sub = loadChart(files, unread, target, errors, depth + 1);
    if (sub && sub.name === dep.name) subcharts.push(sub);
    else if (sub) errors.push({ file: dep.file, line: dep.line, message: `dependency ${dep.name} points at ${target}, whose chart is named ${sub.name}: not used`, severity: 'warning' });
  }
  const packaged = unread.filter((p) => p.startsWith(`${prefix}charts/`) && !p.slice(`${prefix}charts/`.length).includes('/'));

  return {
    dir,
    metadata: meta,
    name: meta.name,
    version: str(meta.version),
    type: str(meta.type) || 'application',
    values,
    valuesFile,
    templates,
    files: chartFiles,
    dependencies,
    subcharts,
    packaged,
  };
}

/** Repository path of a chart-relative path. */
export function inChart(chart: Chart, rel: string): string {
  return joinPath(chart.dir, rel) ?? rel;
}

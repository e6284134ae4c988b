/**
 * Helm's values, without Helm: user values files merged in order, dependencies matched to the
 * subcharts under `charts/` (aliases, conditions, tags, import-values), then chart defaults
 * coalesced under the user's values the way `helm install` does (pkg/chartutil coalesce.go,
 * dependencies.go as of Helm 3.13+):
 *
 * - precedence: subchart defaults < the parent chart's `<subchart>:` section < values files, in order;
 * - maps merge key by key; lists and scalars replace (a list in a values file replaces the default);
 * - a `null` in the user's values (or a parent's section) deletes the default key;
 * - `global:` is copied down into every subchart, the parent's globals winning;
 * - a dependency is disabled by its `tags` (all of its tags false) or its `condition` (the first
 *   path that resolves to a boolean decides); disabled subcharts are neither rendered nor coalesced;
 * - `import-values` (`exports.<name>` strings or `{child, parent}` maps) merge a subchart's values
 *   under the parent's own.
 */
import type { AnalysisError } from '../../core/types.js';
import type { Chart, Dependency, Values } from './chart.js';
import { deepCopy, hasOwn, isPlainMap, mapSet } from './template/values.js';
import { satisfies } from './template/semver.js';

/** One chart as it is used in a release: the root, or a subchart under its (alias) name. */
export interface ChartInstance {
  chart: Chart;
  /** Name in the release: the chart's, or the dependency's alias. */
  name: string;
  /** Template path prefix, as Helm names it: `app`, `app/charts/redis`. */
  path: string;
  /** Default values (import-values may add to them). */
  values: Values;
  /** Every subchart of this chart, with the dependency that declares it (null: only under charts/). */
  children: { dep: Dependency | null; instance: ChartInstance }[];
  /** Dependencies not found as directories under charts/: reported when their condition/tags enable them. */
  missing: { dep: Dependency; entry: NotAnalysed }[];
  enabled: boolean;
  /** Why it is disabled (condition or tags), for the report. */
  disabledBy?: string;
}

export interface NotAnalysed {
  address: string;
  type: string;
  reason: string;
}

function isTable(v: unknown): v is Values {
  return isPlainMap(v);
}

/** Helm's mergeMaps for `-f a.yaml -f b.yaml`: maps merge, anything else (lists, nulls) replaces. */
export function mergeValueFiles(a: Values, b: Values): Values {
  const out: Values = {};
  for (const k of Object.keys(a)) mapSet(out, k, a[k]);
  for (const k of Object.keys(b)) {
    const v = b[k];
    const old = out[k];
    if (isTable(v) && hasOwn(out, k) && isTable(old)) mapSet(out, k, mergeValueFiles(old, v));
    else mapSet(out, k, v);
  }
  return out;
}

type Warn = (message: string) => void;

/** coalesceTablesFullKey: `dst` is authoritative; with `merge` false a null in `dst` deletes the key. */
export function coalesceTables(dst: Values, src: Values, merge: boolean, warn: Warn = () => undefined, prefix = ''): Values {
  for (const key of Object.keys(src)) {
    const val = src[key];
    const full = prefix ? `${prefix}.${key}` : key;
    const has = hasOwn(dst, key);
    const dv = dst[key];
    if (has && !merge && dv === null) delete dst[key];
    else if (!has) mapSet(dst, key, deepCopy(val));
    else if (isTable(val)) {
      if (isTable(dv)) coalesceTables(dv, val, merge, warn, full);
      else if (dv !== null) warn(`cannot overwrite table with non table for ${full} (${String(val)})`);
    } else if (isTable(dv) && val !== null) warn(`destination for ${full} is a table; ignoring non-table value (${String(val)})`);
  }
  return dst;
}

function coalesceGlobals(dest: Values, src: Values, warn: Warn): void {
  const dg0 = hasOwn(dest, 'global') ? dest.global : {};
  const sg0 = hasOwn(src, 'global') ? src.global : {};
  if (!isTable(dg0) || !isTable(sg0)) {
    warn('skipping globals: `global` is not a table');
    return;
  }
  const dg = dg0;
  for (const key of Object.keys(sg0)) {
    const val = sg0[key];
    if (isTable(val)) {
      const vv = deepCopy(val) as Values;
      if (!hasOwn(dg, key)) mapSet(dg, key, vv);
      else if (!isTable(dg[key])) warn(`conflict: cannot merge map onto non-map for global.${key}; skipped`);
      else {
        coalesceTables(vv, dg[key] as Values, true, warn, `global.${key}`);
        mapSet(dg, key, vv);
      }
    } else if (hasOwn(dg, key) && isTable(dg[key])) warn(`global.${key} is a table; skipped`);
    else mapSet(dg, key, val);
  }
  mapSet(dest, 'global', dg);
}

function coalesceValues(inst: ChartInstance, v: Values, merge: boolean, warn: Warn): void {
  const vc = deepCopy(inst.values) as Values;
  for (const key of Object.keys(vc)) {
    const val = vc[key];
    if (hasOwn(v, key)) {
      const value = v[key];
      if (value === null && !merge) delete v[key];
      else if (isTable(value)) {
        if (isTable(val)) coalesceTables(value, val, merge, warn, key);
        else if (val !== null) warn(`skipped value for ${inst.name}.${key}: not a table`);
      }
    } else mapSet(v, key, val);
  }
}

/** CoalesceValues: the chart's defaults (and its subcharts', recursively) under `dest`. */
export function coalesce(inst: ChartInstance, dest: Values, merge: boolean, warn: Warn, all = false): Values {
  coalesceValues(inst, dest, merge, warn);
  for (const { instance: sub } of inst.children) {
    if (!all && !sub.enabled) continue;
    if (!hasOwn(dest, sub.name)) mapSet(dest, sub.name, {});
    else if (!isTable(dest[sub.name])) {
      warn(`type mismatch on ${sub.name}: ${String(dest[sub.name])} is not a table; the subchart's defaults are used`);
      mapSet(dest, sub.name, {});
    }
    const dv = dest[sub.name] as Values;
    coalesceGlobals(dv, dest, warn);
    mapSet(dest, sub.name, coalesce(sub, dv, merge, warn, all));
  }
  return dest;
}

/** Values.PathValue: the non-table value at a dotted path, or undefined. */
function pathValue(v: Values, path: string): { found: boolean; value?: unknown } {
  const parts = path.split('.');
  let cur: unknown = v;
  for (let i = 0; i < parts.length - 1; i++) {
    if (!isTable(cur) || !hasOwn(cur, parts[i] as string)) return { found: false };
    cur = cur[parts[i] as string];
  }
  const last = parts[parts.length - 1] as string;
  if (!isTable(cur) || !hasOwn(cur, last) || isTable(cur[last])) return { found: false };
  return { found: true, value: cur[last] };
}

/** Values.Table: the table at a dotted path, or undefined. */
function tableAt(v: Values, path: string): Values | undefined {
  let cur: unknown = v;
  for (const p of path.split('.').filter(Boolean)) {
    if (!isTable(cur) || !hasOwn(cur, p)) return undefined;
    cur = cur[p];
  }
  return isTable(cur) ? cur : undefined;
}

function pathToMap(path: string, data: Values): Values {
  if (path === '.' || path === '') return data;
  const parts = path.split('.').filter(Boolean);
  let out: Values = data;
  for (let i = parts.length - 1; i >= 0; i--) {
    const m: Values = {};
    mapSet(m, parts[i] as string, out);
    out = m;
  }
  return out;
}

function chartAddress(path: string): string {
  return `helm_chart[${JSON.stringify(path)}]`;
}

function compatible(range: string, version: string): boolean {
  if (!range || !version) return true;
  try {
    return satisfies(range, version);
  } catch {
    return true;
  }
}

/**
 * The chart tree of a release: each dependency matched with its subchart under `charts/` (by
 * name, under its alias), subcharts that no dependency names kept as they are. A dependency
 * that is not there as a directory is listed in `notAnalysed` (packaged, or not vendored: charts
 * are never downloaded).
 */
export function instantiate(chart: Chart, errors: AnalysisError[], notAnalysed: NotAnalysed[], name = chart.name, path = chart.name): ChartInstance {
  const inst: ChartInstance = { chart, name, path, values: chart.values, children: [], missing: [], enabled: true };
  const used = new Set<Chart>();
  const usedPackages = new Set<string>();
  for (const dep of chart.dependencies) {
    const alias = dep.alias || dep.name;
    const candidates = chart.subcharts.filter((s) => s.name === dep.name);
    const sub = candidates.find((s) => compatible(dep.version, s.version)) ?? candidates[0];
    const childPath = `${path}/charts/${alias}`;
    if (!sub) {
      const pkg = chart.packaged.find((p) => p.slice(p.lastIndexOf('/') + 1).startsWith(`${dep.name}-`));
      const from = dep.repository ? ` from ${dep.repository}` : '';
      const version = dep.version ? ` ${dep.version}` : '';
      if (pkg) usedPackages.add(pkg);
      inst.missing.push({
        dep,
        entry: {
          address: chartAddress(childPath),
        type: 'helm_chart',
        reason: pkg
          ? `packaged subchart ${pkg} (dependency ${dep.name}${version}${from}) not analysed: mlcost does not unpack chart archives; vendor it as a directory under charts/ to price it`
          : dep.repository.startsWith('file://')
            ? `dependency ${dep.name}${version}${from} is neither under ${chart.dir === '.' ? '' : `${chart.dir}/`}charts/ nor a chart at that path of the repository: not analysed`
            : `dependency ${dep.name}${version}${from} is not vendored under ${chart.dir === '.' ? '' : `${chart.dir}/`}charts/: not analysed (mlcost never downloads charts)`,
        },
      });
      continue;
    }
    if (!compatible(dep.version, sub.version)) {
      errors.push({ file: dep.file, line: dep.line, message: `dependency ${dep.name} asks for version ${dep.version}; ${sub.dir} is ${sub.version}: analysed as found`, severity: 'warning' });
    }
    used.add(sub);
    inst.children.push({ dep, instance: instantiate(sub, errors, notAnalysed, alias, childPath) });
  }
  for (const sub of chart.subcharts) {
    if (!used.has(sub)) inst.children.push({ dep: null, instance: instantiate(sub, errors, notAnalysed, sub.name, `${path}/charts/${sub.name}`) });
  }
  for (const pkg of chart.packaged) {
    if (usedPackages.has(pkg)) continue;
    notAnalysed.push({ address: chartAddress(`${path}/${pkg.slice(pkg.lastIndexOf('charts/'))}`), type: 'helm_chart', reason: `packaged subchart ${pkg} not analysed: mlcost does not unpack chart archives; vendor it as a directory under charts/ to price it` });
  }
  return inst;
}

/**
 * ProcessDependencies: enables or disables each subchart by its tags and condition (read in the
 * values coalesced with every subchart), then imports values bottom-up. `user` is the merged
 * values files. Returns the missing dependencies (not under charts/) that would be enabled.
 */
export function processDependencies(root: ChartInstance, user: Values, errors: AnalysisError[]): NotAnalysed[] {
  const warnings: string[] = [];
  const cvals = coalesce(root, deepCopy(user) as Values, true, (m) => warnings.push(m), true);
  const tags = isTable(cvals.tags) ? cvals.tags : null;
  /** Helm's processDependencyTags then processDependencyConditions for one dependency. */
  const decide = (dep: Dependency, prefix: string): { enabled: boolean; by?: string } => {
    let enabled = true;
    let by: string | undefined;
    if (tags && dep.tags.length) {
      let hasTrue = false;
      let hasFalse = false;
      for (const t of dep.tags) {
        if (!hasOwn(tags, t)) continue;
        const b = tags[t];
        if (b === true) hasTrue = true;
        else if (b === false) hasFalse = true;
        else errors.push({ file: dep.file, line: dep.line, message: `tag ${t} of dependency ${dep.name} is not a boolean; ignored`, severity: 'warning' });
      }
      if (!hasTrue && hasFalse) {
        enabled = false;
        by = `tags ${dep.tags.join(', ')} are false`;
      }
    }
    for (const c of dep.condition.split(',').map((x) => x.trim()).filter(Boolean)) {
      const v = pathValue(cvals, `${prefix}${c}`);
      if (!v.found) continue;
      if (typeof v.value === 'boolean') {
        enabled = v.value;
        by = enabled ? undefined : `condition ${c} is false`;
        break;
      }
      errors.push({ file: dep.file, line: dep.line, message: `condition ${c} of dependency ${dep.name} is not a boolean (${JSON.stringify(v.value)}); ignored`, severity: 'warning' });
    }
    return by ? { enabled, by } : { enabled };
  };
  const missing: NotAnalysed[] = [];
  const visit = (inst: ChartInstance, prefix: string): void => {
    for (const m of inst.missing) if (decide(m.dep, prefix).enabled) missing.push(m.entry);
    for (const { dep, instance } of inst.children) {
      if (dep) {
        const d = decide(dep, prefix);
        instance.enabled = d.enabled;
        if (d.by) instance.disabledBy = d.by;
      }
      if (instance.enabled) visit(instance, `${prefix}${instance.name}.`);
    }
  };
  visit(root, '');
  importValues(root, errors);
  return missing;
}

function importValues(inst: ChartInstance, errors: AnalysisError[]): void {
  for (const { instance } of inst.children) if (instance.enabled) importValues(instance, errors);
  const importing = inst.children.filter((c) => c.instance.enabled && c.dep && c.dep.importValues.length);
  if (importing.length === 0) return;
  const cvals = coalesce(inst, {}, true, () => undefined);
  let b: Values = {};
  for (const { dep, instance } of importing) {
    const d = dep as Dependency;
    for (const iv of d.importValues) {
      let child: string;
      let parent: string;
      if (typeof iv === 'string') {
        child = `exports.${iv}`;
        parent = '.';
      } else if (isTable(iv) && typeof iv.child === 'string' && typeof iv.parent === 'string') {
        child = iv.child;
        parent = iv.parent;
      } else {
        errors.push({ file: d.file, line: d.line, message: `import-values entry of ${d.name} is neither a name nor {child, parent}; ignored`, severity: 'warning' });
        continue;
      }
      const table = tableAt(cvals, `${instance.name}.${child}`);
      if (!table) {
        errors.push({ file: d.file, line: d.line, message: `import-values: ${instance.name} has no table ${child}; nothing imported`, severity: 'warning' });
        continue;
      }
      b = coalesceTables(b, pathToMap(parent, deepCopy(table) as Values), true);
    }
  }
  // The parent's own values win over what it imports.
  inst.values = coalesceTables(cvals, b, true);
}

/** Each enabled chart instance, root first, depth first. */
export function enabledInstances(root: ChartInstance): ChartInstance[] {
  const out: ChartInstance[] = [];
  const walk = (i: ChartInstance) => {
    out.push(i);
    for (const c of i.children) if (c.instance.enabled) walk(c.instance);
  };
  walk(root);
  return out;
}

/** The final values of each enabled instance, by template path (the subchart's section of its parent's). */
export function instanceValues(root: ChartInstance, top: Values): Map<string, Values> {
  const out = new Map<string, Values>();
  const walk = (i: ChartInstance, v: Values) => {
    out.set(i.path, v);
    for (const c of i.children) {
      if (!c.instance.enabled) continue;
      const sub = v[c.instance.name];
      walk(c.instance, isTable(sub) ? sub : {});
    }
  };
  walk(root, top);
  return out;
}

/** Release values: the chart tree's defaults coalesced under the user's (Helm's ToRenderValues). */
export function releaseValues(root: ChartInstance, user: Values, errors: AnalysisError[], file: string): Values {
  const seen = new Set<string>();
  return coalesce(root, deepCopy(user) as Values, false, (m) => {
    if (seen.has(m)) return;
    seen.add(m);
    errors.push({ file, line: 1, message: `values: ${m}`, severity: 'warning' });
  });
}

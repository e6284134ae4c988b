/**
 * `.mlcost.yml` for the App and the Action: the repository's file at the base commit (so a pull
 * request cannot loosen its own thresholds), else the organisation's defaults in its `.github`
 * repository, plus Probot's `_extends` chain (`_extends: repo`, `owner/repo`, `repo:path.yml`),
 * deep-merged with the nearer file winning. Pure apart from the `fetch` port it is given.
 */
import { isMap, isScalar, parseDocument } from 'yaml';
import type { ConfigError, MlcostConfig } from '../policy/schema.js';
import { configSchema, defaultConfig, isPlainObject, parseConfig, readYaml, setUsageEntryOrigins } from '../policy/schema.js';

/** Where mlcost looks in a repository, in order (the CLI uses the same two). */
export const CONFIG_PATHS = ['.mlcost.yml', '.github/mlcost.yml'] as const;
/** `_extends` chains longer than this are an error (Probot follows them until a cycle). */
export const MAX_EXTENDS_DEPTH = 5;

export interface ConfigLocation {
  owner: string;
  repo: string;
  path: string;
}

export interface ConfigText extends ConfigLocation {
  text: string;
}

export interface ResolvedConfig {
  config: MlcostConfig;
  /** The file named in threshold messages (the repository's own, or the first one found). */
  file: string;
  /** Every file read, nearest first, as `owner/repo:path` (or the bare path for the repository's own). */
  sources: string[];
  errors: ConfigError[];
}

/** Loads another repository's config file (its default branch); null when absent or not readable. */
export type FetchConfig = (at: ConfigLocation) => Promise<string | null>;

// Probot's rule for `_extends` values (@probot/octokit-plugin-config): `[owner/]repo[:path.yml]`.
const EXTENDS_RE = /^(?:([a-z\d](?:[a-z\d]|-(?=[a-z\d])){0,38})\/)?([-_.\w\d]+)(?::([-_./\w\d]+\.ya?ml))?$/i;

/** How a file is named in messages: its path in the repository under review, `owner/repo:path` elsewhere. */
export function configLabel(at: ConfigLocation, home: { owner: string; repo: string }): string {
  return at.owner === home.owner && at.repo === home.repo ? at.path : `${at.owner}/${at.repo}:${at.path}`;
}

/**
 * Takes the top-level `_extends` key out of a YAML text without moving anything else: its
 * characters become spaces, so every other key keeps its line and column in error messages.
 */
export function takeExtends(text: string): { text: string; value: unknown; line: number; column: number; present: boolean } {
  const none = { text, value: undefined, line: 1, column: 1, present: false };
  let doc;
  try {
    doc = parseDocument(text);
  } catch {
    return none;
  }
  if (doc.errors.length || !isMap(doc.contents)) return none;
  const pair = doc.contents.items.find((p) => isScalar(p.key) && p.key.value === '_extends');
  if (!pair || !isScalar(pair.key) || !pair.key.range) return none;
  const start = pair.key.range[0];
  const valueNode = pair.value as { range?: [number, number, number] } | null;
  const end = valueNode?.range ? valueNode.range[1] : pair.key.range[1];
  const blanked = text.slice(0, start) + text.slice(start, end).replace(/[^\n]/g, ' ') + text.slice(end);
  const before = text.slice(0, start);
  const line = before.split('\n').length;
  const column = start - before.lastIndexOf('\n');
  const value: unknown = isScalar(pair.value) ? pair.value.value : pair.value === null ? null : (doc.toJS() as Record<string, unknown>)['_extends'];
  // A flow mapping (`{ _extends: x, version: 1 }`) would be left with a stray comma: re-check.
  if (parseDocument(blanked).errors.length) {
    doc.delete('_extends');
    return { text: String(doc), value, line, column, present: true };
  }
  return { text: blanked, value, line, column, present: true };
}

function deepMerge(base: unknown, over: unknown): unknown {
  if (isPlainObject(base) && isPlainObject(over)) {
    const out: Record<string, unknown> = { ...base };
    for (const [k, v] of Object.entries(over)) out[k] = k in out ? deepMerge(out[k], v) : v;
    return out;
  }
  return over === undefined ? base : over;
}

interface Loaded {
  at: ConfigLocation;
  label: string;
  value: Record<string, unknown>;
}

/**
 * Resolves the configuration. `own` is the repository's file (base commit), `orgDefault` the
 * organisation's `.github` repository file, used only when the repository has none (as Probot does).
 */
export async function resolveConfig(
  own: ConfigText | null,
  orgDefault: ConfigText | null,
  home: { owner: string; repo: string },
  fetch: FetchConfig,
): Promise<ResolvedConfig> {
  const first = own ?? orgDefault;
  if (!first) return { config: defaultConfig(), file: CONFIG_PATHS[0], sources: [], errors: [] };
  const errors: ConfigError[] = [];
  const chain: Loaded[] = [];
  let current: ConfigText | null = first;
  while (current) {
    const at: ConfigLocation = { owner: current.owner, repo: current.repo, path: current.path };
    const label = configLabel(at, home);
    const ext = takeExtends(current.text);
    const parsed = parseConfig(ext.text, label);
    if (parsed.errors.length) {
      errors.push(...parsed.errors);
      break;
    }
    const raw = readYaml(ext.text, label).yaml?.value;
    chain.push({ at, label, value: isPlainObject(raw) ? raw : {} });
    if (!ext.present) break;
    const where = { file: label, line: ext.line, column: ext.column, key: '_extends' };
    const m = typeof ext.value === 'string' ? EXTENDS_RE.exec(ext.value.trim()) : null;
    if (!m) {
      errors.push({ ...where, message: 'expected `repo`, `owner/repo` or `owner/repo:path/to/file.yml`' });
      break;
    }
    const next: ConfigLocation = { owner: m[1] ?? current.owner, repo: m[2] as string, path: m[3] ?? current.path };
    if (chain.some((c) => c.at.owner === next.owner && c.at.repo === next.repo && c.at.path === next.path)) {
      errors.push({ ...where, message: `\`${configLabel(next, home)}\` is already part of this chain (a cycle)` });
      break;
    }
    if (chain.length >= MAX_EXTENDS_DEPTH) {
      errors.push({ ...where, message: `more than ${MAX_EXTENDS_DEPTH} files chained with _extends` });
      break;
    }
    const text = await fetch(next);
    if (text === null) {
      errors.push({ ...where, message: `\`${configLabel(next, home)}\` was not found, or mlcost cannot read it (install the App on that repository too)` });
      break;
    }
    current = { ...next, text };
  }
  const file = chain[0]?.label ?? configLabel(first, home);
  if (errors.length) return { config: defaultConfig(), file, sources: chain.map((c) => c.label), errors };

  // Nearest file wins: merge from the farthest default to the repository's own file.
  let merged: unknown = {};
  for (const c of [...chain].reverse()) merged = deepMerge(merged, c.value);
  const result = configSchema.safeParse(merged);
  if (!result.success) {
    const issue = result.error.issues[0];
    return {
      config: defaultConfig(),
      file,
      sources: chain.map((c) => c.label),
      errors: [{ file, line: 1, column: 1, key: issue ? issue.path.join('.') : '', message: `the merged configuration is invalid: ${issue?.message ?? 'unknown error'}` }],
    };
  }
  const config = result.data;
  // Usage values name the file each came from (the nearest file that sets it).
  for (const [key, entry] of Object.entries(config.usage)) {
    const origins: Record<string, string> = {};
    for (const valueKey of Object.keys(entry)) {
      const from = chain.find((c) => {
        const usage = c.value['usage'];
        return isPlainObject(usage) && isPlainObject(usage[key]) && valueKey in usage[key];
      });
      origins[valueKey] = `${from?.label ?? file} usage.${key}`;
    }
    setUsageEntryOrigins(entry, origins);
  }
  return { config, file, sources: chain.map((c) => c.label), errors: [] };
}

/** `file:line:col key: message`, one per line (for logs and the Action's output). */
export function formatConfigErrors(errors: readonly ConfigError[]): string[] {
  return errors.map((e) => `${e.file}:${e.line}:${e.column}: ${e.key ? `${e.key}: ` : ''}${e.message}`);
}

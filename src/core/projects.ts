/**
 * Which projects a set of repository paths makes up: every directory holding `.tf` files is a
 * Terraform project (with its tfvars). Pure: works on path lists, reads nothing.
 */
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

export function dirOf(path: string): string {
  const i = path.lastIndexOf('/');
  return i < 0 ? '.' : path.slice(0, i);
}

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

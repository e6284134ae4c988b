/**
 * Guardrail tests through the real pipeline: Terraform or Kubernetes files -> real analyzers ->
 * pricers with the embedded price book -> diff with the guardrails. `base` defaults to nothing, so
 * every resource of `head` is added (touched by the change).
 */
import type { Diff, Finding, IgnoredFinding, ProjectFiles, ProjectKind } from '../../../src/core/types.js';
import { breakdown, diff } from '../../../src/core/run.js';
import { makeConfig } from '../../../src/policy/schema.js';
import type { MlcostConfigInput } from '../../../src/policy/schema.js';
import { loadEmbeddedPriceBook } from '../../../src/adapters/snapshot-file.js';

export const book = loadEmbeddedPriceBook();

export interface CheckInput {
  head: Record<string, string>;
  base?: Record<string, string>;
  config?: MlcostConfigInput;
  kind?: ProjectKind;
  path?: string;
}

export interface Checked {
  diff: Diff;
  findings: Finding[];
  ignored: IgnoredFinding[];
}

function project(files: Record<string, string>, kind: ProjectKind, path: string): ProjectFiles[] {
  return Object.keys(files).length ? [{ name: path, path, kind, files }] : [];
}

/** Runs the change and returns the findings of one rule (all findings with `rule: '*'`). */
export function check(rule: string, input: CheckInput): Checked {
  const kind = input.kind ?? 'terraform';
  const path = input.path ?? 'infra';
  const config = makeConfig(input.config ?? {});
  const options = { config };
  const b = breakdown(project(input.base ?? {}, kind, path), book, options);
  const h = breakdown(project(input.head, kind, path), book, options);
  const d = diff(b, h, config);
  const mine = (f: Finding) => rule === '*' || f.rule === rule;
  return { diff: d, findings: d.policy.findings.filter(mine), ignored: (d.policy.ignored ?? []).filter(mine) };
}

export const PROVIDER = 'provider "aws" {\n  region = "us-east-1"\n}\n\n';

/** A Terraform file with the provider and the given blocks. */
export function tf(...blocks: string[]): Record<string, string> {
  return { 'infra/main.tf': PROVIDER + blocks.join('\n\n') + '\n' };
}

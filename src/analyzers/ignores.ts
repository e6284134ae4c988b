/**
 * `# mlcost:ignore <rule-id> <reason>` comments (also `// mlcost:ignore ...` in Terraform): read
 * from the run of comment lines right above a line (a resource block's first line, a manifest's
 * first line or its `kind:`). Shared by the Terraform and Kubernetes analyzers. Pure.
 */
import type { IgnoreComment } from '../core/types.js';

const COMMENT = /^\s*(?:#|\/\/)/;
const IGNORE = /^\s*(?:#|\/\/)\s*mlcost:ignore\b(.*)$/;

/** Splits a text into lines once per text (callers keep the result per file). */
export function linesOf(text: string): string[] {
  return text.split(/\r?\n/);
}

/** The ignore comments in the consecutive comment lines right above 1-based `line`. */
export function ignoresAbove(lines: readonly string[], line: number, file: string): IgnoreComment[] {
  const out: IgnoreComment[] = [];
  for (let i = line - 2; i >= 0; i--) {
    const text = lines[i] ?? '';
    if (!COMMENT.test(text)) break;
    const m = IGNORE.exec(text);
    if (!m) continue;
    const rest = (m[1] ?? '').trim();
    const space = rest.search(/\s/);
    const rule = space < 0 ? rest : rest.slice(0, space);
    const reason = space < 0 ? '' : rest.slice(space + 1).trim();
    out.unshift({ rule, reason, file, line: i + 1 });
  }
  return out;
}

/**
 * Where a line of a rendered template comes from in the template, best effort: the rendered lines
 * are aligned with the template's lines (a longest common subsequence), a rendered line matching
 * a template line that is the same text, or the same literal text around `{{ ... }}` actions
 * (`replicas: 3` matches `replicas: {{ .Values.replicaCount }}`). A rendered line that matches
 * nothing (output of an `include`, a `toYaml`, a `range`) takes the line of the nearest matched
 * line above it, which is usually the key it sits under or the call that produced it.
 */

/** Above this many cells the alignment is greedy instead (very large templates). */
const MAX_CELLS = 4_000_000;

interface TemplateLine {
  trimmed: string;
  /** Literal text before the first action and after the last one, for lines with actions. */
  head: string | null;
  tail: string;
}

function templateLine(line: string): TemplateLine {
  const trimmed = line.trim();
  const open = trimmed.indexOf('{{');
  if (open < 0) return { trimmed, head: null, tail: '' };
  const close = trimmed.lastIndexOf('}}');
  return { trimmed, head: trimmed.slice(0, open).trimStart(), tail: close >= 0 ? trimmed.slice(close + 2).trimEnd() : '' };
}

/** 2: same text; 1: same literal text around the actions; 0: no match. */
function score(r: string, t: TemplateLine): number {
  if (r === '' || r === '---') return r === t.trimmed && r !== '' ? 1 : 0;
  if (t.head === null) return r === t.trimmed ? 2 : 0;
  // A line that is only actions (`{{- include ... | nindent 4 }}`) says nothing about its output.
  if (t.head.length < 2 && t.tail.length < 2) return 0;
  return r.startsWith(t.head) && r.endsWith(t.tail) && r.length >= t.head.length + t.tail.length ? 1 : 0;
}

/**
 * A function from rendered line numbers (1-based) to template line numbers (1-based).
 * Lines past the end of the rendered text map like the last one.
 */
export function lineMapper(template: string, rendered: string): (line: number) => number {
  const tLines = template.split('\n').map(templateLine);
  const rLines = rendered.split('\n').map((l) => l.trim());
  const m = rLines.length;
  const n = tLines.length;
  const matched = new Int32Array(m).fill(0);
  if ((m + 1) * (n + 1) <= MAX_CELLS) {
    const w = n + 1;
    const dp = new Int32Array((m + 1) * w);
    for (let i = 1; i <= m; i++) {
      const r = rLines[i - 1] as string;
      for (let j = 1; j <= n; j++) {
        const s = score(r, tLines[j - 1] as TemplateLine);
        const up = dp[(i - 1) * w + j] as number;
        const left = dp[i * w + j - 1] as number;
        const diag = s > 0 ? (dp[(i - 1) * w + j - 1] as number) + s : -1;
        dp[i * w + j] = Math.max(up, left, diag);
      }
    }
    let i = m;
    let j = n;
    while (i > 0 && j > 0) {
      const here = dp[i * w + j] as number;
      const s = score(rLines[i - 1] as string, tLines[j - 1] as TemplateLine);
      if (s > 0 && here === (dp[(i - 1) * w + j - 1] as number) + s) {
        matched[i - 1] = j;
        i--;
        j--;
      } else if (here === dp[(i - 1) * w + j]) i--;
      else j--;
    }
  } else {
    let j = 0;
    for (let i = 0; i < m; i++) {
      for (let k = j; k < n && k < j + 200; k++) {
        if (score(rLines[i] as string, tLines[k] as TemplateLine) > 0) {
          matched[i] = k + 1;
          j = k + 1;
          break;
        }
      }
    }
  }
  const out = new Int32Array(m);
  let last = 0;
  for (let i = 0; i < m; i++) {
    if (matched[i]) last = matched[i] as number;
    out[i] = last;
  }
  // Lines above the first match: the first matched line (or the template's first line).
  const first = out.find((x) => x > 0) ?? 1;
  return (line: number) => {
    const k = Math.min(Math.max(line, 1), m) - 1;
    return (out[k] as number) || first;
  };
}

/**
 * Kubernetes resource quantities (`500m`, `2`, `1.5`, `256M`, `16Gi`, `1e3`) as numbers.
 * https://kubernetes.io/docs/reference/kubernetes-api/common-definitions/quantity/
 */

const BINARY: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60 };
const DECIMAL: Record<string, number> = { n: 1 / 1e9, u: 1 / 1e6, m: 1 / 1000, '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18 };

/** The value of a quantity in base units (cores, bytes, devices); undefined when it is not one. */
export function parseQuantity(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) && v >= 0 ? v : undefined;
  if (typeof v !== 'string') return undefined;
  const m = /^\s*\+?(\d+(?:\.\d*)?|\.\d+)(?:([eE][+-]?\d+)|(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E))?\s*$/.exec(v);
  if (!m) return undefined;
  const base = Number(m[1]);
  if (m[2]) return base * 10 ** Number(m[2].slice(1));
  const suffix = m[3] ?? '';
  const factor = BINARY[suffix] ?? DECIMAL[suffix];
  return factor === undefined ? undefined : base * factor;
}

const GIB = 2 ** 30;

/** A memory or storage quantity in GiB. */
export function toGiB(v: unknown): number | undefined {
  const bytes = parseQuantity(v);
  return bytes === undefined ? undefined : bytes / GIB;
}

/** Rounds away float noise (0.30000000000000004) in derived figures. */
export function tidy(n: number): number {
  return Math.round(n * 1e9) / 1e9;
}

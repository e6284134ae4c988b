/**
 * When no template of a chart renders, its values still say what its workloads ask for, by the
 * conventions `helm create` and most charts follow: `replicaCount` (or `replicas`), `resources`,
 * `autoscaling`, `nodeSelector`, `tolerations` and `affinity`, at the top level or in a top-level
 * section (`server:`, `worker:`) that has them. Each becomes a Deployment-shaped manifest that the
 * Kubernetes analysis prices; the caller labels every line as read from values, not rendered.
 */
import { isNode, LineCounter, parseDocument } from 'yaml';
import type { ManifestDoc } from '../kubernetes/index.js';
import type { Values } from './chart.js';
import { isPlainMap } from './template/values.js';

export interface ValuesSource {
  file: string;
  text: string;
}

export interface ValuesWorkload {
  doc: ManifestDoc;
  /** Where its replica count was read, for the report (`values-prod.yaml:12`). */
  readFrom: string;
  /** The values keys read (`server.replicaCount, server.resources`). */
  keys: string[];
}

function table(v: unknown): Values {
  return isPlainMap(v) ? v : {};
}

function sized(v: Values): boolean {
  const r = table(v.resources);
  return Object.keys(table(r.requests)).length > 0 || Object.keys(table(r.limits)).length > 0;
}

function replicasKey(v: Values): 'replicaCount' | 'replicas' | null {
  if (v.replicaCount !== undefined && v.replicaCount !== null) return 'replicaCount';
  if (typeof v.replicas === 'number' || (typeof v.replicas === 'string' && /^\d+$/.test(v.replicas))) return 'replicas';
  return null;
}

/** Line of a key path in the last source that sets it (sources in increasing precedence). */
function locator(sources: ValuesSource[]): (path: string[]) => { file: string; line: number } | undefined {
  const parsed = sources.map((s) => {
    const lineCounter = new LineCounter();
    const doc = parseDocument(s.text, { lineCounter, prettyErrors: false, uniqueKeys: false });
    return { file: s.file, doc, lineCounter };
  });
  return (path) => {
    for (let i = parsed.length - 1; i >= 0; i--) {
      const p = parsed[i] as (typeof parsed)[number];
      const node = p.doc.errors.length ? undefined : p.doc.getIn(path, true);
      if (isNode(node) && node.range) return { file: p.file, line: p.lineCounter.linePos(node.range[0]).line };
    }
    return undefined;
  };
}

/**
 * Workloads read from the release values (`values`, already coalesced): one for the top level and
 * one per top-level section that sets replicas or resources (sections with `enabled: false` are
 * skipped). `sources` are the values files in increasing precedence, to point at the lines read.
 */
export function valuesWorkloads(values: Values, opts: { name: string; namespace: string; sources: ValuesSource[] }): ValuesWorkload[] {
  const at = locator(opts.sources);
  const components: { key: string | null; v: Values }[] = [];
  const top = values;
  if (replicasKey(top) || sized(top)) components.push({ key: null, v: top });
  for (const key of Object.keys(top).sort()) {
    const v = top[key];
    if (key === 'global' || !isPlainMap(v) || v.enabled === false) continue;
    if (replicasKey(v) || sized(v)) components.push({ key, v });
  }
  const out: ValuesWorkload[] = [];
  for (const { key, v } of components) {
    const base = key === null ? [] : [key];
    const rk = replicasKey(v);
    const scaling = table(v.autoscaling);
    const hpa = scaling.enabled === true && typeof scaling.minReplicas === 'number';
    const replicasPath = hpa ? [...base, 'autoscaling', 'minReplicas'] : rk ? [...base, rk] : [...base, 'resources'];
    const where = at(replicasPath) ?? at([...base, 'resources']) ?? at(base.length ? base : ['resources']) ?? { file: opts.sources[opts.sources.length - 1]?.file ?? 'values.yaml', line: 1 };
    const resLine = at([...base, 'resources'])?.line ?? where.line;
    const name = key === null ? opts.name : `${opts.name}-${key}`;
    const replicas = hpa ? scaling.minReplicas : rk ? v[rk] : undefined;
    const manifest: Values = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name, namespace: opts.namespace },
      spec: {
        ...(replicas !== undefined ? { replicas } : {}),
        template: {
          metadata: { labels: table(v.podLabels) },
          spec: {
            containers: [{ name: key ?? opts.name, image: 'unknown', resources: table(v.resources) }],
            ...(isPlainMap(v.nodeSelector) ? { nodeSelector: v.nodeSelector } : {}),
            ...(Array.isArray(v.tolerations) ? { tolerations: v.tolerations } : {}),
            ...(isPlainMap(v.affinity) ? { affinity: v.affinity } : {}),
          },
        },
      },
    };
    const keys = [hpa ? 'autoscaling' : rk, sized(v) ? 'resources' : null].filter((k): k is string => k !== null).map((k) => (key === null ? k : `${key}.${k}`));
    out.push({
      doc: {
        file: where.file,
        line: where.line,
        manifest,
        locate: (path) => (path.includes('replicas') ? where.line : path.includes('resources') || path.includes('containers') ? resLine : where.line),
      },
      readFrom: `${where.file}:${where.line}`,
      keys,
    });
    if (hpa && typeof scaling.maxReplicas === 'number') {
      out.push({
        doc: {
          file: where.file,
          line: where.line,
          manifest: {
            apiVersion: 'autoscaling/v2',
            kind: 'HorizontalPodAutoscaler',
            metadata: { name, namespace: opts.namespace },
            spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name }, minReplicas: scaling.minReplicas, maxReplicas: scaling.maxReplicas },
          },
          locate: () => where.line,
        },
        readFrom: `${where.file}:${where.line}`,
        keys: [],
      });
    }
  }
  return out;
}

/**
 * mlcost's own Helm chart (deploy/helm/mlcost) renders with the project's Helm template engine,
 * with plain standard templates, in each of its shapes (built-in Redis or external; HPA or KEDA),
 * and the rendered manifests are priced by `mlcost breakdown` as Kubernetes workloads: the webhook
 * and worker Deployments (the worker's HPA ceiling included), and Redis with its volume.
 */
import { describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { parseHelmYaml, renderTemplates } from '../../src/analyzers/helm/template/index.js';
import { runCli } from '../../src/cli/main.js';

const CHART = join(import.meta.dirname, '..', '..', 'deploy', 'helm', 'mlcost');

function merge(base: unknown, over: unknown): unknown {
  if (base && over && typeof base === 'object' && typeof over === 'object' && !Array.isArray(base) && !Array.isArray(over)) {
    const out: Record<string, unknown> = { ...(base as Record<string, unknown>) };
    for (const [k, v] of Object.entries(over as Record<string, unknown>)) out[k] = merge(out[k], v);
    return out;
  }
  return over === undefined ? base : over;
}

function render(overrides: Record<string, unknown>): { docs: Record<string, unknown>[]; texts: Record<string, string>; errors: unknown[] } {
  const templates: Record<string, string> = {};
  for (const f of readdirSync(join(CHART, 'templates'))) templates[`mlcost/templates/${f}`] = readFileSync(join(CHART, 'templates', f), 'utf8');
  const values = merge(parseHelmYaml(readFileSync(join(CHART, 'values.yaml'), 'utf8')), parseHelmYaml(JSON.stringify(overrides))) as Record<string, unknown>;
  const { outputs, errors } = renderTemplates({ templates, values, chart: { name: 'mlcost', version: '0.1.0', appVersion: '0.1.0' }, release: { Name: 'mlcost', Namespace: 'mlcost' } });
  const texts: Record<string, string> = {};
  const docs: Record<string, unknown>[] = [];
  for (const [name, text] of Object.entries(outputs)) {
    if (!name.endsWith('.yaml')) continue;
    texts[name] = text;
    for (const d of parseAllDocuments(text)) {
      expect(d.errors).toEqual([]);
      const js = d.toJS() as Record<string, unknown> | null;
      if (js) docs.push(js);
    }
  }
  return { docs, texts, errors };
}

const CREDENTIALS = { github: { appId: '123456', privateKey: '-----BEGIN RSA PRIVATE KEY-----\nx\n-----END RSA PRIVATE KEY-----\n', webhookSecret: 's3cret' } };

function kinds(docs: Record<string, unknown>[]): string[] {
  return docs.map((d) => `${String(d['kind'])}/${String((d['metadata'] as Record<string, unknown>)['name'])}`).sort();
}

describe('deploy/helm/mlcost', () => {
  it('renders: webhook and worker Deployments with probes and resources, HPA on queue depth, Redis, Secret', () => {
    const { docs, errors } = render(CREDENTIALS);
    expect(errors).toEqual([]);
    expect(kinds(docs)).toEqual([
      'Deployment/mlcost-webhook',
      'Deployment/mlcost-worker',
      'HorizontalPodAutoscaler/mlcost-worker',
      'PodDisruptionBudget/mlcost-webhook',
      'Secret/mlcost-github',
      'Service/mlcost-redis',
      'Service/mlcost-webhook',
      'Service/mlcost-worker',
      'ServiceAccount/mlcost',
      'StatefulSet/mlcost-redis',
    ]);
    for (const name of ['mlcost-webhook', 'mlcost-worker']) {
      const d = docs.find((x) => x['kind'] === 'Deployment' && (x['metadata'] as { name: string }).name === name) as { spec: { template: { spec: { containers: Record<string, unknown>[] } } } };
      const c = d.spec.template.spec.containers[0] as Record<string, { httpGet?: { path: string }; requests?: unknown; limits?: unknown }> & { env: { name: string; value?: string }[] };
      expect(c['readinessProbe']?.httpGet?.path).toBe('/readyz');
      expect(c['livenessProbe']?.httpGet?.path).toBe('/healthz');
      expect(c['resources']?.requests).toBeDefined();
      expect(c['resources']?.limits).toBeDefined();
      expect(c.env.find((e) => e.name === 'REDIS_URL')?.value).toBe('redis://mlcost-redis:6379');
    }
    const hpa = docs.find((x) => x['kind'] === 'HorizontalPodAutoscaler') as { spec: { minReplicas: number; maxReplicas: number; metrics: { type: string; external?: { metric: { name: string } } }[] } };
    expect(hpa.spec).toMatchObject({ minReplicas: 2, maxReplicas: 10 });
    expect(hpa.spec.metrics[0]?.external?.metric.name).toBe('mlcost_queue_waiting');
  });

  it('external Redis and KEDA: no Redis in the chart, the URL from a Secret, a ScaledObject on the wait list', () => {
    const { docs, errors } = render({ ...CREDENTIALS, redis: { enabled: false, externalUrl: 'rediss://:pw@redis.example.com:6380' }, worker: { autoscaling: { mode: 'keda', kedaRedisAddress: 'redis.example.com:6380' } } });
    expect(errors).toEqual([]);
    expect(kinds(docs)).toContain('ScaledObject/mlcost-worker');
    expect(kinds(docs)).toContain('Secret/mlcost-redis-url');
    expect(kinds(docs).some((k) => k.includes('redis') && !k.startsWith('Secret') && !k.startsWith('ScaledObject'))).toBe(false);
    const so = docs.find((x) => x['kind'] === 'ScaledObject') as { spec: { triggers: { type: string; metadata: Record<string, string> }[] } };
    expect(so.spec.triggers[0]).toMatchObject({ type: 'redis', metadata: { listName: 'mlcost:analyses:wait', address: 'redis.example.com:6380' } });
  });

  it('refuses to render without the App credentials', () => {
    const { errors } = render({});
    expect(JSON.stringify(errors)).toContain('github.appId is required');
  });

  it('mlcost prices what the chart renders: both Deployments (the worker up to its HPA ceiling) and Redis with its volume', async () => {
    const { texts } = render(CREDENTIALS);
    const dir = mkdtempSync(join(tmpdir(), 'mlcost-chart-'));
    try {
      for (const [name, text] of Object.entries(texts)) writeFileSync(join(dir, name.replace(/^mlcost\/templates\//, '')), text);
      let out = '';
      let err = '';
      const code = await runCli(['breakdown', dir, '--format', 'json'], { out: (s) => (out += s), err: (s) => (err += s), env: {}, cwd: dir });
      expect({ code, err }).toEqual({ code: 0, err: expect.any(String) });
      const b = JSON.parse(out) as { projects: { resources: { address: string; monthlyCost: number; ceilingMonthlyCost?: number; details?: Record<string, unknown> }[] }[] };
      const resources = b.projects.flatMap((p) => p.resources);
      // Rendered manifests name no namespace (Helm's loader gives them the release's).
      const find = (type: string, name: string) => resources.find((r) => r.address.startsWith(`${type}.`) && r.address.endsWith(`["${name}"]`));
      const webhook = find('kubernetes_deployment', 'mlcost-webhook');
      const worker = find('kubernetes_deployment', 'mlcost-worker');
      const redis = find('kubernetes_stateful_set', 'mlcost-redis');
      for (const r of [webhook, worker, redis]) expect(r?.monthlyCost).toBeGreaterThan(0);
      expect(webhook?.details).toMatchObject({ replicas: 2, cpu: 0.25 });
      // The worker: 2 replicas, up to the HPA's 10 (the ceiling is 5 times the baseline).
      expect(worker?.details).toMatchObject({ replicas: 2, maxReplicas: 10, cpu: 0.5 });
      expect(worker?.ceilingMonthlyCost).toBeCloseTo((worker?.monthlyCost ?? 0) * 5, 2);
      expect(JSON.stringify(redis)).toContain('volume_claim_template');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

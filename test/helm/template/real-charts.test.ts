/**
 * Real charts (test/fixtures/helm-template/<name>, copied unchanged with their SOURCE.md) render
 * with their default values.yaml: no errors except those the chart raises on purpose, every
 * output is YAML, and the facts below (read by hand from each chart's templates and values)
 * hold.
 */
import { describe, expect, it } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { renderTemplates, type RenderInput, type RenderResult } from '../../../src/analyzers/helm/template/index.js';
import { FIXTURES, loadChart } from './chart-loader.js';

type Doc = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Every YAML document of every output, failing the test on a YAML error. */
function documents(r: RenderResult, skip: string[] = []): Map<string, Doc[]> {
  const out = new Map<string, Doc[]>();
  for (const [name, text] of Object.entries(r.outputs)) {
    if (skip.includes(name)) continue;
    const docs = parseAllDocuments(text);
    const list = Array.isArray(docs) ? docs : [docs];
    for (const d of list) expect({ name, errors: d.errors.map((e) => e.message) }).toEqual({ name, errors: [] });
    out.set(name, list.map((d) => d.toJS() as Doc).filter((d) => d !== null && d !== undefined));
  }
  return out;
}

function find(docs: Map<string, Doc[]>, kind: string, name: string): Doc {
  for (const list of docs.values()) for (const d of list) if (d.kind === kind && d.metadata?.name === name) return d;
  throw new Error(`no ${kind}/${name} in ${[...docs.keys()].join(', ')}`);
}

function lineOf(file: string, needle: string): number {
  return readFileSync(file, 'utf8').split('\n').findIndex((l) => l.includes(needle)) + 1;
}

function chart(name: string, extraValues?: string): RenderInput {
  return loadChart(join(FIXTURES, name), extraValues);
}

describe('karpenter-controller', () => {
  const dir = join(FIXTURES, 'karpenter-controller');

  it('with default values, fails exactly where the chart requires settings.clusterName', () => {
    const r = renderTemplates(chart('karpenter-controller'));
    expect(r.errors).toEqual([expect.objectContaining({
      template: 'karpenter/templates/deployment.yaml',
      kind: 'fail',
      message: 'Chart cannot be installed without a valid settings.clusterName!',
      line: lineOf(join(dir, 'templates/deployment.yaml'), 'valid settings.clusterName'),
    })]);
    const docs = documents(r);
    expect(docs.size).toBe(9);
    const pdb = find(docs, 'PodDisruptionBudget', 'karpenter');
    expect(pdb.apiVersion).toBe('policy/v1');
    expect(pdb.metadata.namespace).toBe('ns');
    expect(pdb.spec).toEqual({ maxUnavailable: 1, selector: { matchLabels: { 'app.kubernetes.io/name': 'karpenter', 'app.kubernetes.io/instance': 'rel' } } });
    expect(find(docs, 'ServiceAccount', 'rel-karpenter').metadata.labels['helm.sh/chart']).toBe('karpenter-1.14.1');
    expect(docs.get('karpenter/templates/servicemonitor.yaml')).toEqual([]);
  });

  it('with a cluster name, renders the controller Deployment', () => {
    const input = chart('karpenter-controller');
    (input.values as Doc).settings.clusterName = 'demo';
    const r = renderTemplates(input);
    expect(r.errors).toEqual([]);
    const dep = find(documents(r), 'Deployment', 'rel-karpenter');
    expect(dep.metadata.namespace).toBe('ns');
    expect(dep.spec.replicas).toBe(2);
    expect(dep.spec.strategy).toEqual({ rollingUpdate: { maxUnavailable: 1 } });
    const pod = dep.spec.template.spec;
    expect(pod.nodeSelector).toEqual({ 'kubernetes.io/os': 'linux' });
    expect(pod.priorityClassName).toBe('system-cluster-critical');
    expect(pod.containers).toHaveLength(1);
    const c = pod.containers[0];
    expect(c.name).toBe('controller');
    expect(c.image).toBe('public.ecr.aws/karpenter/controller:1.14.1@sha256:723130949e4cab989461ff07d1be4cd781d63515432494641b33c235f300ae23');
    expect(c.resources).toBeUndefined(); // controller.resources is {} by default
    expect(c.env).toContainEqual({ name: 'CLUSTER_NAME', value: 'demo' });
    expect(c.env).toContainEqual({ name: 'BATCH_MAX_DURATION', value: '10s' });
    // The chart's helpers patch a labelSelector into the anti-affinity and spread constraints.
    const selector = { matchLabels: { 'app.kubernetes.io/instance': 'rel', 'app.kubernetes.io/name': 'karpenter' } };
    expect(pod.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution).toEqual([{ labelSelector: selector, topologyKey: 'kubernetes.io/hostname' }]);
    expect(pod.topologySpreadConstraints).toEqual([{ labelSelector: selector, maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'DoNotSchedule' }]);
    expect(pod.tolerations).toEqual([{ key: 'CriticalAddonsOnly', operator: 'Exists' }]);
  });
});

describe('karpenter-resources-nodepool-chart', () => {
  it('renders the NodePool and EC2NodeClass', () => {
    const r = renderTemplates(chart('karpenter-resources-nodepool-chart'));
    expect(r.errors).toEqual([]);
    // nodepool.zone is [] by default: the template then writes the flow list under the key,
    // which is what Helm writes too (the blueprint always sets zones).
    expect(r.outputs['karpenter-resources/templates/nodepool.yaml']).toContain('      - key: topology.kubernetes.io/zone\n        operator: In\n        values:\n        []\n');
    const docs = documents(r, ['karpenter-resources/templates/nodepool.yaml']);
    const nc = find(docs, 'EC2NodeClass', 'default');
    expect(nc.spec.amiFamily).toBe('Bottlerocket');
    expect(nc.spec.role).toBe('');
    // A map printed with {{ }} is Go's %v of it.
    expect(nc.spec.securityGroupSelectorTerms).toEqual([{ tags: { 'karpenter.sh/discovery': 'map[karpenter.sh/discovery:]' } }]);
    expect(nc.spec.blockDeviceMappings.map((b: Doc) => b.ebs.volumeSize)).toEqual(['4Gi', '20Gi']);
  });

  it('with zones, the NodePool requirements are valid YAML', () => {
    const input = chart('karpenter-resources-nodepool-chart');
    (input.values as Doc).nodepool.zone = ['us-west-2a', 'us-west-2b'];
    const r = renderTemplates(input);
    expect(r.errors).toEqual([]);
    const np = find(documents(r), 'NodePool', 'default');
    expect(np.spec.limits).toEqual({ cpu: '1k' });
    const req = np.spec.template.spec.requirements as Doc[];
    expect(req.find((x) => x.key === 'topology.kubernetes.io/zone')).toEqual({ key: 'topology.kubernetes.io/zone', operator: 'In', values: ['us-west-2a', 'us-west-2b'] });
    expect(req.find((x) => x.key === 'karpenter.k8s.aws/instance-cpu')?.values).toEqual(['8', '16', '32']);
  });
});

describe('kserve-resources-files-tpl', () => {
  const r = renderTemplates(chart('kserve-resources-files-tpl'));
  const docs = documents(r);

  it('renders every template from files/ through Files.Get, Glob, tpl and the deep-merge helpers', () => {
    expect(r.errors).toEqual([]);
    expect(Object.keys(r.outputs)).toEqual([
      'kserve-resources/templates/common/certmanager.yaml',
      'kserve-resources/templates/common/clusterstoragecontainer.yaml',
      'kserve-resources/templates/common/configmap.yaml',
      'kserve-resources/templates/kserve/resources.yaml',
    ]);
  });

  it('merges the controller Deployment patch into the base manifest, by container name', () => {
    const dep = find(docs, 'Deployment', 'kserve-controller-manager');
    expect(dep.metadata.namespace).toBe('ns'); // "namespace: kserve" replaced by the release namespace
    expect(dep.metadata.annotations).toEqual({ 'prometheus.io/scrape': 'true' });
    const containers = dep.spec.template.spec.containers as Doc[];
    expect(containers.map((c) => c.name).sort()).toEqual(['kube-rbac-proxy', 'manager']);
    const manager = containers.find((c) => c.name === 'manager') as Doc;
    expect(manager.image).toBe('kserve/kserve-controller:v0.20.0'); // tag '' defaults to kserve.version
    expect(manager.imagePullPolicy).toBe('Always');
    expect(manager.resources).toEqual({ limits: { cpu: '100m', memory: '300Mi' }, requests: { cpu: '100m', memory: '300Mi' } });
    expect(manager.args).toEqual(['--metrics-addr=127.0.0.1:8080', '--leader-elect']);
    const proxy = containers.find((c) => c.name === 'kube-rbac-proxy') as Doc;
    expect(proxy.image).toBe('quay.io/brancz/kube-rbac-proxy:v0.18.0');
    expect(dep.spec.template.spec.securityContext).toEqual({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
  });

  it('renders the inferenceservice ConfigMap and the cert-manager Issuer in the release namespace', () => {
    const cm = find(docs, 'ConfigMap', 'inferenceservice-config');
    expect(cm.metadata.namespace).toBe('ns');
    expect(Object.keys(cm.data)).toEqual(expect.arrayContaining(['deploy', 'ingress', 'storageInitializer']));
    const issuer = docs.get('kserve-resources/templates/common/certmanager.yaml')?.[0] as Doc;
    expect(issuer.kind).toBe('Issuer');
    expect(issuer.metadata.namespace).toBe('ns');
    const cert = find(docs, 'Certificate', 'serving-cert');
    expect(cert.metadata.namespace).toBe('ns');
  });
});

describe('ollama-gpu', () => {
  it('renders the Deployment without GPUs by default', () => {
    const r = renderTemplates(chart('ollama-gpu'));
    expect(r.errors).toEqual([]);
    const docs = documents(r);
    const dep = find(docs, 'Deployment', 'rel-ollama');
    expect(dep.spec.replicas).toBe(1);
    expect(dep.spec.strategy).toEqual({ type: 'Recreate' });
    const c = dep.spec.template.spec.containers[0] as Doc;
    expect(c.image).toBe('ollama/ollama:0.32.15'); // tag '' defaults to the chart's appVersion
    expect(c.resources).toEqual({ limits: {}, requests: {} });
    expect(c.env).toEqual([{ name: 'OLLAMA_HOST', value: '0.0.0.0:11434' }]);
    expect(find(docs, 'Service', 'rel-ollama').spec.ports[0]).toMatchObject({ port: 11434, targetPort: 'http' });
    expect(docs.get('ollama/templates/pvc.yaml')).toEqual([]);
  });

  it('asks for NVIDIA GPUs when ollama.gpu is enabled', () => {
    const input = chart('ollama-gpu');
    Object.assign((input.values as Doc).ollama.gpu, { enabled: true, number: 2 });
    const r = renderTemplates(input);
    expect(r.errors).toEqual([]);
    const c = find(documents(r), 'Deployment', 'rel-ollama').spec.template.spec.containers[0] as Doc;
    expect(c.resources).toEqual({ limits: { 'nvidia.com/gpu': 2 }, requests: {} });
    expect(c.env).toContainEqual({ name: 'PATH', value: '/usr/local/nvidia/bin:/usr/local/cuda/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' });
  });

  it('uses the ROCm image and amd.com/gpu for AMD', () => {
    const input = chart('ollama-gpu');
    Object.assign((input.values as Doc).ollama.gpu, { enabled: true, type: 'amd' });
    const r = renderTemplates(input);
    const c = find(documents(r), 'Deployment', 'rel-ollama').spec.template.spec.containers[0] as Doc;
    expect(c.image).toBe('ollama/ollama:0.32.15-rocm');
    expect(c.resources.limits).toEqual({ 'amd.com/gpu': 1 });
  });

  it('renders the Knative variant from ci/test-knative-values.yaml', () => {
    const r = renderTemplates(chart('ollama-gpu', 'ci/test-knative-values.yaml'));
    expect(r.errors).toEqual([]);
    const docs = documents(r);
    expect(docs.get('ollama/templates/deployment.yaml')).toEqual([]);
    expect(find(docs, 'Service', 'rel-ollama').apiVersion).toBe('serving.knative.dev/v1');
  });
});

describe('qdrant-statefulset', () => {
  const r = renderTemplates(chart('qdrant-statefulset'));
  const docs = documents(r);

  it('renders the StatefulSet with its volume claim', () => {
    expect(r.errors).toEqual([]);
    const sts = find(docs, 'StatefulSet', 'rel-qdrant');
    expect(sts.spec.replicas).toBe(1);
    expect(sts.spec.serviceName).toBe('rel-qdrant-headless');
    expect(sts.spec.podManagementPolicy).toBe('Parallel');
    const c = sts.spec.template.spec.containers[0] as Doc;
    expect(c.image).toBe('docker.io/qdrant/qdrant:v1.19.0');
    expect(c.resources).toEqual({});
    expect(c.ports.map((p: Doc) => p.containerPort)).toEqual([6333, 6334, 6335]);
    expect(sts.spec.volumeClaimTemplates).toHaveLength(1);
    expect(sts.spec.volumeClaimTemplates[0].spec.resources.requests.storage).toBe('10Gi');
    expect(sts.spec.volumeClaimTemplates[0].spec.accessModes).toEqual(['ReadWriteOnce']);
    expect(sts.spec.template.metadata.annotations['checksum/config']).toMatch(/^[0-9a-f]{64}$/);
  });

  it('renders the services and the config', () => {
    expect(find(docs, 'Service', 'rel-qdrant').spec.type).toBe('ClusterIP');
    expect(find(docs, 'Service', 'rel-qdrant-headless').spec.clusterIP).toBe('None');
    const cm = find(docs, 'ConfigMap', 'rel-qdrant');
    expect(cm.data['production.yaml']).toContain('cluster:\n  consensus:\n    tick_period_ms: 100\n  enabled: true\n');
    expect(cm.data['initialize.sh']).toContain("--uri 'http://rel-qdrant-0.rel-qdrant-headless:6335'");
  });
});

describe('stakater-application-cronjob-hpa', () => {
  const dir = join(FIXTURES, 'stakater-application-cronjob-hpa');

  it('with default values, fails where the chart requires an image (and renders the rest)', () => {
    const r = renderTemplates(chart('stakater-application-cronjob-hpa'));
    expect(r.errors).toEqual([expect.objectContaining({
      template: 'application/templates/deployment.yaml',
      kind: 'fail',
      message: 'Undefined image for application container',
      line: lineOf(join(dir, 'templates/deployment.yaml'), 'Undefined image for application container'),
    })]);
    const docs = documents(r);
    const templates = readdirSync(join(dir, 'templates')).filter((f) => !f.startsWith('_') && f !== 'deployment.yaml');
    expect([...docs.keys()]).toEqual(templates.map((f) => `application/templates/${f}`).sort());
    const svc = find(docs, 'Service', 'rel'); // applicationName is empty: the release name
    expect(svc.spec.ports).toEqual([{ name: 'http', port: 8080, protocol: 'TCP', targetPort: 8080 }]);
  });

  it('with ci/values.yaml, renders the Deployment, CronJob, Job and HPA', () => {
    const r = renderTemplates(chart('stakater-application-cronjob-hpa', 'ci/values.yaml'));
    expect(r.errors).toEqual([]);
    const docs = documents(r);
    const dep = find(docs, 'Deployment', 'application');
    expect(dep.spec.replicas).toBe(2);
    expect(dep.metadata.namespace).toBe('ns');
    const main = dep.spec.template.spec.containers[0] as Doc;
    expect(main.name).toBe('application');
    expect(main.image).toBe('example-registry/example-image:example-tag');
    expect(main.resources).toEqual({ limits: { cpu: 0.5, memory: '256Mi' }, requests: { cpu: 0.1, memory: '128Mi' } });
    expect(dep.spec.template.spec.initContainers[0]).toMatchObject({ name: 'init-container', resources: { limits: { cpu: '50m', memory: '32Mi' }, requests: { cpu: '10m', memory: '16Mi' } } });
    const hpa = find(docs, 'HorizontalPodAutoscaler', 'application');
    expect(hpa.spec).toMatchObject({ minReplicas: 1, maxReplicas: 10, scaleTargetRef: { kind: 'Deployment', name: 'application' } });
    const cron = find(docs, 'CronJob', 'application-db-migration');
    expect(cron.spec.schedule).toBe('* * * 8 *');
    expect(cron.spec.jobTemplate.spec.template.spec.containers[0].resources).toEqual({ limits: { cpu: '500m', memory: '512Mi' }, requests: { cpu: '100m', memory: '256Mi' } });
    const job = find(docs, 'Job', 'application-db-migration');
    expect(job.spec.template.metadata.annotations['helm.sh/hook']).toBe('pre-install,pre-upgrade');
  });
});

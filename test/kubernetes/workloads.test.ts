/** Workload kinds, autoscalers, volumes, jobs and what the analyzer reports. */
import { describe, expect, it } from '@jest/globals';
import { kubernetes, manifestDocs, resourcesFromManifests } from '../../src/analyzers/kubernetes/index.js';
import type { AnalysisError } from '../../src/core/types.js';
import { byAddress, deployment, price } from './helpers.js';

const pools = { region: 'us-east-1', nodePools: [{ name: 'cpu', instanceType: 'm6i.xlarge', nodes: 4 }, { name: 'big', instanceType: 'm6i.2xlarge', labels: { size: 'big' } }] };

describe('manifest files', () => {
  it('reports malformed YAML with file and line and still prices the other documents', () => {
    const text = [deployment('before', { requests: '{ cpu: "1" }' }), 'kind: Deployment\nmetadata: { name: broken\nspec: [\n', deployment('after', { requests: '{ cpu: "1" }' })].join('---\n');
    const p = price({ 'apps/web.yaml': text }, pools);
    expect(p.resources.map((r) => r.address)).toEqual(['kubernetes_deployment.default["after"]', 'kubernetes_deployment.default["before"]']);
    const syntax = p.errors.filter((e) => e.message.startsWith('YAML syntax error'));
    expect(syntax.length).toBeGreaterThan(0);
    expect(syntax[0]).toMatchObject({ file: 'apps/web.yaml', line: 16 });
    expect(p.errors.filter((e) => (e.severity ?? 'error') === 'error').every((e) => e.file === 'apps/web.yaml')).toBe(true);
  });

  it('skips YAML that is not a Kubernetes object, quietly', () => {
    const p = price({ 'values.yaml': 'replicaCount: 3\nimage: { repository: nginx }\n', 'list.yaml': '- a\n- b\n', 'empty.yaml': '', 'cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: c }\ndata: { a: b }\n' }, pools);
    expect(p.resources).toEqual([]);
    expect(p.errors).toEqual([]);
    expect(p.unsupported).toEqual([]);
  });

  it('lists kinds that run containers but are not priced yet', () => {
    const knative = 'apiVersion: serving.knative.dev/v1\nkind: Service\nmetadata: { name: hello, namespace: web }\nspec:\n  template:\n    spec:\n      containers:\n        - image: hello:1\n';
    const p = price({ 'a.yaml': knative }, pools);
    expect(p.unsupported).toEqual([{ address: 'kubernetes_manifest.web["Service/hello"]', type: 'kubernetes_manifest', reason: 'mlcost does not price Service (serving.knative.dev/v1) yet' }]);
  });

  it('unfolds List documents', () => {
    const list = `apiVersion: v1\nkind: List\nitems:\n${deployment('a', { requests: '{ cpu: "1" }' }).split('\n').filter(Boolean).map((l, i) => (i === 0 ? `  - ${l}` : `    ${l}`)).join('\n')}\n`;
    const p = price({ 'list.yaml': list }, pools);
    expect(p.resources.map((r) => [r.address, r.line])).toEqual([['kubernetes_deployment.default["a"]', 4]]);
  });

  it('warns about a workload defined twice and prices it once', () => {
    const p = price({ 'a.yaml': deployment('web', { requests: '{ cpu: "1" }' }), 'b.yaml': deployment('web', { requests: '{ cpu: "2" }' }) }, pools);
    expect(p.resources).toHaveLength(1);
    expect(p.errors).toContainEqual({ file: 'b.yaml', line: 1, message: 'Deployment default/web is defined again (first at a.yaml:1); priced once', severity: 'warning' });
  });

  it('names addresses <type>.<namespace>["<name>"], with the caller\'s namespace for manifests without one', () => {
    const errors: AnalysisError[] = [];
    const docs = manifestDocs('x.yaml', deployment('api', { requests: '{ cpu: "1" }' }) + '---\n' + deployment('db', { namespace: 'data', requests: '{ cpu: "1" }' }), errors);
    const r = resourcesFromManifests(docs, { namespace: 'release-ns', config: { ...pools, storageClasses: {}, fargate: false, fargateProfiles: [], nodePools: pools.nodePools.map((p) => ({ labels: {}, taints: [], capacity: 'on-demand' as const, ...p })) } });
    expect(r.resources.map((x) => [x.address, x.type, x.file, x.line, x.region])).toEqual([
      ['kubernetes_deployment.data["db"]', 'kubernetes_deployment', 'x.yaml', 14, 'us-east-1'],
      ['kubernetes_deployment.release-ns["api"]', 'kubernetes_deployment', 'x.yaml', 1, 'us-east-1'],
    ]);
    expect(errors).toEqual([]);
  });

  it('matches manifest files only', () => {
    expect(kubernetes.matches('k8s/app.yaml')).toBe(true);
    expect(kubernetes.matches('k8s/app.yml')).toBe(true);
    expect(kubernetes.matches('main.tf')).toBe(false);
  });
});

describe('replicas and autoscalers', () => {
  it('uses a HorizontalPodAutoscaler min as the baseline and max as the ceiling', () => {
    const hpa = 'apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: { name: web }\nspec:\n  scaleTargetRef: { apiVersion: apps/v1, kind: Deployment, name: web }\n  minReplicas: 3\n  maxReplicas: 12\n';
    const p = price({ 'a.yaml': `${deployment('web', { replicas: 1, requests: '{ cpu: "1" }' })}---\n${hpa}` }, pools);
    const r = byAddress(p)['kubernetes_deployment.default["web"]'];
    // 3 x 730 x 0.25 x $2 = $1,095; at 12 replicas $4,380.
    expect(r).toMatchObject({ monthlyCost: 1095, ceilingMonthlyCost: 4380 });
    expect(r?.details).toMatchObject({ replicas: 3, maxReplicas: 12, scaledBy: 'HorizontalPodAutoscaler web (min 3, max 12)' });
    expect(r?.costComponents[0]?.line).toBe(20);
  });

  it('uses a KEDA ScaledObject min (default 0) and max (default 100)', () => {
    const so = 'apiVersion: keda.sh/v1alpha1\nkind: ScaledObject\nmetadata: { name: worker }\nspec:\n  scaleTargetRef: { name: worker }\n  minReplicaCount: 1\n  maxReplicaCount: 20\n';
    const so0 = 'apiVersion: keda.sh/v1alpha1\nkind: ScaledObject\nmetadata: { name: idle }\nspec:\n  scaleTargetRef: { name: idle }\n';
    const p = price({ 'a.yaml': [deployment('worker', { requests: '{ cpu: "1" }' }), so, deployment('idle', { replicas: 5, requests: '{ cpu: "1" }' }), so0].join('---\n') }, pools);
    const a = byAddress(p);
    expect(a['kubernetes_deployment.default["worker"]']).toMatchObject({ monthlyCost: 365, ceilingMonthlyCost: 7300 });
    expect(a['kubernetes_deployment.default["idle"]']).toMatchObject({ monthlyCost: 0, ceilingMonthlyCost: 36500 });
    expect(a['kubernetes_deployment.default["idle"]']?.costComponents[0]?.assumption).toMatch(/minReplicaCount not set: KEDA's default 0/);
  });

  it('warns about an autoscaler whose target is not in the project', () => {
    const hpa = 'apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: { name: ghost }\nspec:\n  scaleTargetRef: { kind: Deployment, name: ghost }\n  maxReplicas: 3\n';
    const p = price({ 'hpa.yaml': hpa }, pools);
    expect(p.errors).toContainEqual({ file: 'hpa.yaml', line: 5, message: 'HorizontalPodAutoscaler ghost scales Deployment ghost, which is not a workload of this project that mlcost prices; ignored', severity: 'warning' });
  });

  it('prices a 10,000-replica typo as written and flags it as an outlier', () => {
    const p = price({ 'a.yaml': deployment('typo', { replicas: 10000, requests: '{ cpu: 100m }' }) }, pools);
    const r = byAddress(p)['kubernetes_deployment.default["typo"]'];
    // 10,000 x 730 x (0.1 / 4) x $2
    expect(r?.monthlyCost).toBe(365000);
    expect(r?.costComponents[0]?.assumption).toContain('10,000 replicas is an outlier (over 1,000): priced as written, check for a typo');
    expect(p.errors).toContainEqual({ file: 'a.yaml', line: 6, message: 'kubernetes_deployment.default["typo"]: 10,000 replicas is unusually many (over 1,000); priced as written: check for a typo', severity: 'warning' });
  });

  it('flags a replica count that is not a number and assumes 1', () => {
    const p = price({ 'a.yaml': deployment('tpl', { requests: '{ cpu: "1" }' }).replace('spec:\n  template', 'spec:\n  replicas: "{{ .Values.replicas }}"\n  template') }, pools);
    const c = byAddress(p)['kubernetes_deployment.default["tpl"]']?.costComponents[0];
    expect(c?.monthlyQuantity).toBe(182.5);
    expect(c?.assumption).toContain('1 assumed for replicas "{{ .Values.replicas }}"');
    expect(p.errors).toContainEqual(expect.objectContaining({ line: 6, severity: 'warning', message: 'Deployment tpl: replicas "{{ .Values.replicas }}" is not a count; 1 assumed' }));
  });
});

describe('StatefulSets and volumes', () => {
  it('prices one volume per replica for each volumeClaimTemplate, with the ceiling at the autoscaler max', () => {
    const sts = [
      'apiVersion: apps/v1',
      'kind: StatefulSet',
      'metadata: { name: pg }',
      'spec:',
      '  replicas: 2',
      '  template:',
      '    spec:',
      '      containers:',
      '        - { name: pg, image: postgres, resources: { requests: { cpu: "2", memory: 4Gi } } }',
      '  volumeClaimTemplates:',
      '    - metadata: { name: data }',
      '      spec: { storageClassName: gp2, resources: { requests: { storage: 100Gi } } }',
      '---',
      'apiVersion: autoscaling/v2',
      'kind: HorizontalPodAutoscaler',
      'metadata: { name: pg }',
      'spec: { scaleTargetRef: { kind: StatefulSet, name: pg }, minReplicas: 2, maxReplicas: 3 }',
      '',
    ].join('\n');
    const p = price({ 'db.yaml': sts }, pools);
    const r = byAddress(p)['kubernetes_stateful_set.default["pg"]'];
    // pods: 2 x 730 x 0.5 x $2 = $1,460; volumes 2 x 100 GB x $0.2 = $40 (ceiling 3 x: $60).
    expect(r?.monthlyCost).toBe(1500);
    expect(r?.ceilingMonthlyCost).toBe(2250);
    expect(r?.subresources.map((s) => [s.address, s.monthlyCost, s.line])).toEqual([['kubernetes_stateful_set.default["pg"].volume_claim_template["data"]', 40, 11]]);
    expect(r?.details).toMatchObject({ replicas: 2, maxReplicas: 3, volumes: [{ name: 'data', storageGiB: 100, storageClass: 'gp2' }] });
  });

  it('maps storage classes: config first, then StorageClasses of the project, else gp3 assumed', () => {
    const pvc = (name: string, cls?: string) => `apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: { name: ${name} }\nspec:\n${cls ? `  storageClassName: ${cls}\n` : ''}  resources: { requests: { storage: 10Gi } }\n`;
    const sc = 'apiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata:\n  name: fast\n  annotations: { storageclass.kubernetes.io/is-default-class: "true" }\nprovisioner: ebs.csi.aws.com\nparameters: { type: io1, iopsPerGB: "10" }\n';
    const p = price({ 'a.yaml': [sc, pvc('cfg', 'company-ssd'), pvc('fast', 'fast'), pvc('dflt'), pvc('odd', 'mystery')].join('---\n') }, { ...pools, storageClasses: { 'company-ssd': 'gp2' } });
    const a = byAddress(p);
    expect(a['kubernetes_persistent_volume_claim.default["cfg"]']?.costComponents.map((c) => [c.name, c.monthlyCost])).toEqual([['Storage (gp2)', 2]]);
    // io1: 10 GB x $0.5 + 100 IOPS x $0.1
    expect(a['kubernetes_persistent_volume_claim.default["fast"]']?.monthlyCost).toBe(15);
    expect(a['kubernetes_persistent_volume_claim.default["dflt"]']?.monthlyCost).toBe(15);
    expect(a['kubernetes_persistent_volume_claim.default["dflt"]']?.costComponents[0]?.assumption).toBe("no storageClassName: the cluster's default class fast (a.yaml:1) assumed");
    expect(a['kubernetes_persistent_volume_claim.default["odd"]']?.costComponents[0]).toMatchObject({ name: 'Storage (gp3)', monthlyCost: 1, assumption: 'storage class mystery unknown: EBS gp3 assumed (map it under kubernetes.storageClasses in .mlcost.yml)' });
  });
});

describe('DaemonSets', () => {
  it('multiply by the nodes of every pool they run on, assuming 3 where nobody said', () => {
    const ds = 'apiVersion: apps/v1\nkind: DaemonSet\nmetadata: { name: agent }\nspec:\n  template:\n    spec:\n      containers:\n        - { name: a, image: a, resources: { requests: { cpu: 400m } } }\n';
    const p = price({ 'ds.yaml': ds }, pools);
    const r = byAddress(p)['kubernetes_daemon_set.default["agent"]'];
    // cpu: 4 nodes x 730 x 0.1 x $2 = $584; big: 3 nodes (assumed) x 730 x 0.05 x $4 = $438.
    expect(r?.costComponents.map((c) => [c.name, c.monthlyQuantity, c.monthlyCost])).toEqual([
      ['Node share (m6i.xlarge, on-demand, pool cpu)', 292, 584],
      ['Node share (m6i.2xlarge, on-demand, pool big)', 109.5, 438],
    ]);
    expect(r?.costComponents[1]?.assumption).toBe('3 nodes assumed in pool big (set nodes for the pool in kubernetes.nodePools)');
    expect(r?.details).toMatchObject({ pools: [{ pool: 'cpu', nodes: 4 }, { pool: 'big', nodes: 3 }] });
  });
});

describe('Jobs and CronJobs', () => {
  const pools = { region: 'us-east-1', nodePools: [{ name: 'cpu', instanceType: 'm6i.xlarge' }] };
  const cron = (name: string, schedule: string, extra = '') =>
    `apiVersion: batch/v1\nkind: CronJob\nmetadata: { name: ${name} }\nspec:\n  schedule: "${schedule}"\n${extra}  jobTemplate:\n    spec:\n      template:\n        spec:\n          containers:\n            - { name: c, image: c, resources: { requests: { cpu: "4" } } }\n`;

  it('runs a CronJob as often as its schedule says, for minutes_per_run (60 assumed)', () => {
    const p = price({ 'a.yaml': [cron('hourly', '0 * * * *'), cron('daily', '0 3 * * *'), cron('weekly', '0 3 * * SUN')].join('---\n') }, pools, { 'kubernetes_cron_job.default["hourly"]': { minutes_per_run: 15 } });
    const a = byAddress(p);
    // share 1 of an m6i.xlarge at $2/h.
    expect(a['kubernetes_cron_job.default["hourly"]']?.monthlyCost).toBe(730 * 0.25 * 2);
    expect(a['kubernetes_cron_job.default["hourly"]']?.costComponents[0]?.assumption).toBeUndefined();
    expect(a['kubernetes_cron_job.default["daily"]']?.monthlyCost).toBeCloseTo((365 / 12) * 2, 5);
    expect(a['kubernetes_cron_job.default["weekly"]']?.monthlyCost).toBeCloseTo((365 / 7 / 12) * 2, 5);
    expect(a['kubernetes_cron_job.default["daily"]']?.costComponents[0]?.assumption).toMatch(/^60 minutes per run assumed \(set minutes_per_run under usage:/);
    expect(a['kubernetes_cron_job.default["daily"]']?.details).toMatchObject({ schedule: '0 3 * * *', runsPerMonth: 30.416666667, minutesPerRun: 60 });
  });

  it('runs a suspended CronJob zero times', () => {
    const p = price({ 'a.yaml': cron('off', '* * * * *', '  suspend: true\n') }, pools);
    const r = byAddress(p)['kubernetes_cron_job.default["off"]'];
    expect(r?.monthlyCost).toBe(0);
    expect(r?.costComponents[0]?.assumption).toBe('suspended: no runs');
  });

  it('leaves a schedule it cannot read unpriced, with a warning', () => {
    const p = price({ 'a.yaml': cron('bad', '0 0 L * *') }, pools);
    expect(byAddress(p)['kubernetes_cron_job.default["bad"]']?.unpriced[0]?.reason).toMatch(/"L" is not a valid day of month/);
    expect(p.errors).toContainEqual(expect.objectContaining({ line: 5, severity: 'warning' }));
  });

  it('runs a Job once a month unless usage says, with completions pods per run', () => {
    const job = 'apiVersion: batch/v1\nkind: Job\nmetadata: { name: etl }\nspec:\n  completions: 6\n  parallelism: 3\n  template:\n    spec:\n      containers:\n        - { name: c, image: c, resources: { requests: { cpu: "2" } } }\n';
    const p = price({ 'a.yaml': job }, pools);
    // 6 pods x 1 h x 0.5 x $2
    const c = byAddress(p)['kubernetes_job.default["etl"]']?.costComponents[0];
    expect(c).toMatchObject({ monthlyQuantity: 3, monthlyCost: 6 });
    expect(c?.assumption).toMatch(/60 minutes per run assumed .*; 1 run per month assumed \(a Job runs once when applied/);
  });
});

describe('load balancers', () => {
  it('prices LoadBalancer Services and ALB Ingresses, and nothing else', () => {
    const svc = (name: string, ann = '', type = 'LoadBalancer') => `apiVersion: v1\nkind: Service\nmetadata:\n  name: ${name}\n${ann ? `  annotations: { ${ann} }\n` : ''}spec:\n  type: ${type}\n`;
    const ing = (name: string, cls: string) => `apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: { name: ${name} }\nspec:\n  ingressClassName: ${cls}\n`;
    const alb = 'apiVersion: networking.k8s.io/v1\nkind: IngressClass\nmetadata: { name: public }\nspec: { controller: ingress.k8s.aws/alb }\n';
    const p = price({ 'a.yaml': [svc('nlb', 'service.beta.kubernetes.io/aws-load-balancer-type: nlb'), svc('clb'), svc('cip', '', 'ClusterIP'), alb, ing('via-class', 'public'), ing('nginx', 'nginx')].join('---\n') }, pools);
    expect(p.resources.map((r) => [r.address, r.details?.loadBalancer])).toEqual([
      ['kubernetes_ingress.default["via-class"]', 'alb'],
      ['kubernetes_service.default["clb"]', 'classic'],
      ['kubernetes_service.default["nlb"]', 'nlb'],
    ]);
  });
});

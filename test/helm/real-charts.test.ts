/**
 * Real charts (test/fixtures/helm-template/<name>, unchanged copies with their SOURCE.md) through
 * the Helm analyzer: the workloads, replicas and requests below are written by hand from reading
 * each chart's templates and values.yaml (helm is not available here, so the renderer is checked
 * against what the chart's authors meant), then priced on the node pools of ./helpers.ts:
 *   cpu: m6i.xlarge (4 vCPU, 16 GiB) at $2/h, labelled disktype=ssd;
 *   gpu: g5.2xlarge (8 vCPU, 32 GiB, 1 GPU) at $12/h, labelled workload=gpu, tainted nvidia.com/gpu;
 *   gp3 at $0.10 per GB-month. A month is 730 h; a pod pays max(cpu, memory, gpu share) of its node.
 */
import { describe, expect, it } from '@jest/globals';
import { analyze, costs, errorsOf, lineOf, price, project, realChart, workloads } from './helpers.js';

describe('ollama-gpu (otwld/ollama-helm)', () => {
  const files = realChart('ollama-gpu');
  const deployment = files['charts/ollama-gpu/templates/deployment.yaml'] as string;

  it('default values: one Deployment "ollama" (release = chart name), 1 replica, no requests: flagged, not priced', () => {
    // values.yaml: replicaCount 1, resources { requests: {}, limits: {} }, autoscaling off, gpu off,
    // persistentVolume off (no PVC), knative off; tests.enabled renders a `helm.sh/hook: test` Pod,
    // which helm install does not create.
    const r = analyze(project('charts/ollama-gpu', files));
    expect(errorsOf(r)).toEqual([]);
    expect(workloads(r)).toEqual([{ address: 'kubernetes_deployment.default["ollama"]', replicas: 1, cpu: 0, memoryGiB: 0, gpu: 0 }]);
    const dep = r.resources[0]!;
    expect(dep.file).toBe('charts/ollama-gpu/templates/deployment.yaml');
    expect(dep.line).toBe(lineOf(deployment, 'apiVersion: apps/v1'));
    expect(dep.attributeLines?.replicas).toBe(lineOf(deployment, 'replicas: {{ .Values.replicaCount }}'));
    expect(errorsOf(r, 'warning').map((e) => e.message)).toContain('Deployment ollama: container ollama sets no CPU or memory requests or limits');
    const p = price(project('charts/ollama-gpu', files));
    expect(costs(p)).toEqual({ 'kubernetes_deployment.default["ollama"]': null });
  });

  it('GPU request only in limits (values-gpu.yaml): nvidia.com/gpu 1 from the gpu merge in deployment.yaml, placed on the GPU pool', () => {
    const env = {
      ...files,
      'charts/ollama-gpu/values-gpu.yaml': [
        'ollama:',
        '  gpu:',
        '    enabled: true',
        '    number: 1',
        'nodeSelector:',
        '  workload: gpu',
        'tolerations:',
        '  - { key: nvidia.com/gpu, operator: Exists, effect: NoSchedule }',
        '',
      ].join('\n'),
    };
    const helmConfig = { charts: [{ path: 'charts/ollama-gpu', values: ['values-gpu.yaml'], namespace: 'llm' }] };
    const p = project('charts/ollama-gpu (values-gpu.yaml)', env);
    const r = analyze(p, helmConfig);
    expect(errorsOf(r)).toEqual([]);
    // resources: limits = merge {} {"nvidia.com/gpu": 1}; requests {} -> the GPU request comes from limits.
    expect(workloads(r)).toEqual([{ address: 'kubernetes_deployment.llm["ollama"]', replicas: 1, cpu: 0, memoryGiB: 0, gpu: 1 }]);
    // share = max(0, 0, 1/1) = 1: 730 h x $12 = $8,760.
    const b = price(p, helmConfig);
    expect(costs(b)).toEqual({ 'kubernetes_deployment.llm["ollama"]': 8760 });
    expect(b.resources[0]!.details).toMatchObject({ replicas: 1, cpu: 0, memoryGiB: 0, gpu: 1, pool: 'gpu', instanceType: 'g5.2xlarge', chart: 'ollama@1.77.0', release: 'ollama' });
  });

  it('HPA: replicas left out of the Deployment, the HorizontalPodAutoscaler sets baseline (min) and ceiling (max)', () => {
    const env = {
      ...files,
      'charts/ollama-gpu/values-hpa.yaml': 'autoscaling:\n  enabled: true\n  minReplicas: 2\n  maxReplicas: 6\nresources:\n  requests: { cpu: "2", memory: 8Gi }\n',
    };
    const helmConfig = { charts: [{ path: 'charts/ollama-gpu', values: ['values-hpa.yaml'] }] };
    const p = project('charts/ollama-gpu (values-hpa.yaml)', env);
    const r = analyze(p, helmConfig);
    expect(errorsOf(r)).toEqual([]);
    expect(workloads(r)).toEqual([{ address: 'kubernetes_deployment.default["ollama"]', replicas: 2, maxReplicas: 6, cpu: 2, memoryGiB: 8, gpu: 0 }]);
    // share = max(2/4, 8/16) = 0.5: 2 x 730 x 0.5 x $2 = $1,460 (ceiling 6: $4,380).
    const b = price(p, helmConfig);
    expect(costs(b)).toEqual({ 'kubernetes_deployment.default["ollama"]': 1460 });
    expect(b.resources[0]!.ceilingMonthlyCost).toBeCloseTo(4380, 6);
    expect(b.resources[0]!.details).toMatchObject({ replicas: 2, maxReplicas: 6, scaledBy: 'HorizontalPodAutoscaler ollama (min 2, max 6)' });
  });
});

describe('qdrant-statefulset (qdrant/qdrant-helm)', () => {
  const files = realChart('qdrant-statefulset');

  it('default values: StatefulSet "qdrant", 1 replica, no requests, one 10Gi volumeClaimTemplate', () => {
    // values.yaml: replicaCount 1, resources {}, persistence.size 10Gi (no storageClassName),
    // snapshotPersistence off (emptyDir), the init container ensure-dir-ownership has no resources.
    const r = analyze(project('charts/qdrant-statefulset', files));
    expect(errorsOf(r)).toEqual([]);
    expect(workloads(r)).toEqual([{ address: 'kubernetes_stateful_set.default["qdrant"]', replicas: 1, cpu: 0, memoryGiB: 0, gpu: 0 }]);
    expect(r.resources[0]!.attributes.volumes).toEqual([expect.objectContaining({ name: 'qdrant-storage', storage_gib: 10, storage_class: null })]);
  });

  it('StatefulSet with volumes (values-prod.yaml): 3 replicas x (2 CPU, 8Gi) + 3 x (100Gi + 20Gi) gp3', () => {
    const env = {
      ...files,
      'charts/qdrant-statefulset/values-prod.yaml': [
        'replicaCount: 3',
        'resources:',
        '  requests: { cpu: "2", memory: 8Gi }',
        '  limits: { cpu: "2", memory: 8Gi }',
        'persistence:',
        '  size: 100Gi',
        '  storageClassName: gp3',
        'snapshotPersistence:',
        '  enabled: true',
        '  size: 20Gi',
        '  storageClassName: gp3',
        '',
      ].join('\n'),
    };
    const helmConfig = { charts: [{ path: 'charts/qdrant-statefulset', values: ['values-prod.yaml'], release: 'vectors', namespace: 'search' }] };
    const p = project('charts/qdrant-statefulset (values-prod.yaml)', env);
    const r = analyze(p, helmConfig);
    expect(errorsOf(r)).toEqual([]);
    // fullname: release "vectors" does not contain "qdrant" -> "vectors-qdrant".
    expect(workloads(r)).toEqual([{ address: 'kubernetes_stateful_set.search["vectors-qdrant"]', replicas: 3, cpu: 2, memoryGiB: 8, gpu: 0 }]);
    expect(r.resources[0]!.attributes.volumes).toEqual([
      expect.objectContaining({ name: 'qdrant-storage', storage_gib: 100, storage_class: 'gp3' }),
      expect.objectContaining({ name: 'qdrant-snapshots', storage_gib: 20, storage_class: 'gp3' }),
    ]);
    // Pods: share max(2/4, 8/16) = 0.5: 3 x 730 x 0.5 x $2 = $2,190. Volumes: 3 x 120 GB x $0.10 = $36.
    expect(costs(price(p, helmConfig))).toEqual({ 'kubernetes_stateful_set.search["vectors-qdrant"]': 2226 });
  });
});

describe('stakater-application-cronjob-hpa (stakater/application)', () => {
  const files = realChart('stakater-application-cronjob-hpa');
  const dir = 'charts/stakater-application-cronjob-hpa';

  it('default values: deployment.yaml fails where the chart requires an image (file:line); nothing else is a workload', () => {
    const r = analyze(project(dir, files));
    const tpl = files[`${dir}/templates/deployment.yaml`] as string;
    expect(errorsOf(r)).toEqual([
      expect.objectContaining({ file: `${dir}/templates/deployment.yaml`, line: lineOf(tpl, 'Undefined image for application container') }),
    ]);
    expect(errorsOf(r)[0]!.message).toContain('Undefined image for application container');
    // Services and other objects rendered: no fallback to values.
    expect(r.resources.filter((x) => x.type !== 'kubernetes_service')).toEqual([]);
  });

  it('ci/values.yaml: Deployment under an HPA (min 1, max 10), a CronJob, a Job and a PVC', () => {
    const helmConfig = { charts: [{ path: dir, values: ['ci/values.yaml'] }] };
    const p = project(`${dir} (ci/values.yaml)`, files);
    const r = analyze(p, helmConfig);
    expect(errorsOf(r)).toEqual([]);
    // applicationName "application". Deployment: replicas 2, but autoscaling.enabled (min 1, max 10).
    // Pod: application (requests 100m / 128Mi) + sidecar-container (10m / 16Mi); the init container
    // (10m / 16Mi) runs before them: 0.11 CPU, 144Mi = 0.140625 GiB.
    // CronJob and Job db-migration: 100m / 256Mi each.
    expect(workloads(r)).toEqual([
      { address: 'kubernetes_cron_job.default["application-db-migration"]', replicas: 1, cpu: 0.1, memoryGiB: 0.25, gpu: 0 },
      { address: 'kubernetes_deployment.default["application"]', replicas: 1, maxReplicas: 10, cpu: 0.11, memoryGiB: 0.140625, gpu: 0 },
      { address: 'kubernetes_job.default["application-db-migration"]', replicas: 1, cpu: 0.1, memoryGiB: 0.25, gpu: 0 },
    ]);
    expect(r.resources.map((x) => x.address)).toContain('kubernetes_persistent_volume_claim.default["application-data"]');
    const cron = r.resources.find((x) => x.type === 'kubernetes_cron_job')!;
    expect(cron.attributes.schedule).toBe('* * * 8 *');
    const b = price(p, helmConfig);
    // Deployment: nodeAffinity disktype In [ssd] -> pool cpu; share max(0.11/4, 0.140625/16) = 0.0275:
    //   1 x 730 x 0.0275 x $2 = $40.15 (ceiling 10: $401.50).
    // CronJob "* * * 8 *": every minute of August = 31 x 24 x 60 = 44,640 runs a year, 3,720 a month,
    //   60 minutes each (assumed): 3,720 h x share max(0.1/4, 0.25/16) = 0.025 x $2 = $186.
    // Job: 1 run (assumed) x 60 min x 0.025 x $2 = $0.05.
    // PVC application-data: 8 GB, storageClassName "" ("-" in ci/values.yaml): gp3 assumed, $0.80.
    expect(costs(b)).toMatchObject({
      'kubernetes_deployment.default["application"]': 40.15,
      'kubernetes_cron_job.default["application-db-migration"]': 186,
      'kubernetes_job.default["application-db-migration"]': 0.05,
      'kubernetes_persistent_volume_claim.default["application-data"]': 0.8,
    });
    expect(b.resources.find((x) => x.address === 'kubernetes_deployment.default["application"]')!.ceilingMonthlyCost).toBeCloseTo(401.5, 6);
  });
});

describe('kserve-resources-files-tpl (kserve/kserve)', () => {
  it('renders the controller from files/ through .Files.Get/Glob and the patch merge: 1 replica, 200m / 600Mi', () => {
    // files/kserve/resources.yaml has no spec.replicas (1); deployment-patch.yaml sets the manager's
    // resources to kserve.controller.resources (100m / 300Mi) and kube-rbac-proxy's to
    // kserve.controller.rbacProxy.resources (100m / 300Mi).
    const p = project('charts/kserve', realChart('kserve-resources-files-tpl', 'charts/kserve'));
    const r = analyze(p);
    expect(errorsOf(r)).toEqual([]);
    expect(workloads(r)).toEqual([{ address: 'kubernetes_deployment.default["kserve-controller-manager"]', replicas: 1, cpu: 0.2, memoryGiB: 0.5859375, gpu: 0 }]);
    expect(r.resources[0]!.file).toBe('charts/kserve/templates/kserve/resources.yaml');
    // share max(0.2/4, 0.5859375/16) = 0.05: 730 x 0.05 x $2 = $73.
    expect(costs(price(p))).toEqual({ 'kubernetes_deployment.default["kserve-controller-manager"]': 73 });
  });
});

describe('karpenter-controller (aws/karpenter-provider-aws)', () => {
  const files = realChart('karpenter-controller', 'infra/karpenter');

  it('default values: deployment.yaml fails (settings.clusterName required) at its line; no workload', () => {
    const r = analyze(project('infra/karpenter', files));
    const tpl = files['infra/karpenter/templates/deployment.yaml'] as string;
    expect(errorsOf(r)).toEqual([expect.objectContaining({ file: 'infra/karpenter/templates/deployment.yaml', line: lineOf(tpl, 'valid settings.clusterName') })]);
    expect(workloads(r)).toEqual([]);
  });

  it('values-prod.yaml: the controller Deployment, 2 replicas x (1 CPU, 1Gi)', () => {
    const env = { ...files, 'infra/karpenter/values-prod.yaml': 'settings:\n  clusterName: prod\ncontroller:\n  resources:\n    requests: { cpu: "1", memory: 1Gi }\n    limits: { cpu: "1", memory: 1Gi }\n' };
    const helmConfig = { charts: [{ path: 'infra/karpenter/', values: ['values-prod.yaml'], namespace: 'kube-system', name: 'prod' }] };
    const p = project('infra/karpenter (prod)', env);
    const r = analyze(p, helmConfig);
    expect(errorsOf(r)).toEqual([]);
    // replicas: 2; nodeSelector kubernetes.io/os linux; required affinity karpenter.sh/nodepool DoesNotExist.
    expect(workloads(r)).toEqual([{ address: 'kubernetes_deployment.kube-system["karpenter"]', replicas: 2, cpu: 1, memoryGiB: 1, gpu: 0 }]);
    // share max(1/4, 1/16) = 0.25: 2 x 730 x 0.25 x $2 = $730.
    const b = price(p, helmConfig);
    expect(costs(b)).toEqual({ 'kubernetes_deployment.kube-system["karpenter"]': 730 });
    expect(b.resources[0]!.details).toMatchObject({ pool: 'cpu', instanceType: 'm6i.xlarge' });
  });
});

describe('karpenter-resources-nodepool-chart (aws-samples)', () => {
  it('defines node capacity, not workloads: nothing priced; the default empty zone list renders invalid YAML, as with Helm', () => {
    const files = realChart('karpenter-resources-nodepool-chart');
    const r = analyze(project('charts/karpenter-resources-nodepool-chart', files));
    expect(r.resources).toEqual([]);
    expect(errorsOf(r)).toEqual([expect.objectContaining({ file: 'charts/karpenter-resources-nodepool-chart/templates/nodepool.yaml', message: expect.stringContaining('rendered output is not valid YAML') })]);
    const zones = { ...files, 'charts/karpenter-resources-nodepool-chart/values-zones.yaml': 'nodepool:\n  zone: [us-east-1a, us-east-1b]\n' };
    const ok = analyze(project('charts/karpenter-resources-nodepool-chart (values-zones.yaml)', zones), { charts: [{ path: 'charts/karpenter-resources-nodepool-chart', values: ['values-zones.yaml'] }] });
    expect(ok.errors).toEqual([]);
    expect(ok.resources).toEqual([]);
  });
});

/**
 * Hand-built breakdowns and diffs for report tests. `diffOf` pairs two breakdowns the way
 * core/diff does (by project and address, unknown stays null), so tests control every figure.
 */
import type {
  Breakdown,
  ComponentChange,
  CostComponent,
  Diff,
  Finding,
  PricedResource,
  ProjectBreakdown,
  ProjectKind,
  ResourceChange,
} from '../../src/core/types.js';

export function component(name: string, monthlyCost: number | null, over: Partial<CostComponent> = {}): CostComponent {
  return {
    name,
    unit: 'hours',
    monthlyQuantity: monthlyCost === null ? null : 730,
    unitPrice: monthlyCost === null ? null : monthlyCost / 730,
    monthlyCost,
    usageBased: false,
    ...over,
  };
}

export function resource(address: string, components: CostComponent[], over: Partial<PricedResource> = {}): PricedResource {
  const known = components.filter((c) => c.monthlyCost !== null);
  return {
    address,
    type: address.replace(/^module\.[^.]+\./, '').split('.')[0] ?? address,
    file: 'main.tf',
    line: 1,
    region: 'us-east-1',
    monthlyCost: components.length > 0 && known.length === 0 ? null : known.reduce((s, c) => s + (c.monthlyCost as number), 0),
    costComponents: components,
    subresources: [],
    unpriced: [],
    ...over,
  };
}

export function project(name: string, resources: PricedResource[], over: Partial<ProjectBreakdown> = {}): ProjectBreakdown {
  return {
    name,
    path: name,
    kind: 'terraform' as ProjectKind,
    totalMonthlyCost: resources.reduce((s, r) => s + (r.monthlyCost ?? 0), 0),
    resources,
    unsupported: [],
    errors: [],
    ...over,
  };
}

export function breakdown(projects: ProjectBreakdown[], prices: Partial<Breakdown['prices']> = {}): Breakdown {
  return {
    version: 1,
    currency: 'USD',
    prices: { source: 'embedded', capturedAt: '2026-07-20', ...prices },
    totalMonthlyCost: projects.reduce((s, p) => s + p.totalMonthlyCost, 0),
    projects,
  };
}

export function finding(rule: string, severity: Finding['severity'], message: string, over: Partial<Finding> = {}): Finding {
  return { rule, severity, message, file: null, line: null, address: null, monthlySavings: null, ...over };
}

function sub(a: number | null, b: number | null): number | null {
  return a === null || b === null ? null : a - b;
}

export function diffOf(base: Breakdown, head: Breakdown, findings: Finding[] = []): Diff {
  const names = [...new Set([...base.projects.map((p) => p.name), ...head.projects.map((p) => p.name)])].sort();
  const resources: ResourceChange[] = [];
  const projects = names.map((name) => {
    const bp = base.projects.find((p) => p.name === name);
    const hp = head.projects.find((p) => p.name === name);
    const p = (hp ?? bp) as ProjectBreakdown;
    const br = new Map((bp?.resources ?? []).map((r) => [r.address, r]));
    const hr = new Map((hp?.resources ?? []).map((r) => [r.address, r]));
    for (const address of new Set([...br.keys(), ...hr.keys()])) {
      const b = br.get(address);
      const h = hr.get(address);
      if (b && h && JSON.stringify(b) === JSON.stringify(h)) continue;
      const r = (h ?? b) as PricedResource;
      const bc = new Map((b?.costComponents ?? []).map((c) => [c.name, c]));
      const hc = new Map((h?.costComponents ?? []).map((c) => [c.name, c]));
      const components: ComponentChange[] = [...new Set([...bc.keys(), ...hc.keys()])]
        .map((n) => {
          const x = bc.get(n);
          const y = hc.get(n);
          return {
            name: n,
            baseMonthlyCost: x ? x.monthlyCost : null,
            headMonthlyCost: y ? y.monthlyCost : null,
            delta: sub(y ? y.monthlyCost : 0, x ? x.monthlyCost : 0),
          };
        })
        .filter((c) => c.delta === null || c.delta !== 0);
      resources.push({
        address,
        project: name,
        type: r.type,
        change: !b ? 'added' : !h ? 'removed' : 'changed',
        baseMonthlyCost: b ? b.monthlyCost : null,
        headMonthlyCost: h ? h.monthlyCost : null,
        delta: !b ? h!.monthlyCost : !h ? (b.monthlyCost === null ? null : -b.monthlyCost) : sub(h.monthlyCost, b.monthlyCost),
        file: r.file,
        line: r.line,
        components,
      });
    }
    const baseCost = bp?.totalMonthlyCost ?? 0;
    const headCost = hp?.totalMonthlyCost ?? 0;
    return { name, path: p.path, kind: p.kind, baseMonthlyCost: baseCost, headMonthlyCost: headCost, delta: headCost - baseCost };
  });
  resources.sort((a, b) => Math.abs(b.delta ?? 0) - Math.abs(a.delta ?? 0) || (a.address < b.address ? -1 : 1));
  const conclusion = findings.some((f) => f.severity === 'error')
    ? 'failure'
    : findings.some((f) => f.severity === 'warning')
      ? 'neutral'
      : 'success';
  return {
    version: 1,
    currency: 'USD',
    base,
    head,
    baseMonthlyCost: base.totalMonthlyCost,
    headMonthlyCost: head.totalMonthlyCost,
    totalMonthlyDelta: head.totalMonthlyCost - base.totalMonthlyCost,
    projects,
    resources,
    policy: { conclusion, findings },
  };
}

/**
 * A realistic ML-platform pull request: a GPU node group added, a SageMaker endpoint scaled up, an
 * inference deployment grown, a gp2 volume, an S3 bucket priced by usage, an unpriced async
 * endpoint, an unsupported module, one analysis error and three findings.
 */
export function realisticDiff(): Diff {
  const gp2 = (size: number): CostComponent =>
    component('Storage (gp2)', size * 0.1, { unit: 'GB-month', monthlyQuantity: size, unitPrice: 0.1, line: 31 });
  const s3 = resource(
    'aws_s3_bucket.checkpoints',
    [
      component('Standard storage', null, { unit: 'GB-month', monthlyQuantity: null, unitPrice: 0.023, usageBased: true, usageKey: 'standard.storage_gb' }),
      component('PUT requests', null, { unit: '1k requests', monthlyQuantity: null, unitPrice: 0.005, usageBased: true, usageKey: 'standard.monthly_tier_1_requests' }),
    ],
    { file: 'infra/ml-platform/storage.tf', line: 3, monthlyCost: 0 },
  );
  const asyncEndpoint = resource('aws_sagemaker_endpoint.ranker_async', [], {
    file: 'infra/ml-platform/serving.tf',
    line: 40,
    monthlyCost: null,
    unpriced: [{ component: 'Async inference (ml.inf2.xlarge)', reason: 'no price for ml.inf2.xlarge async inference in the snapshot' }],
  });
  const endpoint = (type: string, count: number, hourly: number): PricedResource =>
    resource('aws_sagemaker_endpoint_configuration.ranker', [
      component(`Inference instance (${type})`, 730 * count * hourly, { monthlyQuantity: 730 * count, unitPrice: hourly, line: 18 }),
    ], { file: 'infra/ml-platform/serving.tf', line: 14 });
  const web = resource('aws_instance.bastion', [
    component('Instance usage (t3.micro)', 7.592, { unitPrice: 0.0104 }),
    component('Storage (gp3)', 0.64, { unit: 'GB-month', monthlyQuantity: 8, unitPrice: 0.08 }),
  ], { file: 'infra/ml-platform/bastion.tf', line: 1 });
  const volume = (size: number): PricedResource =>
    resource('aws_ebs_volume.scratch', [gp2(size)], { file: 'infra/ml-platform/eks.tf', line: 30 });
  const gpu = resource(
    'aws_eks_node_group.gpu_training',
    [
      component('Instance usage (g5.2xlarge, on-demand)', 1771.856, { monthlyQuantity: 1460, unitPrice: 1.2136, assumption: 'desired size 2 (scaling 0-6); set nodes for aws_eks_node_group.gpu_training under usage: to change it' }),
      component('Storage (gp3)', 16, { unit: 'GB-month', monthlyQuantity: 200, unitPrice: 0.08 }),
    ],
    { file: 'infra/ml-platform/eks.tf', line: 88 },
  );
  const unsupported = [{ address: 'module.vpc', type: 'module', reason: 'registry module terraform-aws-modules/vpc/aws not analysed (map it to a local path in .mlcost.yml)' }];
  const tfBase = project('infra/ml-platform', [web, endpoint('ml.g5.xlarge', 1, 1.408), volume(500), s3], { unsupported });
  const tfHead = project('infra/ml-platform', [web, endpoint('ml.g5.2xlarge', 3, 1.515), volume(500), s3, gpu, asyncEndpoint], {
    unsupported,
    errors: [{ file: 'infra/ml-platform/legacy.tf', line: 12, message: 'Unclosed configuration block: there is no closing brace for this block' }],
  });
  const deployment = (replicas: number): PricedResource =>
    resource('kubernetes_deployment.inference-api', [
      component('Pods on m6i.2xlarge (2 vCPU, 8 GiB each)', replicas * 76.5, { unit: 'pod-months', monthlyQuantity: replicas, unitPrice: 76.5, assumption: 'pods placed on pool general (m6i.2xlarge, on-demand) by nodeSelector pool=general' }),
    ], { file: 'charts/inference/templates/deployment.yaml', line: 1, region: 'us-east-1' });
  const helmBase = project('charts/inference', [deployment(4)], { kind: 'helm' });
  const helmHead = project('charts/inference', [deployment(6)], { kind: 'helm' });
  const retrain = resource('github_actions_workflow.retrain', [
    component('Runner minutes (ubuntu-latest)', 0.96, { unit: 'minutes', monthlyQuantity: 120, unitPrice: 0.008, assumption: '30 min per run (no timeout-minutes; default), 4 runs/month from cron "0 3 * * 1"' }),
  ], { file: '.github/workflows/retrain.yml', line: 1, region: null });
  const pipeBase = project('.github/workflows/retrain.yml', [retrain], { kind: 'pipeline' });
  const pipeHead = project('.github/workflows/retrain.yml', [retrain], { kind: 'pipeline' });
  const base = breakdown([tfBase, helmBase, pipeBase]);
  const head = breakdown([tfHead, helmHead, pipeHead], { oldestPriceDate: '2025-06-01' });
  return diffOf(base, head, [
    finding('spot-for-training', 'error', 'aws_eks_node_group.gpu_training is labelled workload=training but uses ON_DEMAND capacity. Spot would save about 65% at desired size.', {
      file: 'infra/ml-platform/eks.tf',
      line: 88,
      address: 'aws_eks_node_group.gpu_training',
      monthlySavings: 1151.71,
    }),
    finding('endpoint-idle-risk', 'warning', 'ranker keeps 3 instances running 24/7 with no autoscaling policy.', {
      file: 'infra/ml-platform/serving.tf',
      line: 14,
      address: 'aws_sagemaker_endpoint_configuration.ranker',
    }),
    finding('gp2-to-gp3', 'info', 'aws_ebs_volume.scratch uses gp2: gp3 is 20% cheaper for the same size.', {
      file: 'infra/ml-platform/eks.tf',
      line: 31,
      address: 'aws_ebs_volume.scratch',
      monthlySavings: 10,
    }),
  ]);
}

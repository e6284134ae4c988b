/** Pods placed on node pools and priced by their share of the node. */
import { describe, expect, it } from '@jest/globals';
import { byAddress, deployment, price } from './helpers.js';

const pools = {
  region: 'us-east-1',
  nodePools: [
    { name: 'cpu', instanceType: 'm6i.xlarge', labels: { workload: 'general' } },
    { name: 'arm', instanceType: 'm7g.xlarge', labels: { workload: 'general' } },
    { name: 'gpu', instanceType: 'g5.12xlarge', labels: { workload: 'gpu' }, taints: [{ key: 'nvidia.com/gpu', value: 'true', effect: 'NoSchedule' as const }] },
    { name: 'spot', instanceType: 'm6i.xlarge', capacity: 'spot' as const, labels: { workload: 'batch' }, taints: [{ key: 'spot', effect: 'NoExecute' as const }] },
  ],
};

const component = (p: ReturnType<typeof price>, address: string) => byAddress(p)[address]?.costComponents[0];

describe('share of a node', () => {
  it('is the larger of the CPU and memory shares', () => {
    const p = price({ 'a.yaml': deployment('cpu-bound', { replicas: 2, requests: '{ cpu: "2", memory: 2Gi }' }) + '---\n' + deployment('mem-bound', { replicas: 2, requests: '{ cpu: 500m, memory: 12Gi }' }) }, pools);
    // m6i.xlarge: 4 vCPU, 16 GiB, $2/h. cpu-bound: max(2/4, 2/16) = 0.5; mem-bound: max(0.125, 0.75) = 0.75.
    expect(component(p, 'kubernetes_deployment.default["cpu-bound"]')).toMatchObject({ name: 'Node share (m6i.xlarge, on-demand, pool cpu)', unit: 'node-hours', monthlyQuantity: 730, unitPrice: 2, monthlyCost: 1460 });
    expect(component(p, 'kubernetes_deployment.default["mem-bound"]')).toMatchObject({ monthlyQuantity: 1095, monthlyCost: 2190 });
    expect(byAddress(p)['kubernetes_deployment.default["mem-bound"]']?.details).toMatchObject({ replicas: 2, cpu: 0.5, memoryGiB: 12, gpu: 0, pool: 'cpu', instanceType: 'm6i.xlarge', capacity: 'on-demand', nodeShare: 0.75 });
  });

  it('takes requests from limits when requests are absent, and says so', () => {
    const p = price({ 'a.yaml': deployment('lim', { limits: '{ cpu: "1", memory: 1Gi }' }) }, pools);
    const c = component(p, 'kubernetes_deployment.default["lim"]');
    expect(c).toMatchObject({ monthlyQuantity: 182.5, monthlyCost: 365 });
    expect(c?.assumption).toContain('cpu and memory requests taken from limits');
  });

  it('prices a GPU pod by its GPUs at the node price per GPU, with the GPU request only in limits', () => {
    const spec = 'tolerations:\n  - { key: nvidia.com/gpu, operator: Exists }';
    const p = price({ 'a.yaml': deployment('gpu', { replicas: 3, limits: '{ nvidia.com/gpu: 1 }', spec }) }, pools);
    // g5.12xlarge has 4 GPUs at $40/h: each pod pays a quarter.
    expect(component(p, 'kubernetes_deployment.default["gpu"]')).toMatchObject({ name: 'Node share (g5.12xlarge, on-demand, pool gpu)', monthlyQuantity: 3 * 730 * 0.25, monthlyCost: 3 * 730 * 10 });
    expect(byAddress(p)['kubernetes_deployment.default["gpu"]']?.details).toMatchObject({ gpu: 1, cpu: 0, memoryGiB: 0 });
    expect(p.errors.filter((e) => e.message.includes('no CPU or memory'))).toEqual([]);
  });

  it('charges a GPU pod at least its CPU or memory share', () => {
    const spec = 'tolerations:\n  - { key: nvidia.com/gpu, operator: Exists }';
    const p = price({ 'a.yaml': deployment('fat', { requests: '{ cpu: "24", memory: 8Gi, nvidia.com/gpu: 1 }', limits: '{ nvidia.com/gpu: 1 }', spec }) }, pools);
    expect(component(p, 'kubernetes_deployment.default["fat"]')).toMatchObject({ monthlyQuantity: 365 });
  });
});

describe('placement', () => {
  it('matches nodeSelector labels, including the labels every node carries', () => {
    const p = price({ 'a.yaml': deployment('arm', { requests: '{ cpu: "1" }', spec: 'nodeSelector: { kubernetes.io/arch: arm64, workload: general }' }) }, pools);
    expect(component(p, 'kubernetes_deployment.default["arm"]')?.name).toBe('Node share (m7g.xlarge, on-demand, pool arm)');
  });

  it('applies required node affinity (In, NotIn, Exists)', () => {
    const affinity = (exprs: string) =>
      `affinity:\n  nodeAffinity:\n    requiredDuringSchedulingIgnoredDuringExecution:\n      nodeSelectorTerms:\n        - matchExpressions:\n${exprs}`;
    const p = price(
      {
        'a.yaml': [
          deployment('in', { requests: '{ cpu: "1" }', spec: affinity('            - { key: node.kubernetes.io/instance-type, operator: In, values: [m7g.xlarge] }') }),
          deployment('notin', { requests: '{ cpu: "1" }', spec: affinity('            - { key: eks.amazonaws.com/nodegroup, operator: NotIn, values: [cpu] }') }),
          deployment('exists', { requests: '{ cpu: "1" }', spec: affinity('            - { key: workload, operator: Exists }\n            - { key: kubernetes.io/arch, operator: In, values: [arm64] }') }),
          deployment('missing', { requests: '{ cpu: "1" }', spec: affinity('            - { key: team, operator: Exists }') }),
        ].join('---\n'),
      },
      pools,
    );
    expect(component(p, 'kubernetes_deployment.default["in"]')?.name).toContain('pool arm');
    expect(component(p, 'kubernetes_deployment.default["notin"]')?.name).toContain('pool arm');
    expect(component(p, 'kubernetes_deployment.default["exists"]')?.name).toContain('pool arm');
    expect(byAddress(p)['kubernetes_deployment.default["missing"]']?.monthlyCost).toBeNull();
  });

  it('needs every NoSchedule and NoExecute taint tolerated', () => {
    const p = price(
      {
        'a.yaml': [
          deployment('untolerated', { requests: '{ cpu: "1" }', spec: 'nodeSelector: { workload: batch }' }),
          deployment('tolerated', { requests: '{ cpu: "1" }', spec: 'nodeSelector: { workload: batch }\ntolerations:\n  - { key: spot, operator: Exists, effect: NoExecute }' }),
        ].join('---\n'),
      },
      pools,
    );
    const a = byAddress(p);
    expect(a['kubernetes_deployment.default["untolerated"]']?.unpriced[0]?.reason).toMatch(/pool spot: taint spot:NoExecute not tolerated/);
    expect(a['kubernetes_deployment.default["tolerated"]']?.costComponents[0]).toMatchObject({ name: 'Node share (m6i.xlarge, spot, pool spot)', unitPrice: 1 });
  });

  it('puts pods without accelerators on CPU nodes, and says which of several matching pools it chose', () => {
    const p = price({ 'a.yaml': deployment('web', { requests: '{ cpu: "1" }' }) }, { ...pools, nodePools: [...pools.nodePools].reverse().map((x) => ({ ...x, taints: [] })) });
    const c = component(p, 'kubernetes_deployment.default["web"]');
    expect(c?.name).toBe('Node share (m6i.xlarge, spot, pool spot)');
    expect(c?.assumption).toMatch(/placed on pool spot, the first of 4 matching pools \(spot, gpu, arm, cpu\)/);
  });

  it('prefers kubernetes.defaultPool', () => {
    const p = price({ 'a.yaml': deployment('web', { requests: '{ cpu: "1" }' }) }, { ...pools, defaultPool: 'arm' });
    expect(component(p, 'kubernetes_deployment.default["web"]')?.name).toContain('pool arm');
  });

  it('leaves a pod no pool takes unpriced, with the reason of every pool', () => {
    const p = price({ 'a.yaml': deployment('huge', { requests: '{ cpu: "64" }', spec: 'nodeSelector: { workload: general }' }) }, pools);
    const r = byAddress(p)['kubernetes_deployment.default["huge"]'];
    expect(r?.monthlyCost).toBeNull();
    expect(r?.unpriced[0]?.reason).toBe(
      'no node pool takes this pod (64 CPU): pool cpu: m6i.xlarge too small (64 CPU > 4 vCPU); pool arm: m7g.xlarge too small (64 CPU > 4 vCPU); pool gpu: taint nvidia.com/gpu=true:NoSchedule not tolerated; pool spot: taint spot:NoExecute not tolerated',
    );
  });

  it('needs a pool with Neuron devices for Neuron requests, converting NeuronCores to devices', () => {
    const neuron = { region: 'us-east-1', nodePools: [{ name: 'cpu', instanceType: 'm6i.xlarge' }, { name: 'inf', instanceType: 'inf2.24xlarge' }] };
    const p = price({ 'a.yaml': deployment('cores', { limits: '{ aws.amazon.com/neuroncore: 4 }' }) + '---\n' + deployment('devices', { limits: '{ aws.amazon.com/neuron: 3 }' }) }, neuron);
    // inf2.24xlarge: 6 Inferentia2 devices of 2 cores, $48/h. 4 cores = 2 devices = 1/3; 3 devices = 1/2.
    expect(component(p, 'kubernetes_deployment.default["cores"]')).toMatchObject({ name: 'Node share (inf2.24xlarge, on-demand, pool inf)', monthlyCost: 730 * 16 });
    expect(component(p, 'kubernetes_deployment.default["devices"]')).toMatchObject({ monthlyQuantity: 365, monthlyCost: 730 * 24 });
  });

  it('flags a pod with neither requests nor limits and leaves it unpriced', () => {
    const p = price({ 'app.yaml': deployment('bare') }, pools);
    const r = byAddress(p)['kubernetes_deployment.default["bare"]'];
    expect(r?.monthlyCost).toBeNull();
    expect(r?.unpriced[0]?.reason).toMatch(/no container sets CPU or memory requests or limits/);
    expect(p.errors).toContainEqual({ file: 'app.yaml', line: 9, message: 'Deployment bare: container bare sets no CPU or memory requests or limits', severity: 'warning' });
  });

  it('counts a container without requests as 0 next to one with requests, and says so', () => {
    const text = deployment('two', { requests: '{ cpu: "1" }' }).replace('      containers:\n', '      containers:\n        - name: proxy\n          image: proxy:1\n');
    const p = price({ 'a.yaml': text }, pools);
    const c = component(p, 'kubernetes_deployment.default["two"]');
    expect(c?.monthlyQuantity).toBe(182.5);
    expect(c?.assumption).toContain('container proxy sets no CPU or memory requests or limits: counted as 0');
  });
});

describe('default pools', () => {
  it('uses m6i.xlarge, g5 and inf2 defaults without config and labels every line', () => {
    const p = price({
      'a.yaml': [deployment('cpu', { requests: '{ cpu: "1" }' }), deployment('gpu', { limits: '{ nvidia.com/gpu: 1 }' }), deployment('big-gpu', { requests: '{ cpu: "6", memory: 24Gi }', limits: '{ nvidia.com/gpu: 1 }' })].join('---\n'),
    });
    const a = byAddress(p);
    expect(a['kubernetes_deployment.default["cpu"]']?.costComponents[0]?.name).toBe('Node share (m6i.xlarge, on-demand, pool default)');
    expect(a['kubernetes_deployment.default["gpu"]']?.costComponents[0]?.name).toBe('Node share (g5.xlarge, on-demand, pool default-gpu)');
    // 6 CPU does not fit a g5.xlarge: the smallest g5 with room for it.
    expect(a['kubernetes_deployment.default["big-gpu"]']?.costComponents[0]?.name).toBe('Node share (g5.2xlarge, on-demand, pool default-gpu)');
    for (const r of p.resources) expect(r.costComponents[0]?.assumption).toMatch(/no node pools configured: default pool .* assumed; describe your pools under kubernetes.nodePools in .mlcost.yml/);
    expect(p.errors).toContainEqual(expect.objectContaining({ message: expect.stringMatching(/kubernetes.region is not set/), severity: 'warning' }));
  });

  it('honours a pinned instance type and spot capacity, and takes other selectors as met (said)', () => {
    const p = price({
      'a.yaml': [
        deployment('pinned', { limits: '{ nvidia.com/gpu: 2 }', spec: 'nodeSelector: { node.kubernetes.io/instance-type: p4d.24xlarge }' }),
        deployment('spot', { requests: '{ cpu: "1" }', spec: 'nodeSelector: { karpenter.sh/capacity-type: spot, team: ml }' }),
      ].join('---\n'),
    });
    const a = byAddress(p);
    expect(a['kubernetes_deployment.default["pinned"]']?.costComponents[0]).toMatchObject({ name: 'Node share (p4d.24xlarge, on-demand, pool default)', monthlyQuantity: 182.5 });
    const spot = a['kubernetes_deployment.default["spot"]']?.costComponents[0];
    expect(spot?.name).toBe('Node share (m6i.xlarge, spot, pool default)');
    expect(spot?.assumption).toContain('node selectors team=ml assumed met by the default pool');
  });
});

describe('Karpenter NodePools', () => {
  const nodePool = (name: string, requirements: string, extra = '') =>
    `apiVersion: karpenter.sh/v1\nkind: NodePool\nmetadata:\n  name: ${name}\nspec:\n${extra}  template:\n    spec:\n      requirements:\n${requirements}\n      nodeClassRef: { group: karpenter.k8s.aws, kind: EC2NodeClass, name: default }\n`;

  it('define pools: the first allowed instance type the pod fits, spot when allowed (both said)', () => {
    const pool = nodePool('burst', '        - { key: node.kubernetes.io/instance-type, operator: In, values: [c6i.large, m6i.xlarge] }\n        - { key: karpenter.sh/capacity-type, operator: In, values: [spot, on-demand] }');
    const p = price({ 'pool.yaml': pool, 'app.yaml': deployment('small', { requests: '{ cpu: "1", memory: 1Gi }' }) + '---\n' + deployment('large', { requests: '{ cpu: "1", memory: 6Gi }' }) }, { region: 'us-east-1' });
    const a = byAddress(p);
    const small = a['kubernetes_deployment.default["small"]']?.costComponents[0];
    expect(small).toMatchObject({ name: 'Node share (c6i.large, spot, pool burst)', monthlyQuantity: 365, unitPrice: 0.5 });
    expect(small?.assumption).toMatch(/c6i.large assumed for Karpenter NodePool burst \(the first of its 2 allowed instance types the pod fits\); spot assumed/);
    // 6Gi does not fit a c6i.large (4 GiB): the next allowed type.
    expect(a['kubernetes_deployment.default["large"]']?.costComponents[0]?.name).toBe('Node share (m6i.xlarge, spot, pool burst)');
  });

  it('without an instance type list, picks from mlcost candidates its requirements allow', () => {
    const pool = nodePool('general', '        - { key: karpenter.k8s.aws/instance-category, operator: In, values: [m] }\n        - { key: kubernetes.io/arch, operator: In, values: [amd64] }');
    const p = price({ 'pool.yaml': pool, 'app.yaml': deployment('web', { requests: '{ cpu: "3" }' }) }, { region: 'us-east-1' });
    const c = byAddress(p)['kubernetes_deployment.default["web"]']?.costComponents[0];
    expect(c?.name).toBe('Node share (m6i.xlarge, on-demand, pool general)');
    expect(c?.assumption).toMatch(/m6i.xlarge assumed for Karpenter NodePool general \(the first type in mlcost's candidate list/);
  });

  it('are tried by weight, higher first', () => {
    const a = nodePool('a-low', '        - { key: node.kubernetes.io/instance-type, operator: In, values: [m6i.xlarge] }');
    const b = nodePool('b-high', '        - { key: node.kubernetes.io/instance-type, operator: In, values: [m6i.2xlarge] }', '  weight: 50\n');
    const p = price({ 'pools.yaml': `${a}---\n${b}`, 'app.yaml': deployment('web', { requests: '{ cpu: "1" }' }) }, { region: 'us-east-1' });
    expect(byAddress(p)['kubernetes_deployment.default["web"]']?.costComponents[0]?.name).toContain('pool b-high');
  });
});

describe('Fargate', () => {
  it('prices pods a profile selects at Fargate rates, rounded up to a Fargate size', () => {
    const p = price(
      { 'a.yaml': deployment('fn', { replicas: 2, namespace: 'serverless', requests: '{ cpu: 300m, memory: 700Mi }' }) + '---\n' + deployment('gpu', { namespace: 'serverless', limits: '{ nvidia.com/gpu: 1 }' }) },
      { region: 'us-east-1', fargateProfiles: [{ name: 'fp', selectors: [{ namespace: 'server*' }] }] },
    );
    const r = byAddress(p)['kubernetes_deployment.serverless["fn"]'];
    // 0.3 vCPU -> 0.5 vCPU; 700Mi + 0.25 GB -> 1 GB. 2 pods x 730 h.
    expect(r?.costComponents.map((c) => [c.name, c.monthlyQuantity])).toEqual([
      ['vCPU (Fargate, Linux/x86, profile fp, 0.5 vCPU 1 GB per pod)', 730],
      ['Memory (Fargate, Linux/x86, profile fp, 0.5 vCPU 1 GB per pod)', 1460],
    ]);
    expect(byAddress(p)['kubernetes_deployment.serverless["gpu"]']?.unpriced[0]?.reason).toMatch(/Fargate runs no GPU or Neuron pods/);
  });

  it('runs every pod on Fargate with fargate: true, at the smallest size for a pod without requests', () => {
    const p = price({ 'a.yaml': deployment('tiny') }, { region: 'us-east-1', fargate: true });
    const r = byAddress(p)['kubernetes_deployment.default["tiny"]'];
    // 0.25 vCPU x 730 h x $0.04 + 0.5 GB x 730 h x $0.005
    expect(r?.monthlyCost).toBeCloseTo(7.3 + 1.825, 6);
    expect(r?.costComponents[0]?.assumption).toBe("no requests: Fargate's smallest size (0.25 vCPU, 0.5 GB)");
  });
});

/**
 * Real manifests (test/fixtures/kubernetes/<case>/, unchanged copies; see each SOURCE.md). The
 * expectations are read from the YAML by hand: workloads, replicas and requests.
 */
import { describe, expect, it } from '@jest/globals';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { dirReader, loadProjects } from '../../src/adapters/local.js';
import { loadEmbeddedPriceBook } from '../../src/adapters/snapshot-file.js';
import { breakdown } from '../../src/core/run.js';
import type { PricedResource, ProjectFiles } from '../../src/core/types.js';

const root = join(import.meta.dirname, '..', 'fixtures', 'kubernetes');
const book = loadEmbeddedPriceBook();
const MB256 = 256e6 / 2 ** 30;

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? files(p) : [p];
  });
}

/** Every manifest of a case as one project (what a single directory of them would be). */
function asOneProject(name: string): PricedResource[] {
  const dir = join(root, name);
  const texts: Record<string, string> = {};
  for (const f of files(dir)) if (f.endsWith('.yaml')) texts[relative(dir, f)] = readFileSync(f, 'utf8');
  const b = breakdown([{ name, path: name, kind: 'kubernetes', files: texts }], book);
  expect(b.projects[0]?.errors.filter((e) => e.severity !== 'warning')).toEqual([]);
  return b.projects[0]?.resources ?? [];
}

function details(resources: PricedResource[]) {
  return Object.fromEntries(resources.map((r) => [r.address, r.details]));
}

describe('detection', () => {
  it('makes one kubernetes project per directory of manifests', async () => {
    const projects: ProjectFiles[] = await loadProjects(dirReader(root));
    expect(projects.map((p) => [p.path, p.kind, Object.keys(p.files).length])).toEqual([
      ['karpenter-nodepools-ec2nodeclass/v1', 'kubernetes', 7],
      ['karpenter-nodepools-ec2nodeclass/workloads', 'kubernetes', 4],
      ['kserve-inferenceservices/accelerators', 'kubernetes', 1],
      ['kserve-inferenceservices/autoscaling', 'kubernetes', 1],
      ['kserve-inferenceservices/graph', 'kubernetes', 1],
      ['kserve-inferenceservices/llmisvc/multi-gpu-vendor', 'kubernetes', 1],
      ['kserve-inferenceservices/llmisvc/single-node-gpu', 'kubernetes', 1],
      ['kserve-inferenceservices/storage/hf', 'kubernetes', 1],
      ['kserve-inferenceservices/v1beta1/rollout', 'kubernetes', 1],
      ['kserve-inferenceservices/v1beta1/tensorflow', 'kubernetes', 1],
      ['kserve-inferenceservices/v1beta1/torchserve/v2/bert', 'kubernetes', 1],
      ['leaderworkerset-multinode-vllm-efa', 'kubernetes', 1],
      ['rayjob-kueue', 'kubernetes', 1],
    ]);
  });
});

describe('karpenter-nodepools-ec2nodeclass', () => {
  it('reads the four example Deployments: replicas and requests', () => {
    const d = details(asOneProject('karpenter-nodepools-ec2nodeclass'));
    // workloads/*.yaml: each asks cpu "1", memory 256M; gpu-nvidia adds a GPU limit, neuron a Neuron device.
    expect(Object.keys(d).sort()).toEqual([
      'kubernetes_deployment.default["gpu-nvidia"]',
      'kubernetes_deployment.default["inflate"]',
      'kubernetes_deployment.default["neuron"]',
      'kubernetes_deployment.default["spot"]',
    ]);
    expect(d['kubernetes_deployment.default["gpu-nvidia"]']).toMatchObject({ replicas: 0, cpu: 1, gpu: 1 });
    expect(d['kubernetes_deployment.default["inflate"]']).toMatchObject({ replicas: 1, cpu: 1, gpu: 0 });
    expect(d['kubernetes_deployment.default["neuron"]']).toMatchObject({ replicas: 0, cpu: 1, gpu: 0, neuron: 1 });
    expect(d['kubernetes_deployment.default["spot"]']).toMatchObject({ replicas: 0, cpu: 1, gpu: 0 });
    expect((d['kubernetes_deployment.default["inflate"]'] as { memoryGiB: number }).memoryGiB).toBeCloseTo(MB256, 6);
  });

  it('places them on the NodePools of v1/ when they are one project', () => {
    const d = details(asOneProject('karpenter-nodepools-ec2nodeclass'));
    // Pools by name (all weight 0): default (c/m/r, gen > 2), general-purpose, large-instances
    // (> 3 CPU, > 8191 MiB, any category), limitcpu100, spot (spot only).
    expect(d['kubernetes_deployment.default["inflate"]']).toMatchObject({ pool: 'default', instanceType: 'm6i.large', capacity: 'on-demand' });
    expect(d['kubernetes_deployment.default["spot"]']).toMatchObject({ pool: 'spot', capacity: 'spot' });
    // Only large-instances allows GPU and Neuron types.
    expect(d['kubernetes_deployment.default["gpu-nvidia"]']).toMatchObject({ pool: 'large-instances', instanceType: 'g5.xlarge' });
    expect(d['kubernetes_deployment.default["neuron"]']).toMatchObject({ pool: 'large-instances', instanceType: 'inf2.xlarge' });
  });

  it('prices the one running pod: inflate, 1 CPU of an m6i.large', () => {
    const r = asOneProject('karpenter-nodepools-ec2nodeclass').find((x) => x.address === 'kubernetes_deployment.default["inflate"]');
    // share = max(1/2, 0.238/8) = 0.5 -> 365 node-hours at the m6i.large price.
    expect(r?.costComponents[0]).toMatchObject({ name: 'Node share (m6i.large, on-demand, pool default)', monthlyQuantity: 365 });
  });
});

describe('kserve-inferenceservices', () => {
  it('reads predictors, GPU requests only in limits and KServe defaults', () => {
    const d = details(asOneProject('kserve-inferenceservices'));
    expect(Object.keys(d).sort()).toEqual([
      'kubernetes_inference_service.default["flowers-sample-gpu"]',
      'kubernetes_inference_service.default["huggingface-llama2"]',
      'kubernetes_inference_service.default["my-model"]',
      'kubernetes_inference_service.default["sklearn-iris"]',
      'kubernetes_inference_service.default["tensorflow-gpu"]',
      'kubernetes_inference_service.default["torchserve-bert-v2"]',
      'kubernetes_inference_service.default["xgboost-iris"]',
      'kubernetes_llm_inference_service.default["qwen2-7b-instruct-nvidia"]',
      'kubernetes_llm_inference_service.default["qwen2-7b-instruct-single"]',
    ]);
    // tensorflow-gpu (twice, in accelerators/ and v1beta1/: one project here, so once) and
    // flowers-sample-gpu: limits nvidia.com/gpu 1 only -> KServe's 1 CPU / 2Gi.
    for (const name of ['tensorflow-gpu', 'flowers-sample-gpu']) expect(d[`kubernetes_inference_service.default["${name}"]`]).toMatchObject({ replicas: 1, cpu: 1, memoryGiB: 2, gpu: 1 });
    // hf_isvc.yaml: requests cpu 6, memory 24Gi, nvidia.com/gpu 1.
    expect(d['kubernetes_inference_service.default["huggingface-llama2"]']).toMatchObject({ replicas: 1, cpu: 6, memoryGiB: 24, gpu: 1 });
    // bert_gpu.yaml: limits memory 4Gi and 1 GPU; KServe fills the missing requests: 1 CPU, 2Gi.
    expect(d['kubernetes_inference_service.default["torchserve-bert-v2"]']).toMatchObject({ replicas: 1, cpu: 1, memoryGiB: 2, gpu: 1 });
    // canary.yaml and ensemble.yaml set no resources.
    for (const name of ['my-model', 'sklearn-iris', 'xgboost-iris']) expect(d[`kubernetes_inference_service.default["${name}"]`]).toMatchObject({ replicas: 1, cpu: 1, memoryGiB: 2, gpu: 0 });
    // llmisvc: replicas 3, requests cpu 2, memory 16Gi, nvidia.com/gpu 1.
    for (const name of ['qwen2-7b-instruct-nvidia', 'qwen2-7b-instruct-single']) expect(d[`kubernetes_llm_inference_service.default["${name}"]`]).toMatchObject({ replicas: 3, cpu: 2, memoryGiB: 16, gpu: 1 });
  });

  it('puts GPU predictors on a GPU default pool large enough for them', () => {
    const d = details(asOneProject('kserve-inferenceservices'));
    expect(d['kubernetes_inference_service.default["tensorflow-gpu"]']).toMatchObject({ pool: 'default-gpu', instanceType: 'g5.xlarge' });
    // 6 CPU / 24Gi do not fit a g5.xlarge (4 vCPU, 16 GiB).
    expect(d['kubernetes_inference_service.default["huggingface-llama2"]']).toMatchObject({ pool: 'default-gpu', instanceType: 'g5.2xlarge' });
  });

  it('reports the duplicate tensorflow-gpu of the combined project, and nothing else', () => {
    const dir = join(root, 'kserve-inferenceservices');
    const texts: Record<string, string> = {};
    for (const f of files(dir)) if (f.endsWith('.yaml')) texts[relative(dir, f)] = readFileSync(f, 'utf8');
    const p = breakdown([{ name: 'k', path: 'k', kind: 'kubernetes', files: texts }], book).projects[0];
    expect(p?.errors.map((e) => e.message)).toEqual([
      'InferenceService default/tensorflow-gpu is defined again (first at accelerators/tensorflow-gpu.yaml:1); priced once',
      'kubernetes.region is not set in .mlcost.yml; prices are for us-east-1 (assumed)',
    ]);
    expect(p?.unsupported).toEqual([]);
  });
});

describe('leaderworkerset-multinode-vllm-efa', () => {
  it('reads 1 group of size 4: a leader and 3 workers, each 1 GPU; the ClusterIP Service costs nothing', () => {
    const resources = asOneProject('leaderworkerset-multinode-vllm-efa');
    expect(resources.map((r) => r.address)).toEqual(['kubernetes_leader_worker_set.default["vllm"]']);
    expect(resources[0]?.details).toMatchObject({
      replicas: 4,
      groupSize: 4,
      groups: [
        { name: 'leader', replicas: 1, cpu: 0, memoryGiB: 0, gpu: 1 },
        { name: 'worker', replicas: 3, cpu: 0, memoryGiB: 0, gpu: 1 },
      ],
    });
  });
});

describe('rayjob-kueue', () => {
  it('reads the head and the worker group, requests over limits', () => {
    const resources = asOneProject('rayjob-kueue');
    expect(resources.map((r) => r.address)).toEqual(['kubernetes_ray_job.default["rayjob-sample"]']);
    // head: requests cpu 1, memory 2Gi (limits 1 / 5Gi); small-group: replicas 1 (min 1, max 5), requests cpu 200m.
    expect(resources[0]?.details).toMatchObject({
      replicas: 2,
      runsPerMonth: 1,
      minutesPerRun: 60,
      groups: [
        { name: 'head', replicas: 1, cpu: 1, memoryGiB: 2, gpu: 0 },
        { name: 'worker small-group', replicas: 1, cpu: 0.2, memoryGiB: 0, gpu: 0 },
      ],
    });
    // shutdownAfterJobFinishes: true -> priced per run (1 run, 60 minutes: both assumed and said).
    expect(resources[0]?.costComponents[0]?.assumption).toMatch(/60 minutes per run assumed.*1 run per month assumed/);
  });
});

/** A small price book and a one-call pipeline for Kubernetes tests. */
import type { InstanceSpec } from '../../src/core/ports.js';
import type { ProjectBreakdown } from '../../src/core/types.js';
import { breakdown } from '../../src/core/run.js';
import { makeConfig } from '../../src/policy/schema.js';
import type { MlcostConfigInput } from '../../src/policy/schema.js';
import { fakeBook } from '../helpers/fake-book.js';

export const specs: Record<string, InstanceSpec> = {
  'm6i.large': { vcpu: 2, memoryGiB: 8, gpuCount: 0, arch: 'amd64' },
  'm6i.xlarge': { vcpu: 4, memoryGiB: 16, gpuCount: 0, arch: 'amd64' },
  'm6i.2xlarge': { vcpu: 8, memoryGiB: 32, gpuCount: 0, arch: 'amd64' },
  'm7g.xlarge': { vcpu: 4, memoryGiB: 16, gpuCount: 0, arch: 'arm64' },
  'c6i.large': { vcpu: 2, memoryGiB: 4, gpuCount: 0, arch: 'amd64' },
  'g5.xlarge': { vcpu: 4, memoryGiB: 16, gpuCount: 1, gpuName: 'a10g', arch: 'amd64' },
  'g5.2xlarge': { vcpu: 8, memoryGiB: 32, gpuCount: 1, gpuName: 'a10g', arch: 'amd64' },
  'g5.12xlarge': { vcpu: 48, memoryGiB: 192, gpuCount: 4, gpuName: 'a10g', arch: 'amd64' },
  'p4d.24xlarge': { vcpu: 96, memoryGiB: 1152, gpuCount: 8, gpuName: 'a100', arch: 'amd64' },
  'inf2.xlarge': { vcpu: 4, memoryGiB: 16, gpuCount: 0, acceleratorCount: 1, acceleratorName: 'inferentia2', arch: 'amd64' },
  'inf2.24xlarge': { vcpu: 96, memoryGiB: 384, gpuCount: 0, acceleratorCount: 6, acceleratorName: 'inferentia2', arch: 'amd64' },
};

/** Round prices per hour so expected costs are easy to check by hand: 730 h x $1 = $730. */
export const book = fakeBook(
  {
    'AmazonEC2/us-east-1/instance:m6i.large': 1,
    'AmazonEC2/us-east-1/instance:m6i.xlarge': 2,
    'AmazonEC2/us-east-1/instance:m6i.2xlarge': 4,
    'AmazonEC2/us-east-1/instance:m7g.xlarge': 2,
    'AmazonEC2/us-east-1/instance:c6i.large': 1,
    'AmazonEC2/us-east-1/spot:m6i.xlarge': 1,
    'AmazonEC2/us-east-1/spot:c6i.large': 0.5,
    'AmazonEC2/us-east-1/instance:g5.xlarge': 10,
    'AmazonEC2/us-east-1/instance:g5.2xlarge': 12,
    'AmazonEC2/us-east-1/instance:g5.12xlarge': 40,
    'AmazonEC2/us-east-1/instance:p4d.24xlarge': 320,
    'AmazonEC2/us-east-1/instance:inf2.xlarge': 8,
    'AmazonEC2/us-east-1/instance:inf2.24xlarge': 48,
    'AmazonEC2/eu-west-1/instance:m6i.xlarge': 3,
    'AmazonEC2/us-east-1/ebs:gp3:storage': 0.1,
    'AmazonEC2/us-east-1/ebs:gp2:storage': 0.2,
    'AmazonEC2/us-east-1/ebs:io1:storage': 0.5,
    'AmazonEC2/us-east-1/ebs:io1:iops': 0.1,
    'AmazonECS/us-east-1/fargate:vcpu:x86': 0.04,
    'AmazonECS/us-east-1/fargate:memory:x86': 0.005,
  },
  specs,
);

export function price(files: Record<string, string>, kubernetes?: MlcostConfigInput['kubernetes'], usage?: MlcostConfigInput['usage']): ProjectBreakdown {
  const config = makeConfig({ ...(kubernetes ? { kubernetes } : {}), ...(usage ? { usage } : {}) });
  return breakdown([{ name: 'k8s', path: 'k8s', kind: 'kubernetes', files }], book, { config }).projects[0] as ProjectBreakdown;
}

export function byAddress(p: ProjectBreakdown) {
  return Object.fromEntries(p.resources.map((r) => [r.address, r]));
}

/** A Deployment manifest with one container. */
export function deployment(name: string, opts: { replicas?: number; requests?: string; limits?: string; spec?: string; namespace?: string } = {}): string {
  const res = [opts.requests ? `            requests: ${opts.requests}` : '', opts.limits ? `            limits: ${opts.limits}` : ''].filter(Boolean);
  return [
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata:',
    `  name: ${name}`,
    ...(opts.namespace ? [`  namespace: ${opts.namespace}`] : []),
    'spec:',
    ...(opts.replicas !== undefined ? [`  replicas: ${opts.replicas}`] : []),
    '  template:',
    '    spec:',
    ...(opts.spec ? opts.spec.split('\n').map((l) => `      ${l}`) : []),
    '      containers:',
    `        - name: ${name}`,
    '          image: app:1',
    ...(res.length ? ['          resources:', ...res] : []),
    '',
  ].join('\n');
}

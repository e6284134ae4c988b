/** Which directories are Kubernetes projects, the `kubernetes:` config section, and the CLI. */
import { describe, expect, it } from '@jest/globals';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { kubernetesProjects, looksLikeManifest, findProjects } from '../../src/core/projects.js';
import { parseConfig } from '../../src/policy/schema.js';
import { runCli } from '../../src/cli/main.js';
import { deployment } from './helpers.js';

const manifest = 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: x }\n';

describe('kubernetesProjects', () => {
  it('makes one project per directory of manifests, outside charts, kustomize and Terraform directories', () => {
    const texts: Record<string, string> = {
      'k8s/app.yaml': manifest,
      'k8s/db.yml': `# comment\n---\n${manifest}`,
      'k8s/values.yaml': 'replicas: 3\n',
      'k8s/prod/app.yaml': manifest,
      'charts/web/templates/deploy.yaml': manifest,
      'charts/web/crds/crd.yaml': manifest,
      'overlays/prod/app.yaml': manifest,
      'infra/extra.yaml': manifest,
      '.github/workflows/ci.yml': 'name: ci\non: push\njobs: {}\nkind: x\napiVersion: y\n',
      'docs/notes.yaml': 'title: notes\n',
      'node_modules/x/app.yaml': manifest,
    };
    const paths = [...Object.keys(texts), 'charts/web/Chart.yaml', 'overlays/prod/kustomization.yaml', 'infra/main.tf', 'README.md'];
    expect(kubernetesProjects(paths, texts)).toEqual([
      { name: 'k8s', path: 'k8s', kind: 'kubernetes', files: ['k8s/app.yaml', 'k8s/db.yml'] },
      { name: 'k8s/prod', path: 'k8s/prod', kind: 'kubernetes', files: ['k8s/prod/app.yaml'] },
    ]);
    // Terraform detection does not change.
    expect(findProjects(paths).map((p) => [p.path, p.kind])).toEqual([['infra', 'terraform']]);
  });

  it('recognises manifests by their top-level apiVersion and kind', () => {
    expect(looksLikeManifest('"apiVersion": "v1"\n"kind": "Pod"\n')).toBe(true);
    expect(looksLikeManifest('spec:\n  apiVersion: v1\n  kind: Pod\n')).toBe(false);
  });
});

describe('the kubernetes: section of .mlcost.yml', () => {
  it('reads node pools, storage classes and Fargate profiles', () => {
    const { config, errors } = parseConfig(
      [
        'kubernetes:',
        '  region: eu-west-1',
        '  defaultPool: cpu',
        '  nodePools:',
        '    - name: cpu',
        '      instanceType: m6i.xlarge',
        '      nodes: 6',
        '    - name: gpu',
        '      instanceType: g5.2xlarge',
        '      capacity: spot',
        '      labels: { workload: gpu }',
        '      taints: [{ key: nvidia.com/gpu, effect: NoSchedule }]',
        '  storageClasses: { fast: io2 }',
        '  fargateProfiles:',
        '    - name: fp',
        '      selectors: [{ namespace: jobs }]',
        '',
      ].join('\n'),
    );
    expect(errors).toEqual([]);
    expect(config.kubernetes).toEqual({
      region: 'eu-west-1',
      defaultPool: 'cpu',
      nodePools: [
        { name: 'cpu', instanceType: 'm6i.xlarge', capacity: 'on-demand', labels: {}, taints: [], nodes: 6 },
        { name: 'gpu', instanceType: 'g5.2xlarge', capacity: 'spot', labels: { workload: 'gpu' }, taints: [{ key: 'nvidia.com/gpu', effect: 'NoSchedule' }] },
      ],
      storageClasses: { fast: 'io2' },
      fargate: false,
      fargateProfiles: [{ name: 'fp', selectors: [{ namespace: 'jobs', labels: {} }] }],
    });
  });

  it('names the line of a mistake, with a suggestion', () => {
    const { errors } = parseConfig('kubernetes:\n  nodePools:\n    - name: cpu\n      instanceTyp: m6i.xlarge\n      capacity: reserved\n');
    expect(errors.map((e) => [e.line, e.key, e.message])).toEqual([
      [3, 'kubernetes.nodePools.0.instanceType', '`instanceType` is required'],
      [4, 'kubernetes.nodePools.0.instanceTyp', 'unknown key `instanceTyp`; did you mean `instanceType`?'],
      [5, 'kubernetes.nodePools.0.capacity', 'expected one of `on-demand`, `spot`, got the text "reserved"'],
    ]);
  });
});

describe('mlcost breakdown', () => {
  it('prices the Kubernetes manifests of a directory next to its Terraform', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mlcost-k8s-'));
    mkdirSync(join(dir, 'k8s'));
    mkdirSync(join(dir, 'infra'));
    writeFileSync(join(dir, 'k8s', 'app.yaml'), deployment('api', { replicas: 2, requests: '{ cpu: "1", memory: 4Gi }' }));
    writeFileSync(join(dir, 'infra', 'main.tf'), 'provider "aws" {\n  region = "us-east-1"\n}\nresource "aws_eip" "ip" {}\n');
    writeFileSync(join(dir, '.mlcost.yml'), 'kubernetes:\n  region: us-east-1\n  nodePools:\n    - name: cpu\n      instanceType: m6i.xlarge\n');
    let out = '';
    let err = '';
    const code = await runCli(['breakdown', dir, '--format', 'json'], { out: (s) => (out += s), err: (s) => (err += s), env: {}, cwd: dir });
    expect(err).toBe('');
    expect(code).toBe(0);
    const b = JSON.parse(out) as { projects: { path: string; kind: string; resources: { address: string; costComponents: { name: string; monthlyQuantity: number }[] }[] }[] };
    expect(b.projects.map((p) => [p.path, p.kind])).toEqual([['infra', 'terraform'], ['k8s', 'kubernetes']]);
    expect(b.projects[1]?.resources[0]).toMatchObject({ address: 'kubernetes_deployment.default["api"]', costComponents: [{ name: 'Node share (m6i.xlarge, on-demand, pool cpu)', monthlyQuantity: 365 }] });
  });
});

import { describe, expect, it } from '@jest/globals';
import { diff } from '../../src/core/run.js';
import type { Breakdown } from '../../src/core/types.js';
import { parseConfig } from '../../src/policy/schema.js';
import { check, tf } from './rules/helpers.js';

const gp2 = (name: string, size = 500) => `resource "aws_ebs_volume" "${name}" {\n  availability_zone = "us-east-1a"\n  size              = ${size}\n  type              = "gp2"\n}`;

describe('guardrails: what the change is responsible for', () => {
  it('reports what the change adds or changes, not what was already there untouched', () => {
    const base = tf(gp2('old'));
    const { findings } = check('gp2-volumes', { base, head: tf(gp2('old'), gp2('new')) });
    expect(findings.map((f) => f.address)).toEqual(['aws_ebs_volume.new']);
    const grown = check('gp2-volumes', { base, head: tf(gp2('old', 800)) });
    expect(grown.findings.map((f) => f.address)).toEqual(['aws_ebs_volume.old']);
  });

  it('runs the defaults without a config; breakdowns read from JSON get no guardrails', () => {
    const { diff: d } = check('*', { head: tf(gp2('v')) });
    expect(d.policy).toMatchObject({ conclusion: 'neutral', findings: [expect.objectContaining({ rule: 'gp2-volumes' })] });
    const json = (b: Breakdown) => JSON.parse(JSON.stringify(b)) as Breakdown;
    expect(diff(json(d.base), json(d.head)).policy).toEqual({ conclusion: 'success', findings: [] });
  });
});

describe('guardrails: settings', () => {
  it('takes shorthands: false turns a rule off, a severity sets it', () => {
    expect(check('gp2-volumes', { head: tf(gp2('v')), config: { rules: { 'gp2-volumes': false } } }).findings).toEqual([]);
    const error = check('gp2-volumes', { head: tf(gp2('v')), config: { rules: { 'gp2-volumes': 'error' } } });
    expect(error.findings.map((f) => f.severity)).toEqual(['error']);
    expect(error.diff.policy.conclusion).toBe('failure');
  });

  it('applies paths and exclude to the resource file or its project', () => {
    const head = { 'infra/ml/main.tf': tf(gp2('v'))['infra/main.tf'] as string };
    const only = (paths: string[], exclude: string[] = []) => check('gp2-volumes', { head, path: 'infra/ml', config: { rules: { 'gp2-volumes': { paths, ...(exclude.length ? { exclude } : {}) } } } }).findings.length;
    expect(only(['infra/ml/**'])).toBe(1);
    expect(only(['infra/web/**'])).toBe(0);
    expect(only(['infra/**'], ['infra/ml'])).toBe(0);
  });

  it('applies overrides per environment, later entries winning', () => {
    const head = { 'infra/prod/main.tf': tf(gp2('v'))['infra/main.tf'] as string };
    const config = {
      environments: { prod: { paths: ['infra/prod/**'] } },
      overrides: [
        { environments: ['prod'], rules: { 'gp2-volumes': { severity: 'error' as const } } },
        { paths: ['infra/prod/legacy/**'], rules: { 'gp2-volumes': false } },
      ],
    };
    expect(check('gp2-volumes', { head, path: 'infra/prod', config }).findings.map((f) => f.severity)).toEqual(['error']);
    const legacy = { 'infra/prod/legacy/main.tf': head['infra/prod/main.tf'] as string };
    expect(check('gp2-volumes', { head: legacy, path: 'infra/prod/legacy', config }).findings).toEqual([]);
    const onlyDev = check('gp2-volumes', { head, path: 'infra/prod', config: { ...config, overrides: [], rules: { 'gp2-volumes': { environments: ['dev'] } } } });
    expect(onlyDev.findings).toEqual([]);
  });
});

describe('guardrails: ignore comments', () => {
  it('an ignore naming no rule silences nothing and says so', () => {
    const { diff: d } = check('*', { head: tf(`# mlcost:ignore gp2-volume typo in the id\n${gp2('v')}`) });
    expect(d.policy.findings.map((f) => f.rule)).toEqual(['gp2-volumes', 'mlcost-ignore']);
    expect(d.policy.findings[1]?.message).toContain('names no mlcost rule');
  });

  it('reads several ignores above one block, each for its rule', () => {
    const volume = `# mlcost:ignore gp2-volumes needed by the AMI\n// mlcost:ignore required-tags shared volume, tagged by the owner team\n${gp2('v')}`;
    const { diff: d } = check('*', { head: tf(volume), config: { rules: { 'required-tags': { keys: ['team'] } } } });
    expect(d.policy.findings).toEqual([]);
    expect(d.policy.ignored?.map((f) => [f.rule, f.reason])).toEqual([
      ['gp2-volumes', 'needed by the AMI'],
      ['required-tags', 'shared volume, tagged by the owner team'],
    ]);
    expect(d.policy.conclusion).toBe('success');
  });

  it('reads the ignore above a manifest\'s kind: line', () => {
    const pvc = { 'k8s/pvc.yaml': 'apiVersion: v1\n# mlcost:ignore gp2-volumes migrating with the cluster upgrade\nkind: PersistentVolumeClaim\nmetadata: { name: data, namespace: ml }\nspec:\n  storageClassName: old\n  resources: { requests: { storage: 500Gi } }\n' };
    const { findings, ignored } = check('gp2-volumes', { head: pvc, kind: 'kubernetes', path: 'k8s', config: { kubernetes: { region: 'us-east-1', storageClasses: { old: 'gp2' } } } });
    expect(findings).toEqual([]);
    expect(ignored.map((f) => [f.address, f.ignoredAt])).toEqual([['kubernetes_persistent_volume_claim.ml["data"].volume data', { file: 'k8s/pvc.yaml', line: 2 }]]);
  });
});

describe('.mlcost.yml guardrail sections', () => {
  it('reports an unknown rule with its line and a did-you-mean', () => {
    const { errors } = parseConfig('rules:\n  gp2-volume: error\n');
    expect(errors).toEqual([{ file: '.mlcost.yml', line: 2, column: 3, key: 'rules.gp2-volume', message: 'unknown key `gp2-volume`; did you mean `gp2-volumes`?' }]);
  });

  it('reports unknown rule options, bad severities and bad globs with their lines', () => {
    const { errors } = parseConfig('rules:\n  gpu-instances:\n    deny: [p5]\n    maxSise: 12xlarge\n  gp2-volumes: eror\n  s3-lifecycle:\n    paths: ["/abs/**"]\n');
    expect(errors.map((e) => [e.line, e.key, e.message])).toEqual([
      [4, 'rules.gpu-instances.maxSise', 'unknown key `maxSise`; did you mean `maxSize`?'],
      [5, 'rules.gp2-volumes', 'expected one of `error`, `warning`, `info`, `off`, `on`, got the text "eror"'],
      [7, 'rules.s3-lifecycle.paths.0', 'globs are relative to the repository root: remove the leading `/`'],
    ]);
  });

  it('checks budgets, overrides and approval', () => {
    const { errors } = parseConfig('budgets:\n  - paths: []\n    monthly: -5\noverrides:\n  - rules: { gp2-volumes: of }\napproval:\n  minimumPermision: admin\n');
    expect(errors.map((e) => [e.line, e.key, e.message])).toEqual([
      [2, 'budgets.0.paths', 'needs at least 1 item'],
      [3, 'budgets.0.monthly', 'must not be negative, got -5'],
      [5, 'overrides.0.rules.gp2-volumes', 'expected one of `error`, `warning`, `info`, `off`, `on`, got the text "of"'],
      [7, 'approval.minimumPermision', 'unknown key `minimumPermision`; did you mean `minimumPermission`?'],
    ]);
    expect(parseConfig('overrides:\n  - rules: { gp2-volumes: off }\n').errors.map((e) => [e.line, e.key, e.message])).toEqual([[2, 'overrides.0', 'an override needs `paths` or `environments` (or both)']]);
    expect(parseConfig('overrides:\n  - paths: [infra/legacy/**]\n    rules: { gp2-volumes: off }\n').errors).toEqual([]);
  });
});

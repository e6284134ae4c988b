/** GitHub Actions workflows: schedules, conditions, matrices, reusable workflows, errors. */
import { describe, expect, it } from '@jest/globals';
import { githubActions } from '../../src/analyzers/github-actions/index.js';
import { loadEmbeddedPriceBook } from '../../src/adapters/snapshot-file.js';
import { countSchedules } from '../../src/analyzers/kubernetes/cron.js';
import { discoverProjects } from '../../src/core/projects.js';
import type { ProjectFiles } from '../../src/core/types.js';
import { breakdown } from '../../src/core/run.js';
import { makeConfig } from '../../src/policy/schema.js';
import type { MlcostConfigInput } from '../../src/policy/schema.js';

const book = loadEmbeddedPriceBook();

function project(files: Record<string, string>): ProjectFiles {
  const specs = discoverProjects(Object.keys(files), files).filter((p) => p.kind === 'pipeline');
  expect(specs).toHaveLength(1);
  const s = specs[0]!;
  return { name: s.name, path: s.path, kind: s.kind, files: Object.fromEntries(s.files.map((f) => [f, files[f]!])) };
}

function price(files: Record<string, string>, config: MlcostConfigInput = {}) {
  const p = project(files);
  return breakdown([p], book, { config: makeConfig(config) }).projects[0]!;
}

const wf = (on: string, jobs: string) => `name: w\non:\n${on}\njobs:\n${jobs}`;
const job = (id: string, extra = '', runsOn = 'ubuntu-latest') => `  ${id}:\n    runs-on: ${runsOn}\n${extra}    steps:\n      - run: echo\n`;

describe('schedules', () => {
  it.each([
    ['*/15 * * * *', 730 * 4],
    ['0 9 * * 1-5', (365 * 5) / 7 / 12],
    ['0 0 * * MON-FRI', (365 * 5) / 7 / 12],
    ['30 4 1,15 * *', 2],
    // GitHub runs a schedule at most every 5 minutes.
    ['*/1 * * * *', 730 * 12],
    ['* * * * *', 730 * 12],
  ])('%s', (cron, runs) => {
    const b = price({ '.github/workflows/w.yml': wf(`  schedule:\n    - cron: '${cron}'`, job('a')) });
    expect(b.resources[0]!.details!.runsPerMonth as number).toBeCloseTo(runs, 4);
  });

  it('adds up several crons of one workflow', () => {
    const b = price({ '.github/workflows/w.yml': wf("  schedule:\n    - cron: '0 0 * * *'\n    - cron: '0 12 * * 6,0'", job('a')) });
    expect(b.resources[0]!.details!.runsPerMonth as number).toBeCloseTo(365 / 12 + (365 * 2) / 7 / 12, 4);
  });

  it('rejects what GitHub rejects, with the file and line', () => {
    const b = price({ '.github/workflows/w.yml': wf("  push:\n  schedule:\n    - cron: '0 25 * * *'", job('a')) });
    expect(b.errors).toContainEqual(expect.objectContaining({ file: '.github/workflows/w.yml', line: 5, message: expect.stringContaining('invalid cron') }));
    expect(b.resources[0]!.monthlyCost).toBeNull();
    expect(b.resources[0]!.unpriced[0]!.reason).toContain('hour 25 is out of range');
    expect(countSchedules(['@daily'], { dialect: 'github' }).ok).toBe(false);
  });
});

describe('jobs', () => {
  it('chooses the jobs a schedule runs with if: github.event.schedule', () => {
    const text = wf(
      "  push:\n  schedule:\n    - cron: '0 0 * * *'\n    - cron: '0 0 * * 0'",
      job('daily', "    if: github.event.schedule == '0 0 * * *'\n") + job('weekly', "    if: ${{ github.event.schedule == '0 0 * * 0' }}\n") + job('ci', "    if: github.event_name == 'push'\n") + job('after', '    needs: weekly\n'),
    );
    const b = price({ '.github/workflows/w.yml': text });
    const runs = Object.fromEntries(b.resources.map((r) => [r.address, r.details!.runsPerMonth]));
    expect(runs['github_actions_job.w["daily"]']).toBeCloseTo(365 / 12, 4);
    expect(runs['github_actions_job.w["weekly"]']).toBeCloseTo(365 / 7 / 12, 4);
    expect(runs['github_actions_job.w["ci"]']).toBe(60);
    // A job that needs a skipped job is skipped too.
    expect(runs['github_actions_job.w["after"]']).toBeCloseTo(365 / 7 / 12, 4);
  });

  it('counts a matrix of 12 shards from fromJSON, and flags a matrix computed at run time', () => {
    const text = wf(
      '  push:',
      job('shards', "    strategy:\n      matrix:\n        shard: ${{ fromJSON('[1,2,3,4,5,6,7,8,9,10,11,12]') }}\n") +
        job('dynamic', '    needs: shards\n    strategy:\n      matrix: ${{ fromJSON(needs.shards.outputs.matrix) }}\n'),
    );
    const b = price({ '.github/workflows/w.yml': text });
    const shards = b.resources.find((r) => r.address.endsWith('["shards"]'))!;
    expect(shards.details!.matrixSize).toBe(12);
    expect(shards.monthlyCost).toBeCloseTo(60 * 12 * 10 * 0.006, 6);
    const dynamic = b.resources.find((r) => r.address.endsWith('["dynamic"]'))!;
    expect(dynamic.monthlyCost).toBeNull();
    expect(dynamic.unpriced[0]!.reason).toContain('computed when the workflow runs');
    expect(b.errors.some((e) => e.message.includes('matrix size is unknown'))).toBe(true);
    const fixed = price({ '.github/workflows/w.yml': text }, { usage: { 'github_actions_job.w["dynamic"]': { matrix_size: 4 } } });
    expect(fixed.resources.find((r) => r.address.endsWith('["dynamic"]'))!.monthlyCost).toBeCloseTo(60 * 4 * 10 * 0.006, 6);
  });

  it('expands a reusable workflow of the repository into the caller, its matrix times the caller\'s', () => {
    const files = {
      '.github/workflows/ci.yml': wf(
        '  pull_request:',
        "  gpu:\n    strategy:\n      matrix:\n        model: [a, b]\n    uses: ./.github/workflows/eval.yml\n    with:\n      runner: gpu-box\n",
      ),
      '.github/workflows/eval.yml': wf(
        '  workflow_call:\n    inputs:\n      runner:\n        type: string\n        default: ubuntu-latest',
        "  run:\n    runs-on: ${{ inputs.runner }}\n    timeout-minutes: 60\n    strategy:\n      matrix:\n        seed: [1, 2, 3]\n    steps:\n      - run: eval\n",
      ),
    };
    // The called workflow only runs on workflow_call: it is read with its caller, not on its own.
    expect(discoverProjects(Object.keys(files), files).map((p) => [p.path, p.files])).toEqual([['.github/workflows/ci.yml', ['.github/workflows/ci.yml', '.github/workflows/eval.yml']]]);
    const b = price(files, { pipelines: { region: 'us-east-1', runners: { 'gpu-box': { instanceType: 'g5.xlarge' } } } });
    const r = b.resources[0]!;
    expect(r.address).toBe('github_actions_job.ci["gpu/run"]');
    expect(r.details).toMatchObject({ matrixSize: 6, instanceType: 'g5.xlarge', runsPerMonth: 120, minutesCeiling: 60 });
    expect(r.monthlyCost).toBeCloseTo(((120 * 6 * 10) / 60) * 1.006, 6);
    expect(r.ceilingMonthlyCost).toBeCloseTo(((120 * 6 * 60) / 60) * 1.006, 6);
  });

  it('prices the instances a job launches for its duration, and the EC2 runner a job starts for another', () => {
    const text = wf(
      '  workflow_dispatch:',
      '  train:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: acme/sagemaker-train@v1\n        with:\n          instance-type: ml.g5.xlarge\n          instance-count: 2\n' +
        '  start:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: machulav/ec2-github-runner@v2\n        with:\n          mode: start\n          ec2-instance-type: g5.2xlarge\n' +
        '  gpu:\n    needs: start\n    runs-on: ${{ needs.start.outputs.label }}\n    steps:\n      - run: nvidia-smi\n',
    );
    const b = price({ '.github/workflows/w.yml': text }, { pipelines: { region: 'us-east-1' }, usage: { github_actions_job: { runs_per_month: 10 } } });
    const train = b.resources.find((r) => r.address.endsWith('["train"]'))!;
    const launched = train.costComponents.find((c) => c.name.startsWith('Launched SageMaker'))!;
    expect(launched.monthlyQuantity).toBeCloseTo((10 * 2 * 10) / 60, 6);
    expect(launched.unitPrice).toBe(1.408);
    const gpu = b.resources.find((r) => r.address.endsWith('["gpu"]'))!;
    expect(gpu.details).toMatchObject({ instanceType: 'g5.2xlarge' });
    expect(gpu.costComponents[0]!.name).toBe('Self-hosted runner (g5.2xlarge, on-demand)');
  });

  it('leaves an unmapped self-hosted runner unpriced with how to map it, and free runners at no charge', () => {
    const text = wf('  push:', job('a', '', '[self-hosted, linux, a100]') + job('b', '', '[self-hosted, on-prem]'));
    const b = price({ '.github/workflows/w.yml': text }, { pipelines: { runners: { 'on-prem': { free: true } } } });
    const [a, bb] = b.resources;
    expect(a!.monthlyCost).toBeNull();
    expect(a!.unpriced[0]!.reason).toContain('pipelines.runners');
    expect(bb!.monthlyCost).toBe(0);
    expect(bb!.details!.noCharge).toBe('self-hosted runner the team already pays for');
  });
});

describe('files that are not workflows', () => {
  it('reports a workflow that is not YAML with its line, and prices nothing of it', () => {
    const b = price({ '.github/workflows/broken.yml': 'name: x\non: [push\njobs:\n  a: {}\n' });
    expect(b.resources).toEqual([]);
    expect(b.errors[0]).toMatchObject({ file: '.github/workflows/broken.yml', message: expect.stringContaining('YAML syntax error') });
    expect(b.errors[0]!.line).toBeGreaterThan(1);
  });

  it('reports YAML that is not a workflow', () => {
    const b = price({ '.github/workflows/list.yml': '- a\n- b\n' });
    expect(b.errors[0]!.message).toContain('not a GitHub Actions workflow');
    expect(githubActions.analyze({ name: 'x', path: '.github/workflows/x.yml', kind: 'pipeline', files: { '.github/workflows/x.yml': 'on: push\n' } }).errors[0]!.message).toContain('no `jobs:`');
  });
});

/** The CLI end to end, in-process: commands, formats, exit codes and error messages. */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../src/cli/main.js';
import type { Breakdown, Diff } from '../../src/core/types.js';

const repoRoot = join(import.meta.dirname, '..', '..');
const example = join(repoRoot, 'examples', 'ml-platform');

async function cli(args: string[], cwd = repoRoot, env: Record<string, string> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(args, { out: (s) => out.push(s), err: (s) => err.push(s), env, cwd });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'mlcost-cli-'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function write(dir: string, files: Record<string, string>): string {
  const abs = join(tmp, dir);
  for (const [f, text] of Object.entries(files)) {
    mkdirSync(join(abs, f, '..'), { recursive: true });
    writeFileSync(join(abs, f), text);
  }
  return abs;
}

describe('mlcost breakdown', () => {
  it('prints the JSON contract with prices, dates and file:line', async () => {
    const r = await cli(['breakdown', 'examples/ml-platform/base', '--format', 'json', '--config', 'examples/ml-platform/.mlcost.yml']);
    expect(r.code).toBe(0);
    const b = JSON.parse(r.out) as Breakdown;
    expect(b).toMatchObject({ version: 1, currency: 'USD', prices: { source: 'embedded', capturedAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/), oldestPriceDate: expect.any(String) } });
    const project = b.projects[0]!;
    expect(project).toMatchObject({ name: 'examples/ml-platform/base', path: '.', kind: 'terraform' });
    const bastion = project.resources.find((x) => x.address === 'aws_instance.bastion')!;
    expect(bastion).toMatchObject({ file: 'storage.tf', line: 10, region: 'us-east-1', monthlyCost: 74.08 });
    expect(project.unsupported).toEqual([]);
    // The NAT gateway's Elastic IP is in use: 730 h x $0.005
    expect(project.resources.find((x) => x.address === 'aws_eip.nat')).toMatchObject({ monthlyCost: 3.65, details: { state: 'in-use', stateFrom: 'aws_nat_gateway.main' } });
    expect(b.totalMonthlyCost).toBeCloseTo(project.resources.reduce((a, x) => a + (x.monthlyCost ?? 0), 0), 6);
  });

  it('prints a terminal table by default and markdown on request', async () => {
    const table = await cli(['breakdown', 'examples/ml-platform/base']);
    expect(table.code).toBe(0);
    expect(table.out).toContain('aws_instance.bastion');
    expect(table.out).toContain('74.08');
    const md = await cli(['breakdown', 'examples/ml-platform/base', '--format', 'markdown']);
    expect(md.out).toContain('| ');
  });

  it('exits 2 naming file and line for malformed HCL, and still prices the other files', async () => {
    const dir = write('broken', {
      'bad.tf': 'resource "aws_instance" "a" {\n  instance_type = "m5.large"\n  ami = = "x"\n}\n',
      'good.tf': 'provider "aws" {\n  region = "us-east-1"\n}\nresource "aws_ebs_volume" "v" {\n  size = 10\n  type = "gp3"\n}\n',
    });
    const r = await cli(['breakdown', dir, '--format', 'json']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/bad\.tf:3:\d+: error: /);
    const b = JSON.parse(r.out) as Breakdown;
    expect(b.projects[0]!.resources.find((x) => x.address === 'aws_ebs_volume.v')!.monthlyCost).toBe(0.8);
  });

  it('exits 2 with the key and line of a bad .mlcost.yml', async () => {
    const dir = write('badconfig', { 'main.tf': 'resource "aws_ebs_volume" "v" {\n  size = 1\n}\n', '.mlcost.yml': 'version: 1\nthresholds:\n  maxMonthlyIncrease: lots\n' });
    const r = await cli(['breakdown', dir]);
    expect(r.code).toBe(2);
    expect(r.err).toContain('.mlcost.yml:3:');
    expect(r.err).toContain('thresholds.maxMonthlyIncrease');
  });

  it('exits 2 for a path that does not exist and for bad usage', async () => {
    expect((await cli(['breakdown', join(tmp, 'nope')])).err).toContain('does not exist');
    expect((await cli(['breakdown', join(tmp, 'nope')])).code).toBe(2);
    expect((await cli(['diff'])).code).toBe(2);
    expect((await cli(['breakdown', '.', '--format', 'xml'])).code).toBe(2);
    expect((await cli(['frobnicate'])).code).toBe(2);
  });

  it('reads --var, --var-file and TF_VAR_ values', async () => {
    const dir = write('vars', { 'main.tf': 'variable "size" {}\nvariable "type" {}\nresource "aws_ebs_volume" "v" {\n  size = var.size\n  type = var.type\n}\n' });
    writeFileSync(join(tmp, 'sizes.tfvars'), 'size = 100\n');
    const r = await cli(['breakdown', dir, '--format', 'json', '--var-file', join(tmp, 'sizes.tfvars')], repoRoot, { TF_VAR_type: 'gp3' });
    const v = (JSON.parse(r.out) as Breakdown).projects[0]!.resources[0]!;
    expect(v.monthlyCost).toBe(8);
    const r2 = await cli(['breakdown', dir, '--format', 'json', '--var', 'size=10', '--var', 'type=gp2']);
    expect((JSON.parse(r2.out) as Breakdown).projects[0]!.resources[0]!.monthlyCost).toBe(1);
  });

  it('reports a file over the size limit instead of reading it, and prices the rest', async () => {
    const dir = write('huge', { 'ok.tf': 'resource "aws_ebs_volume" "v" {\n  size = 10\n}\n' });
    writeFileSync(join(dir, 'huge.tf'), '#'.repeat(21 * 1024 * 1024));
    const r = await cli(['breakdown', dir, '--format', 'json']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('huge.tf:1: error: file is 21.0 MB, over the 20 MB limit; not read');
    expect((JSON.parse(r.out) as Breakdown).projects[0]!.resources.map((x) => x.address)).toEqual(['aws_ebs_volume.v']);
  });

  it('prints nothing priced, and says so, for an empty directory', async () => {
    const dir = write('empty', { 'README.md': '# nothing here\n' });
    const r = await cli(['breakdown', dir, '--format', 'json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({ totalMonthlyCost: 0, projects: [] });
    expect(r.err).toContain('nothing to price under');
  });
});

describe('mlcost diff', () => {
  it('prices the example change and fails on the breached threshold (exit 1)', async () => {
    const r = await cli(['diff', '--base', 'examples/ml-platform/base', '--head', 'examples/ml-platform/head', '--format', 'json', '--config', 'examples/ml-platform/.mlcost.yml']);
    expect(r.code).toBe(1);
    const d = JSON.parse(r.out) as Diff;
    expect(d.totalMonthlyDelta).toBeGreaterThan(0);
    expect(d.totalMonthlyDelta).toBeCloseTo(d.headMonthlyCost - d.baseMonthlyCost, 6);
    expect(d.resources.map((x) => [x.address, x.change])).toEqual([
      ['aws_eks_node_group.gpu_training', 'changed'],
      ['aws_sagemaker_endpoint.ranker', 'changed'],
      ['aws_ebs_volume.feature_cache', 'added'],
      ['aws_cloudwatch_log_group.training_audit', 'added'],
    ]);
    // 2 more g5.2xlarge nodes (730 h x $1.212 each) and their 200 GB disks at $0.10
    expect(d.resources[0]!.delta).toBeCloseTo(2 * 730 * 1.212 + 2 * 200 * 0.1, 6);
    expect(d.policy.conclusion).toBe('failure');
    expect(d.policy.findings.map((f) => [f.rule, f.severity, f.address])).toEqual([
      ['max-monthly-increase', 'error', null],
      ['max-monthly-increase-percent', 'warning', null],
      ['budget', 'error', null],
      // Guardrails on what the change touched (examples/ml-platform/.mlcost.yml makes spot-for-training an error).
      ['endpoint-idle-risk', 'warning', 'aws_sagemaker_endpoint.ranker'],
      ['gp2-volumes', 'warning', 'aws_ebs_volume.feature_cache'],
      ['spot-for-training', 'error', 'aws_eks_node_group.gpu_training'],
    ]);
    // 2 x 2 x 730 h x ($1.212 on-demand - $0.50904 spot estimate) for the g5.2xlarge training nodes.
    expect(d.policy.findings[5]!.monthlySavings).toBeCloseTo(2 * 2 * 730 * (1.212 - 0.50904), 6);
    expect(d.policy.ignored?.map((f) => [f.rule, f.address, f.reason])).toEqual([
      ['log-retention', 'aws_cloudwatch_log_group.training_audit', 'audit logs of training runs are kept for 7 years (compliance policy DP-7)'],
    ]);
    const zero = await cli(['diff', '--base', 'examples/ml-platform/base', '--head', 'examples/ml-platform/head', '--config', 'examples/ml-platform/.mlcost.yml', '--exit-zero']);
    expect(zero.code).toBe(0);
  });

  it('reads thresholds from the base side, so a change cannot loosen its own limits', async () => {
    const base = write('cfg/base', { 'main.tf': 'resource "aws_ebs_volume" "v" {\n  size = 10\n}\n', '.mlcost.yml': 'thresholds:\n  maxMonthlyIncrease: 5\n' });
    const head = write('cfg/head', { 'main.tf': 'resource "aws_ebs_volume" "v" {\n  size = 1000\n}\n', '.mlcost.yml': 'thresholds:\n  maxMonthlyIncrease: 100000\n' });
    const r = await cli(['diff', '--base', base, '--head', head, '--format', 'json']);
    expect(r.code).toBe(1);
    expect((JSON.parse(r.out) as Diff).policy.findings[0]!.rule).toBe('max-monthly-increase');
  });

  it('compares two git revisions without checking anything out', async () => {
    const repo = join(tmp, 'gitrepo');
    cpSync(join(example, 'base'), join(repo, 'infra'), { recursive: true });
    const git = (...args: string[]) => execFileSync('git', args, { cwd: repo, env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@e', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@e' } });
    git('init', '-q', '-b', 'main');
    git('add', '.');
    git('commit', '-q', '-m', 'base');
    cpSync(join(example, 'head'), join(repo, 'infra'), { recursive: true });
    git('add', '.');
    git('commit', '-q', '-m', 'head');
    const fromGit = await cli(['diff', '--git', 'HEAD~1..HEAD', '--format', 'json'], repo);
    const fromDirs = await cli(['diff', '--base', join(example, 'base'), '--head', join(example, 'head'), '--format', 'json']);
    const g = JSON.parse(fromGit.out) as Diff;
    const d = JSON.parse(fromDirs.out) as Diff;
    expect(g.projects.map((p) => p.path)).toEqual(['infra']);
    expect(g.totalMonthlyDelta).toBe(d.totalMonthlyDelta);
    expect((await cli(['diff', '--git', 'nope..HEAD'], repo)).err).toContain('git revision "nope" not found');
  });
});

/**
 * Local modules: a change to a shared module prices every root that calls it, as the CLI does
 * (same numbers), and a repository too large to read whole still follows module calls downward.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import nock from 'nock';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { FakeGitHub } from '../helpers/github-fake.js';
import { nockGitHub } from '../helpers/github-nock.js';
import { TestOctokit } from '../helpers/github-octokit.js';
import { scenario } from '../helpers/github-scenario.js';
import { runPullRequest } from '../../src/app/pipeline.js';
import { runCli } from '../../src/cli/main.js';
import { loadPriceBook } from '../../src/adapters/prices.js';
import { loadRenderer } from '../../src/adapters/templates.js';
import type { Log } from '../../src/adapters/github.js';
import type { Diff } from '../../src/core/types.js';

const quiet: Log = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };
let fake: FakeGitHub;
let tmp: string;

beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'mlcost-modules-'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
beforeEach(() => {
  fake = new FakeGitHub();
  nockGitHub(fake);
});
afterEach(() => {
  nock.cleanAll();
  expect(fake.violations).toEqual([]);
});

// nock patches Node's http module for the whole worker: undo it so later test files get real loopback HTTP.
afterAll(() => {
  nock.restore();
  nock.enableNetConnect();
});

const env = (name: string, nodes: number) =>
  `provider "aws" {\n  region = "us-east-1"\n}\n\nmodule "gpu" {\n  source = "../../modules/gpu"\n  name   = "${name}"\n  nodes  = ${nodes}\n}\n`;
const gpuModule = (type: string) =>
  `variable "name" {}\nvariable "nodes" {}\n\nresource "aws_instance" "node" {\n  count         = var.nodes\n  ami           = "ami-1"\n  instance_type = "${type}"\n  tags = { Name = var.name }\n}\n`;

const base = {
  'envs/prod/main.tf': env('prod', 4),
  'envs/staging/main.tf': env('staging', 1),
  'modules/gpu/main.tf': gpuModule('g5.xlarge'),
  'apps/web/main.tf': 'provider "aws" {\n  region = "us-east-1"\n}\nresource "aws_instance" "web" {\n  ami = "a"\n  instance_type = "t3.small"\n}\n',
};
const change = { 'modules/gpu/main.tf': gpuModule('g5.2xlarge') };

function write(dir: string, files: Record<string, string>): string {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

async function run(fullScanMaxFiles?: number) {
  const s = scenario(fake, { base, head: change });
  const octokit = new TestOctokit({ auth: { token: 'ghs_testtoken' } });
  const r = await runPullRequest(octokit, s.target, { book: loadPriceBook(), renderer: loadRenderer(), log: quiet }, fullScanMaxFiles ? { fullScanMaxFiles } : {});
  return r;
}

describe('local modules', () => {
  it('a change to a shared module prices each root that calls it, with the CLI\u2019s numbers', async () => {
    const r = await run();
    const d = r.analysis?.diff as Diff;
    expect(d.projects.map((p) => p.path)).toEqual(['envs/prod', 'envs/staging']);
    expect(d.resources.map((c) => c.address)).toEqual(expect.arrayContaining(['module.gpu.aws_instance.node[0]']));
    expect(fake.comments('acme/infra', 7)[0]?.body).toContain('envs/prod');

    const b = write(join(tmp, 'base'), base);
    const h = write(join(tmp, 'head'), { ...base, ...change });
    const out: string[] = [];
    const code = await runCli(['diff', '--base', b, '--head', h, '--format', 'json'], { out: (x) => out.push(x), err: () => {}, env: {}, cwd: tmp });
    expect(code).toBe(0);
    const cli = JSON.parse(out.join('\n')) as Diff;
    const touched = cli.projects.filter((p) => p.delta !== 0);
    expect(touched.map((p) => [p.path, p.delta])).toEqual(d.projects.map((p) => [p.path, p.delta]));
    expect(cli.totalMonthlyDelta).toBe(d.totalMonthlyDelta);
  });

  it('a repository too large to read whole: the touched module is read with what it calls, and a warning says so', async () => {
    const r = await run(1);
    const d = r.analysis?.diff as Diff;
    // The callers were not read: the module is priced on its own (its variables unknown), with a warning.
    expect(d.projects.map((p) => p.path)).toEqual(['modules/gpu']);
    expect(d.head.projects[0]?.errors.some((e) => e.severity === 'warning' && /more than the 1 \(or 8 MB\) mlcost reads whole/.test(e.message))).toBe(true);
  });

  it('a root that changes follows its module calls downward when not everything is read', async () => {
    const s = scenario(fake, { repo: 'down', base, head: { 'envs/prod/main.tf': env('prod', 6) } });
    const octokit = new TestOctokit({ auth: { token: 'ghs_testtoken' } });
    const r = await runPullRequest(octokit, s.target, { book: loadPriceBook(), renderer: loadRenderer(), log: quiet }, { fullScanMaxFiles: 1 });
    const d = r.analysis?.diff as Diff;
    expect(d.projects.map((p) => p.path)).toEqual(['envs/prod']);
    expect(d.totalMonthlyDelta).toBeGreaterThan(0);
    expect(d.resources.filter((c) => c.change === 'added')).toHaveLength(2);
  });
});

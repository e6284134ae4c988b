/**
 * The GitHub App on a pull request touching 100 Terraform files in 10 modules, GitHub nock'd:
 * GitHub requests per event (the installation token exchange included on the first) and
 * in-process time from webhook receipt (signature check included) to the completed check run.
 * Octokit's throttling is off: its deliberate 1 s spacing of writes is GitHub etiquette, not work.
 * Prints one JSON line of figures.
 */
import nock from 'nock';
import { createHmac } from 'node:crypto';
import { FakeGitHub } from '../test/helpers/github-fake.js';
import { nockGitHub, testProbot } from '../test/helpers/github-nock.js';
import { pullRequestEvent } from '../test/helpers/github-payloads.js';
import { scenario } from '../test/helpers/github-scenario.js';
import { exampleResponse } from '../test/helpers/openapi.js';
import type { PipelineResult } from '../src/app/pipeline.js';

const MODULES = 10;
const FILES_PER_MODULE = 10;
const TYPES = ['m5.large', 'm6i.xlarge', 'c5.2xlarge', 'g5.xlarge', 'r5.large', 't3.medium'];

function file(m: number, f: number, bump: number): string {
  const blocks = [];
  for (let r = 0; r < 3; r++) {
    const type = TYPES[(m + f + r + bump) % TYPES.length];
    blocks.push(
      `resource "aws_instance" "vm_${f}_${r}" {\n  ami           = "ami-${m}${f}${r}"\n  instance_type = "${type}"\n  root_block_device {\n    volume_size = ${20 + r + bump}\n  }\n}\n`,
      `resource "aws_ebs_volume" "data_${f}_${r}" {\n  availability_zone = "us-east-1a"\n  size              = ${100 * (r + 1) + bump}\n  type              = "gp3"\n}\n`,
    );
  }
  return blocks.join('\n');
}

function tree(bump: number): Record<string, string> {
  const files: Record<string, string> = {};
  for (let m = 0; m < MODULES; m++) {
    files[`modules/m${m}/providers.tf`] = 'provider "aws" {\n  region = "us-east-1"\n}\n';
    for (let f = 0; f < FILES_PER_MODULE; f++) files[`modules/m${m}/f${f}.tf`] = file(m, f, bump);
  }
  return files;
}

const fake = new FakeGitHub();
fake.validate = false;
exampleResponse('check-run'); // the fake's response templates: loaded before timing
const s = scenario(fake, { base: { 'README.md': '# infra\n', ...tree(0) }, head: tree(1) });
nockGitHub(fake);

let resolveDone: (r: PipelineResult) => void = () => {};
const probot = await testProbot({ onResult: (r) => resolveDone(r) });
const secret = 'test-secret';

async function event(action: string, target: typeof s.target): Promise<{ ms: number; requests: number; result: PipelineResult }> {
  const before = fake.requests.length;
  const payload = JSON.stringify(pullRequestEvent(action, target));
  const done = new Promise<PipelineResult>((resolve) => (resolveDone = resolve));
  const t0 = performance.now();
  await probot.webhooks.verifyAndReceive({
    id: `bench-${action}`,
    name: 'pull_request',
    payload,
    signature: `sha256=${createHmac('sha256', secret).update(payload).digest('hex')}`,
  });
  const result = await done;
  return { ms: performance.now() - t0, requests: fake.requests.length - before, result };
}

const first = await event('opened', s.target);
const second = await event('synchronize', s.push({ 'modules/m0/f0.tf': file(0, 0, 2) }));
nock.cleanAll();

if (first.result.conclusion === null || fake.comments('acme/infra', 7).length !== 1) {
  throw new Error(`benchmark run failed: ${first.result.failure ?? 'no comment'}`);
}
const changed = Object.keys(tree(1)).filter((p) => /\/f\d+\.tf$/.test(p)).length;
process.stdout.write(
  `${JSON.stringify({
    name: `app: webhook to completed check run, PR touching ${changed} Terraform files in ${MODULES} modules`,
    ms: Math.round(first.ms),
    targetMs: 1500,
    requests: first.requests,
    targetRequests: 8,
    secondPushMs: Math.round(second.ms),
    secondPushRequests: second.requests,
    resources: first.result.analysis?.diff.head.projects.reduce((n, p) => n + p.resources.length, 0) ?? 0,
  })}\n`,
);

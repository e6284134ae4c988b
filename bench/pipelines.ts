/**
 * A repository of 300 generated GitHub Actions workflows (crons, event triggers, matrices from
 * lists and fromJSON, conditions, reusable workflows, self-hosted runners): loaded from disk as the
 * CLI loads it, analysed and priced. Prints one JSON line of figures.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dirReader, loadProjects } from '../src/adapters/local.js';
import { loadPriceBook } from '../src/adapters/prices.js';
import { breakdown } from '../src/core/run.js';
import { makeConfig } from '../src/policy/schema.js';

const WORKFLOWS = 300;
const CRONS = ['*/15 * * * *', '0 * * * *', '0 3 * * 1-5', '30 2 * * *', '0 0 * * 0', '*/5 9-17 * * MON-FRI'];

function workflow(i: number): string {
  const cron = CRONS[i % CRONS.length];
  const jobs: string[] = [];
  jobs.push(`  lint:\n    if: github.event_name != 'schedule'\n    runs-on: ubuntu-latest\n    timeout-minutes: 15\n    steps:\n      - uses: actions/checkout@v4\n      - run: make lint\n`);
  jobs.push(
    `  test:\n    strategy:\n      matrix:\n        os: [ubuntu-latest, windows-latest, macos-latest]\n        python: ['3.10', '3.11', '3.12']\n        exclude:\n          - os: windows-latest\n            python: '3.10'\n        include:\n          - os: ubuntu-latest\n            python: '3.13'\n            experimental: true\n    runs-on: \${{ matrix.os }}\n    steps:\n      - run: pytest\n`,
  );
  jobs.push(`  shards:\n    if: github.event.schedule == '${cron}'\n    needs: lint\n    strategy:\n      matrix:\n        shard: \${{ fromJSON('[1,2,3,4,5,6,7,8,9,10,11,12]') }}\n    runs-on: [self-hosted, gpu-a10]\n    timeout-minutes: 90\n    steps:\n      - run: make shard\n`);
  if (i % 3 === 0) jobs.push(`  call:\n    uses: ./.github/workflows/reusable.yml\n    with:\n      runner: ubuntu-latest\n`);
  return `name: wf-${i}\non:\n  push:\n    branches: [main]\n  pull_request:\n  schedule:\n    - cron: '${cron}'\n  workflow_dispatch:\njobs:\n${jobs.join('')}`;
}

const reusable = `name: reusable\non:\n  workflow_call:\n    inputs:\n      runner:\n        type: string\n        default: ubuntu-latest\njobs:\n  build:\n    runs-on: \${{ inputs.runner }}\n    strategy:\n      matrix:\n        arch: [x64, arm64]\n    steps:\n      - run: make\n`;

const dir = mkdtempSync(join(tmpdir(), 'mlcost-bench-pipelines-'));
try {
  mkdirSync(join(dir, '.github', 'workflows'), { recursive: true });
  for (let i = 0; i < WORKFLOWS; i++) writeFileSync(join(dir, '.github', 'workflows', `wf-${i}.yml`), workflow(i));
  writeFileSync(join(dir, '.github', 'workflows', 'reusable.yml'), reusable);
  const config = makeConfig({ pipelines: { region: 'us-east-1', runners: { 'gpu-a10': { instanceType: 'g5.xlarge' } } } });
  const book = await loadPriceBook();
  const t0 = performance.now();
  const projects = await loadProjects(dirReader(dir));
  const b = breakdown(projects, book, { config });
  const ms = performance.now() - t0;
  const jobs = b.projects.reduce((a, p) => a + p.resources.length, 0);
  process.stdout.write(
    `${JSON.stringify({ name: `pipelines: ${WORKFLOWS} GitHub Actions workflows (load, analyse, price)`, ms: Math.round(ms), projects: b.projects.length, jobs, monthlyCost: Math.round(b.totalMonthlyCost), targetMs: 1000 })}\n`,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}

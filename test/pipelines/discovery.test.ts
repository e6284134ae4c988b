/**
 * Pipeline files are projects of their own, found by the one discovery the CLI and the App share;
 * the App prices a schedule change and says it in the comment ("runs/month 4.35 → 730").
 */
import { describe, expect, it } from '@jest/globals';
import { candidateFiles, discoverProjects, kubernetesProjects } from '../../src/core/projects.js';
import { analyzerFor } from '../../src/analyzers/index.js';
import { useFakeApp } from '../helpers/github-nock.js';
import { pullRequestEvent } from '../helpers/github-payloads.js';
import { scenario } from '../helpers/github-scenario.js';

const argo = 'apiVersion: argoproj.io/v1alpha1\nkind: CronWorkflow\nmetadata: { name: nightly }\nspec:\n  schedule: "0 2 * * *"\n  workflowSpec:\n    entrypoint: a\n    templates:\n      - name: a\n        container: { image: a, resources: { requests: { cpu: "1", memory: 1Gi } } }\n';
const kfp = 'components: {}\ndeploymentSpec:\n  executors: {}\npipelineInfo:\n  name: p\nroot:\n  dag:\n    tasks: {}\nschemaVersion: 2.1.0\n';
const deploy = 'apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: web }\nspec:\n  template:\n    spec:\n      containers: [{ name: web, image: web }]\n';
const sagemaker = '{"Version": "2020-12-01", "Parameters": [], "Steps": [{"Name": "t", "Type": "Training", "Arguments": {}}]}';
const tf = 'resource "aws_sagemaker_pipeline" "p" {\n  pipeline_definition = file("${path.module}/definition.json")\n}\n';

describe('pipeline discovery', () => {
  const texts: Record<string, string> = {
    '.github/workflows/ci.yml': 'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps: [{ run: x }]\n',
    'k8s/argo.yaml': argo,
    'k8s/web.yaml': deploy,
    'ml/compiled.yaml': kfp,
    'ml/sagemaker/definition.json': sagemaker,
    'ml/sagemaker/main.tf': tf,
    'package.json': '{"name": "x"}',
    'data/pipeline-config.json': '{"a": 1}',
  };
  const paths = Object.keys(texts);

  it('makes each pipeline file a project, and leaves Argo and Kubeflow files out of Kubernetes projects', () => {
    expect(candidateFiles(paths)).not.toContain('package.json');
    expect(discoverProjects(paths, texts).map((p) => [p.path, p.kind, p.files])).toEqual([
      ['.github/workflows/ci.yml', 'pipeline', ['.github/workflows/ci.yml']],
      ['k8s', 'kubernetes', ['k8s/web.yaml']],
      ['k8s/argo.yaml', 'pipeline', ['k8s/argo.yaml']],
      ['ml/compiled.yaml', 'pipeline', ['ml/compiled.yaml']],
      ['ml/sagemaker', 'terraform', ['ml/sagemaker/main.tf']],
      ['ml/sagemaker/definition.json', 'pipeline', ['ml/sagemaker/definition.json', 'ml/sagemaker/main.tf']],
    ]);
    expect(kubernetesProjects(paths, texts).map((p) => p.files)).toEqual([['k8s/web.yaml']]);
  });

  it('picks the analyzer of each pipeline flavour by its file', () => {
    const ids = discoverProjects(paths, texts)
      .filter((p) => p.kind === 'pipeline')
      .map((p) => analyzerFor({ kind: p.kind, path: p.path, files: Object.fromEntries(p.files.map((f) => [f, texts[f]!])) })?.id);
    expect(ids).toEqual(['github-actions', 'argo', 'kubeflow', 'sagemaker-pipeline']);
    // Terraform and Kubernetes projects keep their analyzers.
    expect(analyzerFor({ kind: 'terraform', path: 'ml/sagemaker', files: {} })?.id).toBe('terraform');
    expect(analyzerFor({ kind: 'kubernetes', path: 'k8s', files: {} })?.id).toBe('kubernetes');
  });
});

describe('pipelines in the App', () => {
  const app = useFakeApp();

  const workflow = (cron: string) => `name: retrain\non:\n  schedule:\n    - cron: '${cron}'\njobs:\n  train:\n    runs-on: gpu\n    timeout-minutes: 30\n    steps:\n      - run: python train.py\n`;
  const config = 'pipelines:\n  runners:\n    gpu: { githubRunner: linux-4-core-gpu }\n';

  it('prices a retraining cron moved from weekly to hourly and shows runs/month in the comment', async () => {
    const s = scenario(app.fake, {
      base: { '.mlcost.yml': config, '.github/workflows/retrain.yml': workflow('0 3 * * 1') },
      head: { '.github/workflows/retrain.yml': workflow('0 * * * *') },
    });
    await app.probot.receive({ id: 'd1', name: 'pull_request', payload: pullRequestEvent('opened', s.target) as never });
    const analysis = app.results[0]!.analysis!;
    expect(analysis.diff.head.projects.map((p) => [p.path, p.kind])).toEqual([['.github/workflows/retrain.yml', 'pipeline']]);
    const change = analysis.diff.resources[0]!;
    expect(change.address).toBe('github_actions_job.retrain["train"]');
    // 730 - 4.345238 runs x 10 minutes (assumed) x $0.052 (Linux 4-core GPU).
    expect(change.delta).toBeCloseTo((730 - 365 / 7 / 12) * 10 * 0.052, 4);
    const body = app.fake.comments('acme/infra', 7)[0]!.body;
    expect(body).toContain('runs/month 4.35 → 730');
    expect(body).toContain('$0.52 per run');
  });
});

/** An Argo Workflow template inside a Helm chart is the chart's, not a pipeline read from unrendered text. */
import { describe, expect, it } from '@jest/globals';
import { discoverProjects } from '../../src/core/projects.js';

describe('pipelines inside Helm charts', () => {
  it('leaves a chart template to the Helm analysis', () => {
    const workflow = 'apiVersion: argoproj.io/v1alpha1\nkind: Workflow\nmetadata:\n  name: {{ .Release.Name }}-train\nspec:\n  entrypoint: main\n  templates:\n    - name: main\n      container:\n        image: trainer\n';
    const texts: Record<string, string> = {
      'charts/ml/Chart.yaml': 'apiVersion: v2\nname: ml\nversion: 1.0.0\n',
      'charts/ml/values.yaml': 'replicas: 1\n',
      'charts/ml/templates/workflow.yaml': workflow,
      'pipelines/train.yaml': workflow.replace('{{ .Release.Name }}-train', 'train'),
    };
    const projects = discoverProjects(Object.keys(texts), texts);
    expect(projects.map((p) => [p.path, p.kind])).toEqual([
      ['charts/ml', 'helm'],
      ['pipelines/train.yaml', 'pipeline'],
    ]);
  });
});

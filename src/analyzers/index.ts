/** Registry of analyzers, sorted by id. */
import type { ProjectFiles } from '../core/types.js';
import type { Analyzer } from './types.js';
import { argo } from './argo.js';
import { githubActions } from './github-actions/index.js';
import { helm } from './helm/index.js';
import { kubeflow } from './kubeflow.js';
import { kubernetes } from './kubernetes/index.js';
import { sagemakerPipeline } from './sagemaker-pipeline.js';
import { terraform } from './terraform/index.js';

export const analyzers: readonly Analyzer[] = [argo, githubActions, helm, kubeflow, kubernetes, sagemakerPipeline, terraform];

/**
 * The analyzer of a project: the one of its kind that accepts it (pipeline kinds have one analyzer
 * per flavour, told apart by the pipeline file); a kind name alone picks the first of that kind.
 */
export function analyzerFor(project: Pick<ProjectFiles, 'kind' | 'path' | 'files'> | string): Analyzer | undefined {
  if (typeof project === 'string') return analyzers.find((a) => a.kind === project);
  return analyzers.find((a) => a.kind === project.kind && (a.accepts?.(project as ProjectFiles) ?? true));
}

export type { Analyzer, AnalyzeOptions } from './types.js';

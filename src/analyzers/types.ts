import type { AnalysisResult, ProjectFiles, ProjectKind } from '../core/types.js';
import type { TerraformOptions } from './terraform/module.js';
import type { KubernetesOptions } from './kubernetes/manifests.js';

export interface AnalyzeOptions {
  terraform?: TerraformOptions;
  kubernetes?: KubernetesOptions;
}

/** Text in, data out: an analyzer never reads files or the network itself. */
export interface Analyzer {
  /** Registry id, equal to the file or folder name. */
  id: string;
  kind: ProjectKind;
  /** Whether a changed repository path belongs to a project of this kind. */
  matches(path: string): boolean;
  analyze(project: ProjectFiles, options?: AnalyzeOptions): AnalysisResult;
}

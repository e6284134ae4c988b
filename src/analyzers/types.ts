import type { AnalysisResult, ProjectFiles, ProjectKind } from '../core/types.js';
import type { TerraformOptions } from './terraform/module.js';
import type { KubernetesOptions } from './kubernetes/manifests.js';
import type { HelmOptions } from './helm/index.js';
import type { PipelinesConfig } from '../policy/schema.js';

export interface AnalyzeOptions {
  terraform?: TerraformOptions;
  kubernetes?: KubernetesOptions;
  /** The `helm:` section of `.mlcost.yml`. */
  helm?: HelmOptions;
  /** Pipeline analyzers: the `pipelines:` section of `.mlcost.yml`. */
  pipelines?: { config?: PipelinesConfig };
}

/** Text in, data out: an analyzer never reads files or the network itself. */
export interface Analyzer {
  /** Registry id, equal to the file or folder name. */
  id: string;
  kind: ProjectKind;
  /** Whether a changed repository path belongs to a project of this kind. */
  matches(path: string): boolean;
  /**
   * Whether this analyzer reads a project of its kind, when several analyzers share a kind (the
   * pipeline flavours); absent: every project of the kind.
   */
  accepts?(project: ProjectFiles): boolean;
  analyze(project: ProjectFiles, options?: AnalyzeOptions): AnalysisResult;
}

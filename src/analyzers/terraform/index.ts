/**
 * Terraform analyzer: a root module's `.tf` and tfvars files, plus the local modules it calls ->
 * evaluated resources with their file, line and region. Nothing is downloaded or run.
 */
import type { AnalysisResult, ProjectFiles } from '../../core/types.js';
import type { AnalyzeOptions, Analyzer } from '../types.js';
import { analyzeModule } from './module.js';

export const terraform = {
  id: 'terraform',
  kind: 'terraform',
  matches: (path: string) => /\.tf$|\.tfvars(\.json)?$/.test(path),
  analyze(project: ProjectFiles, options: AnalyzeOptions = {}): AnalysisResult {
    return analyzeModule(project.files, { ...options.terraform, rootDir: project.path });
  },
} satisfies Analyzer;

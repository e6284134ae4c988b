/**
 * Kubernetes analyzer: a directory of manifest files (multi-document YAML) -> workloads, volumes and
 * load balancers as resources with file and line. Documents that are not Kubernetes objects (no
 * apiVersion/kind) are skipped quietly; malformed YAML is reported with its line and the other
 * documents are still read. Nothing is applied or run.
 */
import { isNode, LineCounter, parseAllDocuments } from 'yaml';
import type { AnalysisError, AnalysisResult, ProjectFiles } from '../../core/types.js';
import type { AnalyzeOptions, Analyzer } from '../types.js';
import type { ManifestDoc } from './manifests.js';
import { resourcesFromManifests } from './manifests.js';
import { ignoresAbove, linesOf } from '../ignores.js';

export { resourcesFromManifests } from './manifests.js';
export type { KubernetesOptions, ManifestDoc } from './manifests.js';

const YAML_FILE = /\.ya?ml$/i;

function firstLine(message: string): string {
  const cut = message.search(/ at line \d+, column \d+/);
  return (cut >= 0 ? message.slice(0, cut) : (message.split('\n')[0] ?? message)).trim();
}

/** The documents of one YAML file, with their lines; syntax errors go to `errors`. */
export function manifestDocs(file: string, text: string, errors: AnalysisError[]): ManifestDoc[] {
  if (text.includes('\u0000')) {
    errors.push({ file, line: 1, message: 'binary file; not read as YAML' });
    return [];
  }
  const lineCounter = new LineCounter();
  const parsed = parseAllDocuments(text, { lineCounter, prettyErrors: false });
  const docs = Array.isArray(parsed) ? parsed : [];
  const out: ManifestDoc[] = [];
  let lines: string[] | undefined;
  for (const doc of docs) {
    if (doc.errors.length) {
      for (const e of doc.errors.slice(0, 3)) {
        const pos = lineCounter.linePos(e.pos[0]);
        errors.push({ file, line: pos.line, column: pos.col, message: `YAML syntax error: ${firstLine(e.message)}; this document is skipped` });
      }
      continue;
    }
    let manifest: unknown;
    try {
      // The default alias limit keeps a "billion laughs" document from exploding.
      manifest = doc.toJS();
    } catch (e) {
      const start = doc.contents?.range[0] ?? 0;
      errors.push({ file, line: lineCounter.linePos(start).line, message: `YAML error: ${(e as Error).message}; this document is skipped` });
      continue;
    }
    const start = doc.contents?.range[0];
    const line = start === undefined ? 1 : lineCounter.linePos(start).line;
    const locate = (path: (string | number)[]) => {
      const node = doc.getIn(path, true);
      return isNode(node) && node.range ? lineCounter.linePos(node.range[0]).line : undefined;
    };
    // `# mlcost:ignore` right above the document or its `kind:` (src/analyzers/ignores.ts).
    lines ??= linesOf(text);
    const kindLine = locate(['kind']);
    const ignores = [...ignoresAbove(lines, line, file), ...(kindLine !== undefined && kindLine !== line ? ignoresAbove(lines, kindLine, file) : [])];
    out.push({ file, line, manifest, locate, ...(ignores.length ? { ignores } : {}) });
  }
  return out;
}

export const kubernetes = {
  id: 'kubernetes',
  kind: 'kubernetes',
  matches: (path: string) => YAML_FILE.test(path),
  analyze(project: ProjectFiles, options: AnalyzeOptions = {}): AnalysisResult {
    const errors: AnalysisError[] = [];
    const docs: ManifestDoc[] = [];
    for (const file of Object.keys(project.files).sort()) {
      if (!YAML_FILE.test(file)) continue;
      docs.push(...manifestDocs(file, project.files[file] as string, errors));
    }
    const result = resourcesFromManifests(docs, options.kubernetes);
    return { ...result, errors: [...errors, ...result.errors] };
  },
} satisfies Analyzer;

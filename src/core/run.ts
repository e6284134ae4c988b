/**
 * The pipeline over plain data: projects -> analyzers -> pricers -> breakdown; base and head
 * breakdowns -> diff -> policy. Used unchanged by the CLI, the GitHub App and the Action.
 */
import type { PriceBook } from './ports.js';
import type { AnalysisError, Breakdown, Diff, PricePoint, PricedResource, ProjectBreakdown, ProjectFiles, Unsupported } from './types.js';
import { analyzerFor } from '../analyzers/index.js';
import type { AnalyzeOptions } from '../analyzers/index.js';
import { freeReason, pricerFor } from '../pricing/index.js';
import { priceResource, roundMoney } from '../pricing/cost.js';
import { withTeamRates } from '../pricing/effective.js';
import { diffBreakdowns } from './diff.js';
import type { MlcostConfig } from '../policy/schema.js';
import { usageFor } from '../policy/usage.js';
import { conclusionOf, evaluateThresholds } from '../policy/thresholds.js';

export interface RunOptions {
  analyze?: AnalyzeOptions;
  config?: MlcostConfig;
}

function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

export function breakdownProject(project: ProjectFiles, book: PriceBook, options: RunOptions, onPrice: (p: PricePoint) => void): ProjectBreakdown {
  const errors: AnalysisError[] = [];
  const resources: PricedResource[] = [];
  const unsupported: Unsupported[] = [];
  const analyzer = analyzerFor(project.kind);
  for (const s of project.skipped ?? []) errors.push({ file: s.file, line: 1, message: s.reason, severity: 'error' });
  const done = () => {
    const unsupportedCounts: Record<string, number> = {};
    for (const u of unsupported) unsupportedCounts[u.type] = (unsupportedCounts[u.type] ?? 0) + 1;
    const total = resources.reduce((a, r) => a + (r.monthlyCost ?? 0), 0);
    return { name: project.name, path: project.path, kind: project.kind, totalMonthlyCost: roundMoney(total), resources, unsupported, errors, unsupportedCounts };
  };
  if (!analyzer) {
    errors.push({ file: project.path, line: 1, message: `no analyzer for ${project.kind} projects yet` });
    return done();
  }
  let result;
  try {
    const moduleSources = options.config?.terraform?.modules;
    const k8s = options.config?.kubernetes;
    let analyze = moduleSources ? { ...options.analyze, terraform: { ...options.analyze?.terraform, moduleSources } } : options.analyze;
    if (k8s) analyze = { ...analyze, kubernetes: { ...analyze?.kubernetes, config: k8s } };
    result = analyzer.analyze(project, analyze);
  } catch (e) {
    // A bug in one analyzer must not hide the other projects of the pull request.
    errors.push({ file: project.path, line: 1, message: `internal error while analysing: ${errorMessage(e)}` });
    return done();
  }
  errors.push(...result.errors);
  for (const n of result.notAnalysed ?? []) unsupported.push(n);
  const usage = (address: string, type: string) => usageFor(options.config, address, type).values;
  for (const r of result.resources) {
    const pricer = pricerFor(r.type);
    if (!pricer) {
      if (!freeReason(r.type)) unsupported.push({ address: r.address, type: r.type, reason: `mlcost does not price ${r.type} yet` });
      continue;
    }
    try {
      resources.push(priceResource(r, pricer, { book, usageFor: usage, onPriceUsed: onPrice, resources: result.resources }));
    } catch (e) {
      errors.push({ file: r.file, line: r.line, message: `internal error while pricing ${r.address}: ${errorMessage(e)}` });
    }
  }
  return done();
}

export function breakdown(projects: ProjectFiles[], listBook: PriceBook, options: RunOptions = {}): Breakdown {
  // The team's rates (`.mlcost.yml` pricing:) apply here, once, for every entry point.
  const book = withTeamRates(listBook, options.config?.pricing);
  let oldest: string | undefined;
  const onPrice = (p: PricePoint) => {
    if (!oldest || p.sourceDate < oldest) oldest = p.sourceDate;
  };
  const out = projects.map((p) => breakdownProject(p, book, options, onPrice));
  return {
    version: 1,
    currency: 'USD',
    prices: { ...book.meta, ...(oldest ? { oldestPriceDate: oldest } : {}) },
    totalMonthlyCost: roundMoney(out.reduce((a, p) => a + p.totalMonthlyCost, 0)),
    projects: out,
  };
}

export function diff(base: Breakdown, head: Breakdown, config?: MlcostConfig, configFile?: string): Diff {
  const d = diffBreakdowns(base, head);
  const findings = evaluateThresholds(d, config, configFile ? { configFile } : undefined);
  return { ...d, policy: { conclusion: conclusionOf(findings), findings } };
}

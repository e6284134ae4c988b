/**
 * The pipeline over plain data: projects -> analyzers -> pricers -> breakdown; base and head
 * breakdowns -> diff -> policy. Used unchanged by the CLI, the GitHub App and the Action.
 */
import type { PriceBook } from './ports.js';
import type { AnalysisError, Breakdown, Diff, PricePoint, PricedResource, ProjectBreakdown, ProjectFiles, Resource, Unsupported } from './types.js';
import { analyzerFor } from '../analyzers/index.js';
import type { AnalyzeOptions } from '../analyzers/index.js';
import { freeReason, pricerFor } from '../pricing/index.js';
import { priceResource, roundMoney } from '../pricing/cost.js';
import { withTeamRates } from '../pricing/effective.js';
import { diffBreakdowns } from './diff.js';
import type { MlcostConfig } from '../policy/schema.js';
import { usageFor } from '../policy/usage.js';
import { conclusionOf, evaluateThresholds } from '../policy/thresholds.js';
import { evaluateBudgets } from '../policy/budgets.js';
import { evaluateGuardrails } from '../policy/guardrails.js';

export interface RunOptions {
  analyze?: AnalyzeOptions;
  config?: MlcostConfig;
}

function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/**
 * What the analyzers read for each project, and the (team-rated) price book it was priced with,
 * kept beside the breakdown and out of its JSON. Keyed by the project's `resources` array, which
 * survives copies of the project object (`{ ...project, errors }`).
 */
const analysed = new WeakMap<PricedResource[], { resources: Resource[]; book: PriceBook }>();

/** The resources the analyzer read for a project of a breakdown made here; [] for one read from JSON. */
export function analysedResources(project: ProjectBreakdown): Resource[] {
  return analysed.get(project.resources)?.resources ?? [];
}

/** The price book a project was priced with (team rates applied); undefined for one read from JSON. */
export function projectBook(project: ProjectBreakdown): PriceBook | undefined {
  return analysed.get(project.resources)?.book;
}

export function breakdownProject(project: ProjectFiles, book: PriceBook, options: RunOptions, onPrice: (p: PricePoint) => void): ProjectBreakdown {
  const errors: AnalysisError[] = [];
  const resources: PricedResource[] = [];
  const unsupported: Unsupported[] = [];
  analysed.set(resources, { resources: [], book });
  const analyzer = analyzerFor(project);
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
    if (options.config?.helm) analyze = { ...analyze, helm: { ...analyze?.helm, config: options.config.helm } };
    if (project.kind === 'pipeline') analyze = { ...analyze, pipelines: { ...analyze?.pipelines, config: options.config?.pipelines } };
    result = analyzer.analyze(project, analyze);
  } catch (e) {
    // A bug in one analyzer must not hide the other projects of the pull request.
    errors.push({ file: project.path, line: 1, message: `internal error while analysing: ${errorMessage(e)}` });
    return done();
  }
  errors.push(...result.errors);
  analysed.set(resources, { resources: result.resources, book });
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

/**
 * Compares two breakdowns and judges the change: the thresholds, the budgets and the guardrails of
 * `config` (the guardrails' defaults when there is none). Guardrails read the analysed resources
 * kept by `breakdown()`; breakdowns read from JSON get thresholds and budgets only.
 */
export function diff(base: Breakdown, head: Breakdown, config?: MlcostConfig, configFile?: string): Diff {
  const d = diffBreakdowns(base, head);
  const options = configFile ? { configFile } : undefined;
  const guardrails = evaluateGuardrails({ base, head, diff: d, config, configFile, resources: analysedResources, book: projectBook });
  const findings = [...evaluateThresholds(d, config, options), ...evaluateBudgets(d, config, options), ...guardrails.findings];
  return { ...d, policy: { conclusion: conclusionOf(findings), findings, ...(guardrails.ignored.length ? { ignored: guardrails.ignored } : {}) } };
}

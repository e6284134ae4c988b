/**
 * Monthly budgets of `.mlcost.yml` (`budgets:`): the projects whose directory matches a budget's
 * globs are summed at base and head, and a change that takes the sum over the budget (or, already
 * over it, raises it further) is a finding. Only an increase can breach, as with thresholds.
 *
 * The sum covers the projects priced for this change: every project under the paths for
 * `mlcost diff` of two trees; in the App and the Action, the projects the pull request touches.
 */
import type { Breakdown, Finding, ProjectDelta } from '../core/types.js';
import { matchesAnyGlob } from './glob.js';
import { CONFIG_FILE } from './schema.js';
import type { MlcostConfig } from './schema.js';
import { money } from './facts.js';

export const BUDGET_RULE = 'budget';

export interface BudgetInput {
  projects: ProjectDelta[];
  head: Breakdown;
}

function cents(n: number): number {
  return Math.round(n * 100) / 100;
}

function percent(n: number): string {
  return `${new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 }).format(n)}%`;
}

export function evaluateBudgets(input: BudgetInput, config: MlcostConfig | undefined, options: { configFile?: string } = {}): Finding[] {
  const budgets = config?.budgets ?? [];
  const file = options.configFile ?? CONFIG_FILE;
  const out: Finding[] = [];
  budgets.forEach((b, i) => {
    const matched = input.projects.filter((p) => matchesAnyGlob(b.paths, [p.path, p.name]));
    if (matched.length === 0) return;
    const base = cents(matched.reduce((a, p) => a + p.baseMonthlyCost, 0));
    const head = cents(matched.reduce((a, p) => a + p.headMonthlyCost, 0));
    if (head <= base) return;
    const label = b.name ? `Budget "${b.name}"` : `The budget for ${b.paths.map((g) => `\`${g}\``).join(', ')}`;
    const where = `${file} (budgets[${i}])`;
    const paths = new Set(matched.map((p) => p.path));
    const unknown = input.head.projects.some((p) => paths.has(p.path) && p.resources.some((r) => r.monthlyCost === null));
    const plus = unknown ? ' plus costs mlcost could not price' : '';
    const scope = `${matched.length} project${matched.length === 1 ? '' : 's'} priced for this change`;
    const finding = (severity: Finding['severity'], message: string): Finding => ({ rule: BUDGET_RULE, severity, message, file: null, line: null, address: null, monthlySavings: null });
    if (head > b.monthly) {
      const message =
        base <= b.monthly
          ? `${label} (${money(b.monthly)} / month, ${where}) is crossed by this change: ${money(base)} → ${money(head)}${plus} (${percent((head / b.monthly) * 100)} of the budget; ${scope})`
          : `${label} (${money(b.monthly)} / month, ${where}) was already exceeded (${money(base)}) and this change raises it to ${money(head)}${plus} (${scope})`;
      out.push(finding(b.severity, message));
      return;
    }
    if (b.warnAtPercent !== undefined) {
      const mark = cents((b.monthly * b.warnAtPercent) / 100);
      if (head > mark && base <= mark) {
        out.push(
          finding(
            'warning',
            `${label} (${money(b.monthly)} / month, ${where}): this change takes the cost to ${money(head)}${plus}, ${percent((head / b.monthly) * 100)} of the budget (warning at ${percent(b.warnAtPercent)}; ${scope})`,
          ),
        );
      }
    }
  });
  return out;
}

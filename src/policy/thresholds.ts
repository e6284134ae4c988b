/**
 * Cost thresholds of `.mlcost.yml` (`thresholds:`): findings for the pull request as a whole, and
 * how findings decide the check's conclusion.
 */
import type { Conclusion, Finding, Severity } from '../core/types.js';
import { CONFIG_FILE } from './schema.js';
import type { MlcostConfig } from './schema.js';

export interface ThresholdInput {
  baseMonthlyCost: number;
  headMonthlyCost: number;
  totalMonthlyDelta: number;
}

export interface ThresholdOptions {
  /** Config file named in messages; `.mlcost.yml` unless given (`--config other.yml`). */
  configFile?: string;
}

const usd = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' });
const pct = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });

function money(n: number): string {
  return usd.format(n);
}

/** Rounds to cents so that sums of floats just above a limit (500.0000001) do not breach it. */
function cents(n: number): number {
  return Math.round(n * 100) / 100;
}

function finding(rule: string, severity: Severity, message: string): Finding {
  return { rule, severity, message, file: null, line: null, address: null, monthlySavings: null };
}

/**
 * Findings for the thresholds that the change breaches. Only an increase can breach: being at a
 * limit is not a breach, and a change that lowers (or keeps) the cost never fails, even when the
 * total is still above `maxMonthlyTotal`.
 */
export function evaluateThresholds(
  input: ThresholdInput,
  config: MlcostConfig | undefined,
  options: ThresholdOptions = {},
): Finding[] {
  const thresholds = config?.thresholds;
  if (!thresholds) return [];
  const file = options.configFile ?? CONFIG_FILE;
  const delta = cents(input.totalMonthlyDelta);
  const base = cents(input.baseMonthlyCost);
  const head = cents(input.headMonthlyCost);
  const findings: Finding[] = [];
  if (delta <= 0) return findings;

  const increase = thresholds.maxMonthlyIncrease;
  if (increase && delta > increase.amount) {
    findings.push(
      finding(
        'max-monthly-increase',
        increase.severity,
        `Monthly cost rises by ${money(delta)}, over the limit of ${money(increase.amount)} ` +
          `set in ${file} (thresholds.maxMonthlyIncrease)`,
      ),
    );
  }

  const percent = thresholds.maxMonthlyIncreasePercent;
  if (percent) {
    if (base <= 0) {
      findings.push(
        finding(
          'max-monthly-increase-percent',
          percent.severity,
          `Monthly cost rises by ${money(delta)} from $0 (an unbounded percentage), over the limit of ` +
            `${pct.format(percent.percent)}% set in ${file} (thresholds.maxMonthlyIncreasePercent)`,
        ),
      );
    } else {
      const rise = (delta / base) * 100;
      // Tolerance for float noise: 25% of $400 is exactly at the limit.
      if (rise > percent.percent + 1e-9) {
        findings.push(
          finding(
            'max-monthly-increase-percent',
            percent.severity,
            `Monthly cost rises by ${pct.format(rise)}% (${money(delta)} on ${money(base)}), over the limit of ` +
              `${pct.format(percent.percent)}% set in ${file} (thresholds.maxMonthlyIncreasePercent)`,
          ),
        );
      }
    }
  }

  const total = thresholds.maxMonthlyTotal;
  if (total && head > total.amount) {
    findings.push(
      finding(
        'max-monthly-total',
        total.severity,
        `Monthly cost after this change is ${money(head)} (up ${money(delta)}), over the limit of ` +
          `${money(total.amount)} set in ${file} (thresholds.maxMonthlyTotal)`,
      ),
    );
  }
  return findings;
}

/** Any error fails the check; warnings alone make it neutral; info findings never change it. */
export function conclusionOf(findings: readonly Finding[]): Conclusion {
  if (findings.some((f) => f.severity === 'error')) return 'failure';
  if (findings.some((f) => f.severity === 'warning')) return 'neutral';
  return 'success';
}

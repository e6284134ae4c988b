/** CronJob schedules -> runs in a 730-hour month (a twelfth of a 365-day year). */
import { describe, expect, it } from '@jest/globals';
import { runsPerMonth } from '../../src/analyzers/kubernetes/cron.js';

function runs(schedule: string): number {
  const r = runsPerMonth(schedule);
  if (!r.ok) throw new Error(r.reason);
  return r.runsPerMonth;
}

describe('runsPerMonth', () => {
  it.each([
    ['* * * * *', 730 * 60],
    ['0 * * * *', 730],
    ['@hourly', 730],
    ['*/15 * * * *', 730 * 4],
    ['0 */6 * * *', (365 * 4) / 12],
    ['30 2 * * *', 365 / 12],
    ['@daily', 365 / 12],
    ['0 0 * * 0', 365 / 7 / 12],
    ['@weekly', 365 / 7 / 12],
    ['0 0 * * 7', 365 / 7 / 12],
    ['0 9 * * MON-FRI', (365 * 5) / 7 / 12],
    ['*/15 9-17 * * 1-5', (36 * 365 * 5) / 7 / 12],
    ['0 0 1 * *', 1],
    ['@monthly', 1],
    ['0 0 1,15 * *', 2],
    ['0 0 1 1 *', 1 / 12],
    ['@yearly', 1 / 12],
    ['0 0 1 JAN,JUL *', 2 / 12],
    ['0 0 31 * *', 7 / 12],
    ['5/20 * * * *', 730 * 3],
    ['CRON_TZ=Europe/Paris 0 6 * * *', 365 / 12],
    ['@every 2h', 365],
    ['@every 1h30m', 730 / 1.5],
  ])('%s', (schedule, expected) => {
    expect(runs(schedule)).toBeCloseTo(expected, 6);
  });

  it('matches a day when either the day of month or the day of week matches, when both are set', () => {
    // 1st of the month (12 a year) or any Monday (365/7 a year), minus the Mondays that are a 1st.
    const both = runs('0 0 1 * 1');
    expect(both).toBeGreaterThan(365 / 7 / 12);
    expect(both).toBeLessThan(365 / 7 / 12 + 1);
  });

  it('counts a schedule that only matches February 29 over the leap-year cycle', () => {
    expect(runs('0 0 29 2 *')).toBeCloseTo(97 / 400 / 12, 9);
  });

  it.each([
    ['61 * * * *', /minute 61 is out of range/],
    ['0 0 * *', /expected 5 fields/],
    ['@reboot', /not a schedule mlcost can count/],
    ['0 0 L * *', /not a valid day of month/],
    ['*/0 * * * *', /not a positive number/],
    ['0 5-2 * * *', /runs backwards/],
  ])('explains why it cannot count %s', (schedule, why) => {
    const r = runsPerMonth(schedule);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toMatch(why);
  });
});

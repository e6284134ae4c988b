/**
 * mlcost's cron reading against a widely used cron library (cron-parser): the same schedules
 * expand to the same minutes, hours, days and months, and a year of runs counts the same.
 */
import { describe, expect, it } from '@jest/globals';
import { CronExpressionParser } from 'cron-parser';
import { countSchedules, expandSchedule } from '../../src/analyzers/kubernetes/cron.js';

const schedules = [
  '0 3 * * 1', '*/15 * * * *', '30 2 * * *', '0 */6 * * *', '0 9-17 * * MON-FRI', '15,45 8,20 1,15 * *',
  '0 0 1 */3 *', '5 4 * * SUN', '0 0 * * 0,6', '10-40/10 1 * JAN,JUL *', '0 12 * * 7', '0 22 * * 1-5',
];

function libraryFields(s: string) {
  const f = CronExpressionParser.parse(s, { tz: 'UTC' }).fields;
  const norm = (v: readonly (number | string)[]) => [...new Set(v.map((x) => (x === 'L' ? 31 : Number(x))))].sort((a, b) => a - b);
  return {
    minute: norm(f.minute.values),
    hour: norm(f.hour.values),
    dayOfMonth: norm(f.dayOfMonth.values),
    month: norm(f.month.values),
    dayOfWeek: norm(f.dayOfWeek.values.map((d) => (d === 7 ? 0 : d))),
  };
}

function libraryRunsIn2026(s: string): number {
  const it = CronExpressionParser.parse(s, { tz: 'UTC', currentDate: new Date('2025-12-31T23:59:59Z'), endDate: new Date('2026-12-31T23:59:59Z') });
  let n = 0;
  while (it.hasNext()) {
    it.next();
    n++;
  }
  return n;
}

describe('cron schedules, against cron-parser', () => {
  it.each(schedules)('%s expands to the same field values', (s) => {
    expect(expandSchedule(s)).toEqual(libraryFields(s));
  });

  it.each(schedules)('%s: runs in a year agree (weekday schedules within one week of runs)', (s) => {
    const count = countSchedules([s], { dialect: 'github' });
    if (!count.ok) throw new Error(count.reason);
    const ours = count.runsPerMonth * 12;
    const theirs = libraryRunsIn2026(s);
    // mlcost averages a 365-day year over the weekday it starts on; 2026 starts on a Thursday.
    const weekly = /\s\S+$/.test(s) && !/\*$/.test(s) ? theirs / 52 : 0;
    expect(Math.abs(ours - theirs)).toBeLessThanOrEqual(weekly + 1e-6);
  });
});

/**
 * Averages of EC2 spot price history (DescribeSpotPriceHistory records). Pure.
 *
 * A record is a price change: it holds from its timestamp until the next record of the same
 * instance type in the same availability zone. Each zone's average is weighted by time over the
 * window (the part of the window before a zone's first record is not counted: its price then is
 * unknown); the price of an instance type in a region is the mean of its zones' averages, since a
 * node group spreads its instances over the zones.
 */

export interface SpotRecord {
  instanceType: string;
  zone: string;
  /** USD per hour. */
  usd: number;
  /** Milliseconds since the epoch. */
  at: number;
}

export interface SpotAverage {
  /** USD per hour, rounded to 1e-6. */
  usd: number;
  /** Availability zones averaged. */
  zones: number;
  records: number;
}

export function averageSpotPrices(records: readonly SpotRecord[], startMs: number, endMs: number): Map<string, SpotAverage> {
  const byType = new Map<string, Map<string, SpotRecord[]>>();
  for (const r of records) {
    if (!Number.isFinite(r.usd) || r.usd < 0 || !Number.isFinite(r.at) || r.at > endMs) continue;
    let zones = byType.get(r.instanceType);
    if (!zones) byType.set(r.instanceType, (zones = new Map()));
    const list = zones.get(r.zone) ?? [];
    list.push(r);
    zones.set(r.zone, list);
  }
  const out = new Map<string, SpotAverage>();
  for (const [type, zones] of [...byType].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const averages: number[] = [];
    let count = 0;
    for (const list of zones.values()) {
      list.sort((a, b) => a.at - b.at);
      let weighted = 0;
      let span = 0;
      list.forEach((r, i) => {
        const from = Math.max(r.at, startMs);
        const to = Math.min(list[i + 1]?.at ?? endMs, endMs);
        if (to > from) {
          weighted += r.usd * (to - from);
          span += to - from;
        }
      });
      if (span > 0) {
        averages.push(weighted / span);
        count += list.length;
      }
    }
    if (averages.length === 0) continue;
    const mean = averages.reduce((a, b) => a + b, 0) / averages.length;
    out.set(type, { usd: Math.round(mean * 1e6) / 1e6, zones: averages.length, records: count });
  }
  return out;
}

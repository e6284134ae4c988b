/**
 * Pairs base and head breakdowns by project and address: what was added, removed or changed,
 * with per-component deltas. Unknown costs stay unknown (null), never 0.
 */
import type {
  Breakdown,
  ComponentChange,
  CostComponent,
  PolicyResult,
  PricedResource,
  ProjectBreakdown,
  ProjectDelta,
  ResourceChange,
} from './types.js';
import { roundMoney } from '../pricing/cost.js';

function flatComponents(r: PricedResource, prefix = ''): Map<string, CostComponent> {
  const out = new Map<string, CostComponent>();
  for (const c of r.costComponents) out.set(prefix + c.name, c);
  for (const s of r.subresources) for (const [k, v] of flatComponents(s, `${s.address.slice(r.address.length + 1)}: `)) out.set(k, v);
  return out;
}

function sub(a: number | null, b: number | null): number | null {
  return a === null || b === null ? null : roundMoney(a - b);
}

function componentChanges(base: PricedResource | undefined, head: PricedResource | undefined): ComponentChange[] {
  const b = base ? flatComponents(base) : new Map<string, CostComponent>();
  const h = head ? flatComponents(head) : new Map<string, CostComponent>();
  const names = [...new Set([...b.keys(), ...h.keys()])];
  const out: ComponentChange[] = [];
  for (const name of names) {
    const bc = b.get(name);
    const hc = h.get(name);
    const baseCost = bc ? bc.monthlyCost : 0;
    const headCost = hc ? hc.monthlyCost : 0;
    if (bc && hc && bc.monthlyCost === hc.monthlyCost && bc.monthlyQuantity === hc.monthlyQuantity && bc.unitPrice === hc.unitPrice) continue;
    out.push({ name, baseMonthlyCost: bc ? baseCost : null, headMonthlyCost: hc ? headCost : null, delta: sub(headCost, baseCost) });
  }
  return out;
}

function sameResource(a: PricedResource, b: PricedResource): boolean {
  return JSON.stringify([a.costComponents, a.subresources, a.unpriced]) === JSON.stringify([b.costComponents, b.subresources, b.unpriced]);
}

function byKey(projects: ProjectBreakdown[]): Map<string, ProjectBreakdown> {
  return new Map(projects.map((p) => [p.path, p]));
}

export function diffBreakdowns(base: Breakdown, head: Breakdown, policy: PolicyResult = { conclusion: 'success', findings: [] }) {
  const baseProjects = byKey(base.projects);
  const headProjects = byKey(head.projects);
  const paths = [...new Set([...baseProjects.keys(), ...headProjects.keys()])].sort();
  const projects: ProjectDelta[] = [];
  const resources: ResourceChange[] = [];
  for (const path of paths) {
    const bp = baseProjects.get(path);
    const hp = headProjects.get(path);
    const p = (hp ?? bp) as ProjectBreakdown;
    const baseCost = bp?.totalMonthlyCost ?? 0;
    const headCost = hp?.totalMonthlyCost ?? 0;
    projects.push({ name: p.name, path, kind: p.kind, baseMonthlyCost: baseCost, headMonthlyCost: headCost, delta: roundMoney(headCost - baseCost) });
    const br = new Map((bp?.resources ?? []).map((r) => [r.address, r]));
    const hr = new Map((hp?.resources ?? []).map((r) => [r.address, r]));
    for (const address of new Set([...br.keys(), ...hr.keys()])) {
      const b = br.get(address);
      const h = hr.get(address);
      if (b && h && sameResource(b, h)) continue;
      const r = (h ?? b) as PricedResource;
      const baseMonthlyCost = b ? b.monthlyCost : null;
      const headMonthlyCost = h ? h.monthlyCost : null;
      const delta = !b ? headMonthlyCost : !h ? (baseMonthlyCost === null ? null : -baseMonthlyCost) : sub(headMonthlyCost, baseMonthlyCost);
      resources.push({
        address,
        project: p.name,
        type: r.type,
        change: !b ? 'added' : !h ? 'removed' : 'changed',
        baseMonthlyCost,
        headMonthlyCost,
        delta,
        file: r.file,
        line: r.line,
        components: componentChanges(b, h),
      });
    }
  }
  resources.sort((a, b) => Math.abs(b.delta ?? 0) - Math.abs(a.delta ?? 0) || (a.address < b.address ? -1 : a.address > b.address ? 1 : 0));
  return {
    version: 1 as const,
    currency: 'USD' as const,
    base,
    head,
    baseMonthlyCost: base.totalMonthlyCost,
    headMonthlyCost: head.totalMonthlyCost,
    totalMonthlyDelta: roundMoney(head.totalMonthlyCost - base.totalMonthlyCost),
    projects,
    resources,
    policy,
  };
}

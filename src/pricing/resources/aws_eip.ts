/**
 * Elastic IP: public IPv4 address-hours, in use (attached to an instance, interface, NAT gateway or
 * load balancer) or idle; BYOIP addresses are not charged. https://aws.amazon.com/vpc/pricing/
 */
import { HOURS_PER_MONTH } from '../cost.js';
import { keys } from '../keys.js';
import { regionalLine } from '../lines.js';
import type { Pricer, PricerContext, ResourceView } from '../types.js';

/** Resource types whose attributes attach an EIP (allocation_id, subnet_mapping.allocation_id...). */
const ATTACHING_TYPES = ['aws_eip_association', 'aws_nat_gateway', 'aws_lb', 'aws_alb'];

function state(r: ResourceView, ctx: PricerContext): { state: 'in-use' | 'idle'; by?: string; assumption?: string } {
  const given = ctx.usage.str('state');
  if (given === 'idle' || given === 'in-use') return { state: given, by: 'usage' };
  for (const attr of ['instance', 'network_interface']) if (r.get(attr) !== undefined && r.get(attr) !== null) return { state: 'in-use', by: attr };
  for (const type of ATTACHING_TYPES) {
    const by = ctx.referencing(r, type)[0];
    if (by) return { state: 'in-use', by: by.address };
  }
  return { state: 'in-use', assumption: 'in use assumed: nothing in this project attaches it (usage state: idle to price it as idle)' };
}

export const awsEip = {
  type: 'aws_eip',
  components(r, ctx) {
    const pool = r.str('public_ipv4_pool');
    // Addresses from your own pool (BYOIP) are not billed: no line, $0.
    if (pool !== undefined && pool !== 'amazon') return [];
    const s = state(r, ctx);
    return [
      regionalLine(
        r,
        { name: `Public IPv4 address (${s.state === 'idle' ? 'idle' : 'in use'})`, unit: 'hours', monthlyQuantity: HOURS_PER_MONTH, ...(s.assumption ? { assumption: s.assumption } : {}) },
        (g) => keys.publicIpv4(g, s.state),
      ),
    ];
  },
  details(r, ctx) {
    const pool = r.str('public_ipv4_pool');
    if (pool !== undefined && pool !== 'amazon')
      return { state: 'BYOIP', publicIpv4Pool: pool, noCharge: `addresses from your own pool (${pool}) are not charged for` };
    const s = state(r, ctx);
    return { state: s.state, ...(s.by ? { stateFrom: s.by } : {}) };
  },
} satisfies Pricer;

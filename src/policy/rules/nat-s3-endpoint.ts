/**
 * NAT gateways in a VPC with no S3 gateway endpoint: traffic from private subnets to S3 then pays
 * NAT data processing per GB, which a gateway endpoint (free) avoids. The saving is priced when
 * usage gives the S3 share of the NAT's traffic (`monthly_s3_data_processed_gb` on the NAT gateway);
 * otherwise the message gives the price per GB and the NAT's data cost as the ceiling.
 */
import type { Resource } from '../../core/types.js';
import { monthlyPrice } from '../../pricing/cost.js';
import { keys } from '../../pricing/keys.js';
import { defineRule } from '../rule.js';
import type { ProjectView, RuleFinding } from '../rule.js';
import { money, pricedLines, unitPrice, view } from '../facts.js';

export const S3_SHARE_USAGE_KEY = 'monthly_s3_data_processed_gb';

function isS3Gateway(r: Resource): boolean {
  const v = view(r);
  const service = v.str('service_name') ?? '';
  const type = v.str('vpc_endpoint_type') ?? 'Gateway';
  return r.type === 'aws_vpc_endpoint' && /\.s3$/.test(service) && type === 'Gateway';
}

/** The VPC of a NAT gateway (through its subnet), when both are in the project. */
function vpcOf(p: ProjectView, nat: Resource): Resource | undefined {
  const subnet = p.relations.referenced(view(nat), 'subnet_id').find((x) => x.resource.type === 'aws_subnet');
  if (!subnet) return undefined;
  return p.relations.referenced(subnet, 'vpc_id').find((x) => x.resource.type === 'aws_vpc')?.resource;
}

export const natS3Endpoint = defineRule({
  id: 'nat-s3-endpoint',
  summary: 'NAT gateways whose VPC has no S3 gateway endpoint: S3 traffic pays NAT data processing.',
  defaults: { enabled: true, severity: 'warning' },
  options: {},
  optionDefaults: {},
  check(ctx) {
    const out: RuleFinding[] = [];
    for (const p of ctx.projects) {
      const endpoints = p.resources.filter(isS3Gateway);
      for (const r of p.resources) {
        if (r.type !== 'aws_nat_gateway' || !ctx.settings(r, p)) continue;
        const vpc = vpcOf(p, r);
        if (vpc) {
          const id = vpc.address.replace(/\[[^\]]*\]$/, '');
          if (endpoints.some((e) => p.relations.referenced(view(e), 'vpc_id').some((x) => x.address.replace(/\[[^\]]*\]$/, '') === id))) continue;
        } else if (endpoints.length > 0 || !p.resources.some((x) => x.type === 'aws_vpc')) {
          // The VPC is not in this project (nor can the endpoint be judged), or an endpoint exists.
          continue;
        }
        let saving: number | null = null;
        let figures = '';
        if (p.book && r.region) {
          const perGb = p.book.lookup(keys.natGatewayData(r.region));
          if (perGb.ok) figures = ` NAT data processing costs ${unitPrice(perGb.price.usd, 'GB')}; a gateway endpoint costs nothing`;
          const s3Gb = ctx.usage(r)[S3_SHARE_USAGE_KEY];
          if (typeof s3Gb === 'number') {
            const priced = monthlyPrice(p.book, keys.natGatewayData(r.region), s3Gb);
            if (priced.ok) {
              saving = priced.usd;
              figures += `: ${s3Gb.toLocaleString('en-US')} GB of S3 traffic (usage ${S3_SHARE_USAGE_KEY}) costs ${money(priced.usd)} / month through the NAT`;
            }
          } else {
            const data = pricedLines(p.priced(r.address), (q) => q.key === 'nat-gateway:gb');
            figures += data.quantity > 0
              ? ` (this NAT processes ${data.quantity.toLocaleString('en-US')} GB, ${money(data.cost)} / month, the ceiling of the saving; set usage ${S3_SHARE_USAGE_KEY} to price the S3 part)`
              : ` (set usage ${S3_SHARE_USAGE_KEY} on the NAT gateway to price the saving)`;
          }
        }
        out.push({
          project: p,
          resource: r,
          monthlySavings: saving,
          message: `\`${r.address}\` serves ${vpc ? `\`${vpc.address}\`` : 'a VPC'} with no S3 gateway endpoint (aws_vpc_endpoint, service com.amazonaws.${r.region ?? '<region>'}.s3, type Gateway):${figures}`,
        });
      }
    }
    return out;
  },
});

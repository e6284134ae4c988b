/**
 * `.mlcost.yml` `pricing:`: the team's own rates, laid over AWS list prices by
 * src/pricing/effective.ts. Pure schema.
 *
 * ```yaml
 * pricing:
 *   discounts:                      # enterprise discount (EDP / private pricing), per service
 *     - service: AmazonEC2          # a Price List service code, or '*' for every AWS service
 *       percent: 18
 *   commitments:                    # Savings Plans / reserved instances, per instance family or type
 *     - family: g5                  # or instanceType: g5.2xlarge
 *       service: AmazonEC2          # default; also AmazonSageMaker, AmazonRDS, AmazonElastiCache
 *       region: us-east-1           # optional: only there
 *       coveragePercent: 60         # share of the hours the commitment pays for
 *       discountPercent: 35         # their discount off on-demand (or usdPerHour, with instanceType)
 *   overrides:                      # a negotiated price that replaces the list price outright
 *     - instanceType: p5.48xlarge   # EC2 on-demand; or sku: <AWS SKU>; or service + key
 *       region: us-east-1
 *       usd: 38.5
 * ```
 */
import { z } from 'zod';
import { PRICE_SERVICES } from '../pricing/keys.js';

/** Services a commitment (Savings Plan, reserved instance) can cover: those billed per instance-hour. */
export const COMMITMENT_SERVICES = ['AmazonEC2', 'AmazonSageMaker', 'AmazonRDS', 'AmazonElastiCache'] as const;

const percent = z
  .number({ error: 'expected a percentage (a number from 0 to 100)' })
  .min(0)
  .max(100, { error: 'must be at most 100' });

const region = z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d+$/, { error: 'expected a region code like `us-east-1`' });

const serviceNames = `${PRICE_SERVICES.filter((s) => s !== 'GitHubActions').slice(0, 6).join(', ')}, ...`;

export const discountSchema = z
  .object({
    service: z.enum([...PRICE_SERVICES, '*'], { error: `expected a Price List service code (${serviceNames}) or \`*\` for every AWS service` }),
    percent,
  })
  .strict();

export const commitmentSchema = z
  .object({
    service: z.enum(COMMITMENT_SERVICES, { error: `expected one of ${COMMITMENT_SERVICES.map((s) => `\`${s}\``).join(', ')}` }).default('AmazonEC2'),
    family: z.string().regex(/^(ml\.|db\.|cache\.)?[a-z][a-z0-9-]*$/, { error: 'expected an instance family like `g5` or `m6i`' }).optional(),
    instanceType: z.string().regex(/^(ml\.|db\.|cache\.)?[a-z][a-z0-9-]*\.[a-z0-9]+$/, { error: 'expected an instance type like `g5.2xlarge`' }).optional(),
    region: region.optional(),
    coveragePercent: percent,
    discountPercent: percent.optional(),
    usdPerHour: z.number().nonnegative().optional(),
    /** Shown in the report (`Compute Savings Plan 2026`). */
    name: z.string().min(1).optional(),
  })
  .strict()
  .superRefine((c, ctx) => {
    if ((c.family === undefined) === (c.instanceType === undefined)) {
      ctx.addIssue({ code: 'custom', path: c.family === undefined ? [] : ['instanceType'], message: 'give either `family` or `instanceType`' });
    }
    if ((c.discountPercent === undefined) === (c.usdPerHour === undefined)) {
      ctx.addIssue({ code: 'custom', path: [], message: 'give either `discountPercent` or `usdPerHour` (the committed hourly rate)' });
    }
    if (c.usdPerHour !== undefined && c.instanceType === undefined) {
      ctx.addIssue({ code: 'custom', path: ['usdPerHour'], message: '`usdPerHour` is a rate per instance of one type: use it with `instanceType` (or `discountPercent` with `family`)' });
    }
  });

export const overrideSchema = z
  .object({
    service: z.enum(PRICE_SERVICES, { error: `expected a Price List service code (${serviceNames})` }).optional(),
    region: region.optional(),
    instanceType: z.string().regex(/^[a-z][a-z0-9-]*\.[a-z0-9]+$/, { error: 'expected an EC2 instance type like `p5.48xlarge`' }).optional(),
    sku: z.string().regex(/^[A-Z0-9]{8,20}$/, { error: 'expected an AWS SKU like `6C86BEPQVG73ZGGR`' }).optional(),
    key: z.string().min(3).optional(),
    usd: z.number({ error: 'expected the price in USD per unit (a number)' }).nonnegative(),
    /** Shown in the report (`PPA 2026 rate`). */
    name: z.string().min(1).optional(),
  })
  .strict()
  .superRefine((o, ctx) => {
    const given = [o.instanceType, o.sku, o.key].filter((x) => x !== undefined).length;
    if (given !== 1) ctx.addIssue({ code: 'custom', path: [], message: 'give exactly one of `instanceType`, `sku` or `key`' });
    if (o.key !== undefined && o.service === undefined) {
      ctx.addIssue({ code: 'custom', path: ['key'], message: 'a `key` needs its `service` (e.g. `service: AmazonSageMaker`, `key: hosting:ml.g5.xlarge`)' });
    }
    if (o.instanceType !== undefined && o.service !== undefined && o.service !== 'AmazonEC2') {
      ctx.addIssue({ code: 'custom', path: ['service'], message: '`instanceType` overrides EC2 on-demand prices; for other services use `key`' });
    }
  });

export const pricingSchema = z
  .object({
    discounts: z.array(discountSchema).default([]),
    commitments: z.array(commitmentSchema).default([]),
    overrides: z.array(overrideSchema).default([]),
  })
  .strict()
  .superRefine((p, ctx) => {
    const seen = new Map<string, number>();
    p.discounts.forEach((d, i) => {
      const prior = seen.get(d.service);
      if (prior !== undefined) {
        ctx.addIssue({ code: 'custom', path: ['discounts', i, 'service'], message: `a second discount for ${d.service} (the first is discounts.${prior}); give one per service` });
      } else {
        seen.set(d.service, i);
      }
    });
    const scopes = new Map<string, number>();
    p.commitments.forEach((c, i) => {
      const id = `${c.service}|${c.family ?? ''}|${c.instanceType ?? ''}|${c.region ?? ''}`;
      const prior = scopes.get(id);
      if (prior !== undefined) {
        ctx.addIssue({ code: 'custom', path: ['commitments', i], message: `covers the same ${c.family ? 'family' : 'instance type'} and region as commitments.${prior}; combine them into one (add up the coverage)` });
      } else {
        scopes.set(id, i);
      }
    });
  });

export type PricingConfig = z.infer<typeof pricingSchema>;
export type PricingConfigInput = z.input<typeof pricingSchema>;
export type DiscountRule = PricingConfig['discounts'][number];
export type CommitmentRule = PricingConfig['commitments'][number];
export type OverrideRule = PricingConfig['overrides'][number];

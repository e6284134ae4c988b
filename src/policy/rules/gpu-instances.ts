/**
 * GPU and accelerator instances, by allow and deny lists: families or types that may not be used
 * (`deny: [p5]`), the only accelerated families allowed (`allow: [g5, g6]`), the largest size
 * (`maxSize: 12xlarge`), and the paths where none of this applies (`allowIn: ["infra/training/**"]`).
 * Whether a type has GPUs or Neuron accelerators comes from the price book's instance specs.
 */
import { z } from 'zod';
import { defineRule, globsSchema } from '../rule.js';
import type { RuleFinding } from '../rule.js';
import { instanceParts, instanceTypesOf, isAccelerated, money, sizeRank } from '../facts.js';
import { matchesAnyGlob } from '../glob.js';

const familyOrType = z.string().regex(/^(ml\.)?[a-z][a-z0-9-]*(\.[a-z0-9-]+)?$/, { error: 'expected an instance family (`p5`) or type (`p5.48xlarge`)' });

/** Consumers report the types of their launch templates; the template alone says nothing runs. */
const SKIP = new Set(['aws_launch_template']);

function matches(list: readonly string[], type: string): string | undefined {
  const plain = type.replace(/^ml\./, '');
  const { family } = instanceParts(type);
  return list.find((x) => {
    const entry = x.replace(/^ml\./, '');
    return entry === plain || entry === family;
  });
}

export const gpuInstances = defineRule({
  id: 'gpu-instances',
  summary: 'GPU and accelerator instance families allowed or denied, and their largest size, per path.',
  defaults: { enabled: true, severity: 'error' },
  options: {
    deny: z.array(familyOrType).optional().describe('Instance families or types that may not be used (any instance, accelerated or not).'),
    allow: z.array(familyOrType).optional().describe('When given, the only GPU/accelerator families or types allowed.'),
    maxSize: z
      .string()
      .refine((s) => !Number.isNaN(sizeRank(s)), { error: 'expected an instance size such as `12xlarge` or `metal`' })
      .optional()
      .describe('The largest size of a GPU/accelerator instance (`12xlarge`).'),
    allowIn: globsSchema.optional().describe('Paths where deny, allow and maxSize do not apply (`infra/training/**`).'),
  },
  optionDefaults: { deny: [], allow: [], allowIn: [] },
  check(ctx) {
    const out: RuleFinding[] = [];
    for (const p of ctx.projects) {
      for (const r of p.resources) {
        if (SKIP.has(r.type)) continue;
        const s = ctx.settings(r, p);
        if (!s || (s.deny.length === 0 && s.allow.length === 0 && !s.maxSize)) continue;
        if (s.allowIn.length && matchesAnyGlob(s.allowIn, [r.file, p.project.path])) continue;
        const priced = p.priced(r.address);
        const cost = priced?.monthlyCost;
        const costText = cost !== undefined && cost !== null && cost > 0 ? ` (${money(cost)} / month)` : '';
        const elsewhere = s.allowIn.length ? `; allowed only under ${s.allowIn.map((g) => `\`${g}\``).join(', ')}` : '';
        for (const use of instanceTypesOf(r, p.relations, priced)) {
          const denied = matches(s.deny, use.type);
          const accelerated = isAccelerated(p.book, use.type);
          const problems: string[] = [];
          if (denied) problems.push(`\`${denied}\` is denied (rules.gpu-instances.deny)`);
          else if (accelerated && s.allow.length && !matches(s.allow, use.type))
            problems.push(`the ${instanceParts(use.type).family} family is not among the allowed GPU/accelerator families (${s.allow.join(', ')})`);
          if (accelerated && s.maxSize) {
            const rank = sizeRank(instanceParts(use.type).size);
            if (rank > sizeRank(s.maxSize)) problems.push(`${instanceParts(use.type).size} is larger than the allowed ${s.maxSize} (rules.gpu-instances.maxSize)`);
          }
          if (problems.length === 0) continue;
          out.push({
            project: p,
            resource: r,
            line: use.line,
            message: `\`${r.address}\` uses ${use.type} (${use.where})${costText}: ${problems.join('; ')}${elsewhere}`,
          });
        }
      }
    }
    return out;
  },
});

/**
 * Compute in another region than the S3 bucket it reads, when both are in the change: every GB read
 * crosses regions and is billed as inter-region transfer. "Reads" is what the configuration says:
 * the compute refers to the bucket (directly, or through its IAM role and policies, launch template,
 * SageMaker model or Batch job definition), or names it in an `s3://` URI or ARN. The figure is the
 * book's inter-region price per GB; the volume read is not known, so no saving is counted.
 */
import type { Resource, Value } from '../../core/types.js';
import { isUnknown } from '../../core/types.js';
import { blockId } from '../../pricing/cost.js';
import { keys } from '../../pricing/keys.js';
import { defineRule } from '../rule.js';
import type { ProjectView, RuleFinding } from '../rule.js';
import { unitPrice, view } from '../facts.js';

const COMPUTE = new Set([
  'aws_instance', 'aws_eks_node_group', 'aws_autoscaling_group', 'aws_batch_compute_environment', 'aws_emr_cluster', 'aws_lambda_function',
  'aws_ecs_service', 'aws_sagemaker_endpoint', 'aws_sagemaker_notebook_instance', 'aws_sagemaker_training_job', 'aws_spot_instance_request', 'aws_spot_fleet_request',
]);

/** Resources a read passes through: identities and definitions that tie compute to data. */
const THROUGH = new Set([
  'aws_iam_role', 'aws_iam_role_policy', 'aws_iam_policy', 'aws_iam_role_policy_attachment', 'aws_iam_instance_profile', 'aws_launch_template',
  'aws_sagemaker_model', 'aws_sagemaker_endpoint_configuration', 'aws_batch_job_definition', 'aws_batch_job_queue', 'aws_ecs_task_definition',
]);

const MAX_HOPS = 4;

function isCompute(r: Resource): boolean {
  return COMPUTE.has(r.type) || (r.type.startsWith('kubernetes_') && Array.isArray(r.attributes['groups']));
}

function fullId(r: Resource): string {
  return blockId(r.address);
}

/** The block ids a resource's attributes refer to, in the project's address space. */
function refsOf(r: Resource): string[] {
  const scope = r.modulePath ? `${r.modulePath}.` : '';
  return Object.values(r.references ?? {}).flat().map((id) => scope + id);
}

/** Every string of an attribute tree (Kubernetes: the texts the analyzer kept). */
function strings(v: Value, out: string[] = [], depth = 0): string[] {
  if (depth > 12 || out.length > 500) return out;
  if (typeof v === 'string') out.push(v);
  else if (Array.isArray(v)) for (const x of v) strings(x, out, depth + 1);
  else if (v && typeof v === 'object' && !isUnknown(v)) for (const x of Object.values(v)) strings(x, out, depth + 1);
  return out;
}

interface Bucket {
  resource: Resource;
  name: string | undefined;
}

interface Graph {
  byId: Map<string, Resource[]>;
  neighbours: Map<string, Set<string>>;
}

/** References between the project's resource blocks, both ways (built once per project). */
const graphs = new WeakMap<Resource[], Graph>();

function graphOf(p: ProjectView): Graph {
  const cached = graphs.get(p.resources);
  if (cached) return cached;
  const byId = new Map<string, Resource[]>();
  for (const r of p.resources) {
    const list = byId.get(fullId(r));
    if (list) list.push(r);
    else byId.set(fullId(r), [r]);
  }
  const neighbours = new Map<string, Set<string>>();
  const link = (a: string, b: string) => {
    let set = neighbours.get(a);
    if (!set) neighbours.set(a, (set = new Set()));
    set.add(b);
  };
  for (const r of p.resources) {
    for (const id of refsOf(r)) {
      if (!byId.has(id)) continue;
      link(fullId(r), id);
      link(id, fullId(r));
    }
  }
  const graph = { byId, neighbours };
  graphs.set(p.resources, graph);
  return graph;
}

function bucketsRead(p: ProjectView, compute: Resource, byName: Map<string, Bucket>): { bucket: Bucket; how: string }[] {
  const { byId, neighbours } = graphOf(p);
  const found: { bucket: Bucket; how: string }[] = [];
  const seen = new Set([fullId(compute)]);
  let frontier = [{ id: fullId(compute), path: [] as string[] }];
  for (let hop = 0; hop < MAX_HOPS && frontier.length; hop++) {
    const next: typeof frontier = [];
    for (const { id, path } of frontier) {
      for (const n of neighbours.get(id) ?? []) {
        if (seen.has(n)) continue;
        seen.add(n);
        const rs = byId.get(n) ?? [];
        const bucket = rs.find((x) => x.type === 'aws_s3_bucket');
        if (bucket) found.push({ bucket: { resource: bucket, name: view(bucket).str('bucket') }, how: path.length ? `through ${path.join(', ')}` : 'refers to it' });
        else if (rs.some((x) => THROUGH.has(x.type))) next.push({ id: n, path: [...path, n] });
      }
    }
    frontier = next;
  }
  for (const text of strings(compute.attributes)) {
    for (const m of text.matchAll(/(?:s3:\/\/|arn:aws[a-z-]*:s3:::)([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])/g)) {
      const b = byName.get(m[1] as string);
      if (b && !found.some((f) => f.bucket.resource === b.resource)) found.push({ bucket: b, how: `names s3://${m[1]}` });
    }
  }
  return found;
}

export const crossRegionData = defineRule({
  id: 'cross-region-data',
  summary: 'Compute in another region than the S3 bucket it reads (both in the change): inter-region transfer on every read.',
  defaults: { enabled: true, severity: 'warning' },
  options: {},
  optionDefaults: {},
  check(ctx) {
    const out: RuleFinding[] = [];
    const byName = new Map<string, Bucket>();
    for (const p of ctx.projects) for (const r of p.resources) {
      const name = r.type === 'aws_s3_bucket' ? view(r).str('bucket') : undefined;
      if (name) byName.set(name, { resource: r, name });
    }
    for (const p of ctx.projects) {
      for (const r of p.resources) {
        if (!isCompute(r) || !r.region || !ctx.settings(r, p)) continue;
        for (const { bucket, how } of bucketsRead(p, r, byName)) {
          const from = bucket.resource.region;
          if (!from || from === r.region) continue;
          let price = '';
          if (p.book) {
            const found = p.book.lookup(keys.dataTransferInterRegion(from, r.region));
            if (found.ok) price = `: ${unitPrice(found.price.usd, 'GB')} read (inter-region transfer ${from} → ${r.region})`;
          }
          out.push({
            project: p,
            resource: r,
            message:
              `\`${r.address}\` runs in ${r.region} but reads \`${bucket.resource.address}\` in ${from} (${how})${price}; ` +
              'run it in the bucket\'s region, or replicate the data to its own region',
          });
        }
      }
    }
    return out;
  },
});

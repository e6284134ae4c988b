/**
 * Hand-checked prices: each fixture folder's main.tf writes out the arithmetic from the published
 * unit prices; this test holds the pipeline to those figures (to the cent) and keeps a golden of
 * the full breakdown so any change to a line is reviewed.
 */
import { describe, expect, it } from '@jest/globals';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeModule } from '../../src/analyzers/terraform/module.js';
import { breakdown } from '../../src/core/run.js';
import { parseConfig } from '../../src/policy/schema.js';
import { loadEmbeddedPriceBook } from '../../src/adapters/snapshot-file.js';
import { expectGolden } from '../helpers/golden.js';

const root = join(import.meta.dirname, '..', 'fixtures', 'pricing');
const book = loadEmbeddedPriceBook();

/** Expected monthly cost per address, from the arithmetic in each fixture's comments. */
const handChecked: Record<string, Record<string, number | null>> = {
  aws_ebs_volume: { 'aws_ebs_volume.gp3': 50.6, 'aws_ebs_volume.gp2': 110, 'aws_ebs_volume.st1': 100, 'aws_ebs_volume.sc1': 33.6 },
  aws_eks_cluster: { 'aws_eks_cluster.main': 73 },
  aws_eks_node_group: { 'aws_eks_node_group.gpu': 1809.52, 'aws_eks_node_group.spot': 148.9632, 'aws_eks_node_group.p5cb': 30315.44 },
  aws_instance: { 'aws_instance.web': 74.08, 'aws_instance.spot': 24.6272, 'aws_instance.gpu': 1215.26, 'aws_instance.typo': 0.8 },
  aws_nat_gateway: { 'aws_nat_gateway.main': 122.85 },
  aws_s3_bucket: { 'aws_s3_bucket.datasets': 2300.2, 'aws_s3_bucket.logs': null },
  aws_sagemaker_endpoint_configuration: {
    'aws_sagemaker_endpoint_configuration.ranker': 2055.68,
    'aws_sagemaker_endpoint_configuration.legacy': null,
    'aws_sagemaker_endpoint_configuration.serverless': null,
  },
};

function run(type: string) {
  const dir = join(root, type);
  const files: Record<string, string> = {};
  for (const f of readdirSync(dir)) if (f.endsWith('.tf')) files[f] = readFileSync(join(dir, f), 'utf8');
  const usageFile = join(dir, 'usage.yml');
  const config = existsSync(usageFile) ? parseConfig(readFileSync(usageFile, 'utf8'), 'usage.yml') : undefined;
  if (config) expect(config.errors).toEqual([]);
  expect(analyzeModule(files).errors.filter((e) => e.severity !== 'warning')).toEqual([]);
  return breakdown([{ name: type, path: type, kind: 'terraform', files }], book, { config: config?.config });
}

describe('hand-checked pricing fixtures', () => {
  it.each(Object.keys(handChecked))('%s', (type) => {
    const b = run(type);
    const got = Object.fromEntries(b.projects[0]!.resources.map((r) => [r.address, r.monthlyCost === null ? null : Math.round(r.monthlyCost * 100) / 100]));
    const want = Object.fromEntries(Object.entries(handChecked[type]!).map(([k, v]) => [k, v === null ? null : Math.round(v * 100) / 100]));
    expect(got).toEqual(want);
    for (const r of b.projects[0]!.resources)
      for (const c of [...r.costComponents, ...r.subresources.flatMap((s) => s.costComponents)])
        if (c.unitPrice !== null) expect(c.priceSource?.date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expectGolden(`test/fixtures/pricing/${type}/expected.json`, `${JSON.stringify(b.projects[0]!.resources, null, 2)}\n`);
  });
});

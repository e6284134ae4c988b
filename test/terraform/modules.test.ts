import { describe, expect, it } from '@jest/globals';
import { analyzeModule } from '../../src/analyzers/terraform/module.js';
import { terraformRoots, findProjects } from '../../src/core/projects.js';
import { isUnknown } from '../../src/core/types.js';

const child = {
  'modules/gpu/variables.tf': [
    'variable "instance_type" {\n  type = string\n}',
    'variable "nodes" {\n  type    = number\n  default = 1\n}',
    'variable "disk" {\n  type = object({\n    size = optional(number, 100)\n    type = optional(string, "gp3")\n  })\n  default = {}\n}',
  ].join('\n'),
  'modules/gpu/main.tf': [
    'resource "aws_instance" "node" {\n  count         = var.nodes\n  instance_type = var.instance_type\n  root_block_device {\n    volume_size = var.disk.size\n    volume_type = var.disk.type\n  }\n}',
    'module "cache" {\n  source = "../cache"\n  size   = var.disk.size * 2\n}',
    'output "first_id" {\n  value = aws_instance.node[0].id\n}',
    'output "cache_size" {\n  value = module.cache.size\n}',
  ].join('\n'),
  'modules/cache/main.tf': 'variable "size" {}\nresource "aws_ebs_volume" "c" {\n  size = var.size\n}\noutput "size" {\n  value = aws_ebs_volume.c.size\n}\n',
};

describe('local modules', () => {
  it('passes inputs, applies optional() defaults, nests modules and reads outputs', () => {
    const r = analyzeModule({
      ...child,
      'live/main.tf': [
        'provider "aws" {\n  region = "eu-west-1"\n}',
        'module "train" {\n  source        = "../modules/gpu"\n  instance_type = "g5.xlarge"\n  nodes         = 2\n  disk          = { size = 200 }\n}',
        'resource "aws_ebs_volume" "extra" {\n  size = module.train.cache_size + 1\n  tags = { first = module.train.first_id }\n}',
      ].join('\n'),
    }, { rootDir: 'live' });
    expect(r.errors).toEqual([]);
    const byAddr = new Map(r.resources.map((x) => [x.address, x]));
    expect([...byAddr.keys()]).toEqual([
      'aws_ebs_volume.extra',
      'module.train.aws_instance.node[0]',
      'module.train.aws_instance.node[1]',
      'module.train.module.cache.aws_ebs_volume.c',
    ]);
    expect(byAddr.get('module.train.aws_instance.node[1]')).toMatchObject({
      file: 'modules/gpu/main.tf', line: 1, region: 'eu-west-1', modulePath: 'module.train',
      attributes: { instance_type: 'g5.xlarge', root_block_device: [{ volume_size: 200, volume_type: 'gp3' }] },
    });
    expect(byAddr.get('module.train.module.cache.aws_ebs_volume.c')!.attributes.size).toBe(400);
    expect(byAddr.get('aws_ebs_volume.extra')!.attributes.size).toBe(401);
    expect(isUnknown((byAddr.get('aws_ebs_volume.extra')!.attributes.tags as Record<string, unknown>).first)).toBe(true);
  });

  it('expands count and for_each on module calls into Terraform addresses', () => {
    const r = analyzeModule({
      ...child,
      'main.tf': [
        'module "pool" {\n  source = "./modules/gpu"\n  for_each = { a = "g5.xlarge", b = "p4d.24xlarge" }\n  instance_type = each.value\n}',
        'module "spare" {\n  source = "./modules/gpu"\n  count = 2\n  instance_type = "m5.large"\n  nodes = count.index\n}',
      ].join('\n'),
    });
    expect(r.resources.map((x) => x.address).filter((a) => a.includes('aws_instance'))).toEqual([
      'module.pool["a"].aws_instance.node[0]',
      'module.pool["b"].aws_instance.node[0]',
      'module.spare[1].aws_instance.node[0]',
    ]);
    expect(r.resources.find((x) => x.address === 'module.pool["b"].aws_instance.node[0]')!.attributes.instance_type).toBe('p4d.24xlarge');
  });

  it('maps a module to an aliased provider through providers = {}', () => {
    const r = analyzeModule({
      'modules/cache/main.tf': child['modules/cache/main.tf'],
      'main.tf': 'provider "aws" {\n  region = "us-east-1"\n}\nprovider "aws" {\n  alias  = "west"\n  region = "us-west-2"\n}\nmodule "c" {\n  source = "./modules/cache"\n  size = 1\n  providers = {\n    aws = aws.west\n  }\n}\n',
    });
    expect(r.resources[0]).toMatchObject({ address: 'module.c.aws_ebs_volume.c', region: 'us-west-2' });
  });

  it('never downloads registry or git modules, and reads them when the config maps them to a directory', () => {
    const files = { 'main.tf': 'module "vpc" {\n  source = "terraform-aws-modules/vpc/aws"\n  version = "5.0.0"\n}\nmodule "g" {\n  source = "git::https://example.com/x.git"\n}\n', 'vendor/vpc/main.tf': 'resource "aws_nat_gateway" "this" {}\n' };
    const r = analyzeModule(files, { rootDir: '.' });
    expect(r.notAnalysed!.map((n) => n.address)).toEqual(['module.g', 'module.vpc']);
    expect(r.notAnalysed![1]!.reason).toContain('terraform-aws-modules/vpc/aws is not downloaded');
    const mapped = analyzeModule(files, { rootDir: '.', moduleSources: { 'terraform-aws-modules/vpc/aws': 'vendor/vpc' } });
    expect(mapped.resources.map((x) => x.address)).toEqual(['module.vpc.aws_nat_gateway.this']);
  });

  it('refuses a source outside the repository and stops recursion between modules', () => {
    const outside = analyzeModule({ 'main.tf': 'module "x" {\n  source = "../../etc"\n}\n' });
    expect(outside.errors).toEqual([expect.objectContaining({ file: 'main.tf', line: 2, message: 'module.x: module source "../../etc" points outside the repository; refused' })]);
    const loop = analyzeModule({
      'a/main.tf': 'module "b" {\n  source = "../b"\n}\n',
      'b/main.tf': 'module "a" {\n  source = "../a"\n}\nresource "aws_ebs_volume" "v" {\n  size = 1\n}\n',
    }, { rootDir: 'a' });
    expect(loop.errors.some((e) => e.message.includes('recursion between modules (a -> b -> a)'))).toBe(true);
    expect(loop.resources.map((x) => x.address)).toEqual(['module.b.aws_ebs_volume.v']);
  });

  it('reports a required module input that is not set', () => {
    const r = analyzeModule({ ...child, 'main.tf': 'module "m" {\n  source = "./modules/gpu"\n}\n' });
    expect(r.errors).toContainEqual(expect.objectContaining({ file: 'modules/gpu/variables.tf', severity: 'warning', message: expect.stringContaining('module.m: required variable "instance_type" is not set') }));
  });

  it('reports for_each over a list of objects with Terraform\'s error', () => {
    const r = analyzeModule({ 'main.tf': 'resource "aws_ebs_volume" "v" {\n  for_each = [{ a = 1 }]\n  size = 1\n}\n' });
    expect(r.errors.filter((e) => e.severity === 'error')).toEqual([expect.objectContaining({ line: 2, message: 'aws_ebs_volume.v: the "for_each" argument must be a map, or set of strings, and you have provided a value of type list of object' })]);
    expect(r.resources).toEqual([]);
  });
});

describe('root projects', () => {
  it('does not price a called module on its own, and gives each root the files of its modules', () => {
    const texts: Record<string, string> = {
      ...child,
      'live/main.tf': 'module "train" {\n  source = "../modules/gpu"\n}\n',
      'other/main.tf': 'resource "aws_ebs_volume" "v" {\n  size = 1\n}\n',
    };
    const roots = terraformRoots(findProjects(Object.keys(texts)), texts);
    expect(roots.map((r) => [r.path, r.files])).toEqual([
      ['live', ['live/main.tf', 'modules/cache/main.tf', 'modules/gpu/main.tf', 'modules/gpu/variables.tf']],
      ['other', ['other/main.tf']],
    ]);
  });
});

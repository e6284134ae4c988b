import { describe, expect, it } from '@jest/globals';
import { analyzeModule } from '../../src/analyzers/terraform/module.js';
import { isUnknown } from '../../src/core/types.js';

function byAddress(files: Record<string, string>, opts = {}) {
  const r = analyzeModule(files, opts);
  return { ...r, map: new Map(r.resources.map((x) => [x.address, x])) };
}

describe('Terraform module analysis', () => {
  it('resolves variables, tfvars precedence, locals and references, keeping file and line', () => {
    const r = byAddress({
      'infra/variables.tf': 'variable "type" {\n  default = "m5.large"\n}\nvariable "size" {\n  default = 10\n}\nvariable "env" {}\n',
      'infra/terraform.tfvars': 'size = 20\nenv = "prod"\n',
      'infra/b.auto.tfvars': 'size = 30\n',
      'infra/a.auto.tfvars': 'size = 25\n',
      'infra/main.tf': [
        'locals {',
        '  name = "app-${var.env}"',
        '  disk = var.size * 2',
        '}',
        '',
        'resource "aws_instance" "web" {',
        '  instance_type = var.type',
        '  tags = { Name = local.name }',
        '  root_block_device {',
        '    volume_size = local.disk',
        '  }',
        '}',
        '',
        'resource "aws_ebs_volume" "copy" {',
        '  size = aws_instance.web.root_block_device[0].volume_size + 1',
        '  availability_zone = aws_instance.web.availability_zone',
        '}',
      ].join('\n'),
    });
    expect(r.errors).toEqual([expect.objectContaining({ severity: 'warning', message: expect.stringContaining('no region set for provider aws') })]);
    const web = r.map.get('aws_instance.web')!;
    expect(web).toMatchObject({ type: 'aws_instance', file: 'infra/main.tf', line: 6, region: 'us-east-1' });
    expect(web.attributes.instance_type).toBe('m5.large');
    expect(web.attributes.root_block_device).toEqual([{ volume_size: 60 }]); // b.auto.tfvars (30) wins, x2
    expect(web.attributeLines).toMatchObject({ instance_type: 7, 'root_block_device.0': 9, 'root_block_device.0.volume_size': 10 });
    expect(web.tags).toEqual({ Name: 'app-prod' });
    const copy = r.map.get('aws_ebs_volume.copy')!;
    expect(copy.attributes.size).toBe(61);
    expect(isUnknown(copy.attributes.availability_zone)).toBe(true);
  });

  it('reads terraform.tfvars.json and *.auto.tfvars.json after their HCL forms', () => {
    const files = {
      'v.tf': 'variable "n" {\n  default = 1\n}\nvariable "m" {\n  type = map(number)\n}\nresource "aws_ebs_volume" "v" {\n  size = var.n + var.m.extra\n}\n',
      'terraform.tfvars': 'n = 2\n',
      'terraform.tfvars.json': '{ "n": 3, "m": { "extra": 10 } }',
      'z.auto.tfvars.json': '{ "n": 4 }',
    };
    expect(analyzeModule(files).resources[0]!.attributes.size).toBe(14);
    const broken = analyzeModule({ ...files, 'z.auto.tfvars.json': '{ "n": ' });
    expect(broken.errors).toContainEqual(expect.objectContaining({ file: 'z.auto.tfvars.json', message: expect.stringContaining('invalid JSON') }));
  });

  it('applies --var-file, TF_VAR_ and --var in Terraform order', () => {
    const files = { 'v.tf': 'variable "n" {\n  default = 1\n}\nresource "aws_ebs_volume" "v" {\n  size = var.n\n}\n', 'terraform.tfvars': 'n = 2\n' };
    const size = (opts: object) => analyzeModule(files, opts).resources[0]!.attributes.size;
    expect(size({})).toBe(2);
    expect(size({ varFiles: [{ path: 'x.tfvars', text: 'n = 3' }] })).toBe(3);
    expect(size({ varFiles: [{ path: 'x.tfvars', text: 'n = 3' }], envVars: { n: '4' } })).toBe('4');
    expect(size({ envVars: { n: '4' }, vars: { n: '5' } })).toBe('5');
  });

  it('prices resources in their provider region, with aliases and default tags', () => {
    const r = byAddress({
      'p.tf': [
        'variable "region" {\n  default = "eu-west-1"\n}',
        'provider "aws" {\n  region = var.region\n  default_tags {\n    tags = { team = "ml" }\n  }\n}',
        'provider "aws" {\n  alias  = "west"\n  region = "us-west-2"\n}',
        'resource "aws_ebs_volume" "a" {\n  size = 1\n  tags = { app = "x" }\n}',
        'resource "aws_ebs_volume" "b" {\n  provider = aws.west\n  size = 1\n}',
      ].join('\n'),
    });
    expect(r.errors).toEqual([]);
    expect(r.map.get('aws_ebs_volume.a')).toMatchObject({ region: 'eu-west-1', tags: { team: 'ml', app: 'x' } });
    expect(r.map.get('aws_ebs_volume.b')).toMatchObject({ region: 'us-west-2', tags: {} });
  });

  it('expands count and for_each into Terraform addresses', () => {
    const r = byAddress({
      'main.tf': [
        'provider "aws" {\n  region = "us-east-1"\n}',
        'resource "aws_instance" "gpu" {\n  count = 2\n  instance_type = count.index == 0 ? "g5.xlarge" : "g5.2xlarge"\n}',
        'resource "aws_ebs_volume" "data" {\n  for_each = { small = 10, big = 100 }\n  size = each.value\n  tags = { key = each.key }\n}',
        'resource "aws_ebs_volume" "set" {\n  for_each = toset(["b", "a"])\n  size = length(each.key)\n}',
        'resource "aws_ebs_volume" "none" {\n  count = 0\n  size = 1\n}',
        'resource "aws_ebs_volume" "ref" {\n  size = aws_ebs_volume.data["big"].size + length(aws_instance.gpu)\n}',
      ].join('\n'),
    });
    expect(r.errors).toEqual([]);
    expect([...r.map.keys()]).toEqual([
      'aws_ebs_volume.data["big"]', 'aws_ebs_volume.data["small"]', 'aws_ebs_volume.ref',
      'aws_ebs_volume.set["a"]', 'aws_ebs_volume.set["b"]', 'aws_instance.gpu[0]', 'aws_instance.gpu[1]',
    ]);
    expect(r.map.get('aws_instance.gpu[1]')!.attributes.instance_type).toBe('g5.2xlarge');
    expect(r.map.get('aws_ebs_volume.data["small"]')!.attributes).toMatchObject({ size: 10, tags: { key: 'small' } });
    expect(r.map.get('aws_ebs_volume.ref')!.attributes.size).toBe(102);
  });

  it('records which resources each attribute refers to, through locals too', () => {
    const r = byAddress({
      'r.tf': [
        'locals {\n  lt = aws_launch_template.gpu.id\n}',
        'resource "aws_launch_template" "gpu" {\n  instance_type = "g5.xlarge"\n  count_hint = length(aws_subnet.a)\n}',
        'resource "aws_subnet" "a" {\n  count = 2\n}',
        'resource "aws_autoscaling_group" "g" {\n  desired_capacity = 2\n  launch_template {\n    id = local.lt\n  }\n  vpc_zone_identifier = aws_subnet.a[*].id\n}',
      ].join('\n'),
    });
    expect(r.map.get('aws_autoscaling_group.g')!.references).toEqual({ 'launch_template.0.id': ['aws_launch_template.gpu'], vpc_zone_identifier: ['aws_subnet.a'] });
    expect(r.map.get('aws_launch_template.gpu')!.references).toEqual({ count_hint: ['aws_subnet.a'] });
  });

  it('expands dynamic blocks', () => {
    const r = analyzeModule({
      'd.tf': 'resource "aws_instance" "x" {\n  dynamic "ebs_block_device" {\n    for_each = [10, 20]\n    content {\n      volume_size = ebs_block_device.value\n    }\n  }\n}\n',
    });
    expect(r.resources[0]!.attributes.ebs_block_device).toEqual([{ volume_size: 10 }, { volume_size: 20 }]);
  });

  it('carries an unknown count as one instance, with a warning', () => {
    const r = analyzeModule({ 'c.tf': 'resource "aws_instance" "x" {\n  count = length(data.aws_subnets.all.ids)\n  instance_type = "t3.micro"\n}\n' });
    expect(r.resources.map((x) => x.address)).toEqual(['aws_instance.x[0]']);
    expect(r.errors).toContainEqual(expect.objectContaining({ file: 'c.tf', line: 2, severity: 'warning', message: expect.stringContaining('count of aws_instance.x is unknown') }));
  });

  it('caps a runaway count and says so', () => {
    const r = analyzeModule({ 'c.tf': 'resource "aws_ebs_volume" "x" {\n  count = 100000\n  size = 1\n}\n' });
    expect(r.resources).toHaveLength(10_000);
    expect(r.errors).toContainEqual(expect.objectContaining({ line: 2, message: expect.stringContaining('only the first 10000 instances') }));
  });

  it('lists module calls as not analysed', () => {
    const r = analyzeModule({ 'm.tf': 'module "vpc" {\n  source = "terraform-aws-modules/vpc/aws"\n}\n' });
    expect(r.notAnalysed).toEqual([expect.objectContaining({ address: 'module.vpc', reason: expect.stringContaining('terraform-aws-modules/vpc/aws') })]);
  });
});

describe('bad input', () => {
  it('reports malformed HCL with file and line and still reads the other files', () => {
    const r = analyzeModule({
      'broken.tf': 'resource "aws_instance" "a" {\n  instance_type = "m5.large"\n  ami = = "x"\n}\n',
      'ok.tf': 'resource "aws_ebs_volume" "b" {\n  size = 5\n}\n',
    });
    expect(r.errors.find((e) => e.file === 'broken.tf')).toMatchObject({ file: 'broken.tf', line: 3, severity: 'error' });
    expect(r.resources.map((x) => x.address)).toContain('aws_ebs_volume.b');
  });

  it('reports a variable with no value and keeps dependent values unknown', () => {
    const r = analyzeModule({ 'v.tf': 'variable "type" {}\nresource "aws_instance" "a" {\n  instance_type = var.type\n}\n' });
    expect(r.errors).toContainEqual(expect.objectContaining({ file: 'v.tf', line: 1, severity: 'warning', message: expect.stringContaining('variable "type" has no default') }));
    const v = r.resources[0]!.attributes.instance_type;
    expect(isUnknown(v) && v.reason).toContain('variable "type" has no value');
  });

  it('detects cyclic locals instead of looping', () => {
    const r = analyzeModule({ 'l.tf': 'locals {\n  a = local.b\n  b = local.a\n}\nresource "aws_ebs_volume" "x" {\n  size = local.a\n}\n' });
    expect(r.errors.some((e) => /cycle: local\.(a|b) -> local\.(a|b) -> local\.(a|b)/.test(e.message))).toBe(true);
    expect(isUnknown(r.resources[0]!.attributes.size)).toBe(true);
  });

  it('skips a binary file named .tf with an error', () => {
    const r = analyzeModule({ 'bin.tf': 'resource \u0000\u0001\u0002 garbage', 'ok.tf': 'resource "aws_ebs_volume" "b" {\n  size = 5\n}\n' });
    expect(r.errors).toContainEqual(expect.objectContaining({ file: 'bin.tf', line: 1, message: 'file is binary, not Terraform text; skipped' }));
    expect(r.resources).toHaveLength(1);
  });

  it('reads a 5 MB file', () => {
    const block = (i: number) => `resource "aws_ebs_volume" "v${i}" {\n  size = ${i % 100 + 1}\n  type = "gp3"\n  tags = { Name = "volume-${i}", team = "ml" }\n}\n\n`;
    let text = '';
    let i = 0;
    while (text.length < 5 * 1024 * 1024) text += block(i++);
    const r = analyzeModule({ 'big.tf': text });
    expect(r.errors).toEqual([expect.objectContaining({ severity: 'warning' })]);
    expect(r.resources).toHaveLength(i);
  });

  it('survives a deeply nested expression', () => {
    const deep = `${'['.repeat(5000)}1${']'.repeat(5000)}`;
    const r = analyzeModule({ 'deep.tf': `resource "aws_ebs_volume" "x" {\n  size = 1\n  tags = ${deep}\n}\nresource "aws_ebs_volume" "y" {\n  size = 2\n}\n` });
    expect(r.errors.some((e) => e.file === 'deep.tf' && e.line === 3)).toBe(true);
    expect(r.resources.map((x) => x.address)).toContain('aws_ebs_volume.y');
  });

  it('returns nothing, without errors, for an empty directory', () => {
    expect(analyzeModule({})).toEqual({ resources: [], errors: [], notAnalysed: [] });
  });
});

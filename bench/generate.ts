/** Generates synthetic Terraform trees for benchmarks (deterministic). */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const TYPES = ['m5.large', 'm6i.xlarge', 'c5.2xlarge', 'g5.xlarge', 'g5.2xlarge', 'r5.large', 'p4d.24xlarge', 't3.medium'];

function block(i: number): string {
  switch (i % 5) {
    case 0:
      return `resource "aws_instance" "vm_${i}" {\n  ami           = "ami-${i}"\n  instance_type = local.types[${i % TYPES.length}]\n  tags          = merge(local.tags, { Name = "vm-${i}" })\n  root_block_device {\n    volume_type = "gp3"\n    volume_size = ${20 + (i % 50)}\n  }\n}\n`;
    case 1:
      return `resource "aws_ebs_volume" "vol_${i}" {\n  availability_zone = "\${var.region}a"\n  size              = var.base_size * ${1 + (i % 7)}\n  type              = "${i % 2 ? 'gp3' : 'gp2'}"\n  tags              = local.tags\n}\n`;
    case 2:
      return `resource "aws_eks_node_group" "ng_${i}" {\n  cluster_name    = "c"\n  node_group_name = "ng-${i}"\n  node_role_arn   = "arn"\n  subnet_ids      = ["a", "b"]\n  instance_types  = ["${TYPES[i % TYPES.length]}"]\n  capacity_type   = ${i % 3 ? '"ON_DEMAND"' : '"SPOT"'}\n  scaling_config {\n    desired_size = ${1 + (i % 4)}\n    min_size     = 0\n    max_size     = 10\n  }\n}\n`;
    case 3:
      return `resource "aws_s3_bucket" "b_${i}" {\n  bucket = "bucket-\${var.env}-${i}"\n}\n`;
    default:
      return `resource "aws_security_group" "sg_${i}" {\n  name   = "sg-${i}"\n  vpc_id = "vpc-1"\n  ingress {\n    from_port   = 443\n    to_port     = 443\n    protocol    = "tcp"\n    cidr_blocks = [for n in range(3) : cidrsubnet("10.0.0.0/16", 8, n)]\n  }\n}\n`;
  }
}

/** A flat root: `files` files with `resources` resources in total. */
export function generateFlat(dir: string, files: number, resources: number): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'main.tf'),
    `provider "aws" {\n  region = var.region\n}\n\nvariable "region" {\n  default = "us-east-1"\n}\n\nvariable "env" {\n  default = "prod"\n}\n\nvariable "base_size" {\n  default = 10\n}\n\nlocals {\n  types = ${JSON.stringify(TYPES)}\n  tags  = { team = "ml", env = var.env }\n}\n`,
  );
  const per = Math.ceil(resources / files);
  let n = 0;
  for (let f = 0; f < files && n < resources; f++) {
    const parts: string[] = [];
    for (let k = 0; k < per && n < resources; k++) parts.push(block(n++));
    writeFileSync(join(dir, `r${String(f).padStart(3, '0')}.tf`), parts.join('\n'));
  }
}

/**
 * A root calling `modules` local modules; one of them expands a resource with for_each over
 * `forEachKeys` keys; about `resources` resources in total.
 */
export function generateModules(dir: string, modules: number, forEachKeys: number, resources: number): void {
  mkdirSync(dir, { recursive: true });
  const perModule = Math.floor((resources - forEachKeys) / modules);
  const calls: string[] = [];
  for (let m = 0; m < modules; m++) {
    const mdir = join(dir, 'modules', `m${String(m).padStart(2, '0')}`);
    mkdirSync(mdir, { recursive: true });
    writeFileSync(join(mdir, 'variables.tf'), `variable "env" {\n  type = string\n}\n\nvariable "keys" {\n  type    = list(string)\n  default = []\n}\n\nvariable "base_size" {\n  type    = number\n  default = 10\n}\n\nlocals {\n  types = ${JSON.stringify(TYPES)}\n  tags  = { team = "ml", env = var.env }\n}\n`);
    const blocks: string[] = [];
    for (let i = 0; i < perModule; i++) blocks.push(block(m * 1000 + i).replace('var.region', '"us-east-1"'));
    if (m === 0) blocks.push(`resource "aws_ebs_volume" "per_key" {\n  for_each          = toset(var.keys)\n  availability_zone = "us-east-1a"\n  size              = 10\n  tags              = merge(local.tags, { key = each.key })\n}\n`);
    blocks.push(`output "count" {\n  value = ${perModule}\n}\n`);
    writeFileSync(join(mdir, 'main.tf'), blocks.join('\n'));
    calls.push(`module "m${m}" {\n  source    = "./modules/m${String(m).padStart(2, '0')}"\n  env       = var.env\n  base_size = ${5 + (m % 10)}\n${m === 0 ? '  keys      = [for i in range(' + forEachKeys + ') : "k${i}"]\n' : ''}}\n`);
  }
  writeFileSync(
    join(dir, 'main.tf'),
    `provider "aws" {\n  region = "us-east-1"\n}\n\nvariable "env" {\n  default = "prod"\n}\n\n${calls.join('\n')}`,
  );
}

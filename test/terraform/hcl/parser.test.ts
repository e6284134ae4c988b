import { describe, expect, it } from '@jest/globals';
import { parseHcl } from '../../../src/analyzers/terraform/hcl/parser.js';
import { as, exprOf, parseOk, show, span } from './helpers.js';

describe('structure', () => {
  it('reads attributes and blocks with labels, with positions', () => {
    const src = [
      'region = "us-east-1"',
      '',
      'resource "aws_instance" web {',
      '  instance_type = "t3.micro"',
      '  ebs_block_device {',
      '    volume_size = 100',
      '  }',
      '}',
      '',
    ].join('\n');
    const { body } = parseOk(src);
    expect(span(body.range)).toBe('1:1-9:1');
    expect(body.range.end.offset).toBe(src.length);

    const region = body.attributes[0]!;
    expect(region.name).toBe('region');
    expect(span(region.nameRange)).toBe('1:1-1:7');
    expect(span(region.range)).toBe('1:1-1:21');
    expect(span(region.expr.range)).toBe('1:10-1:21');
    expect(region.expr.range.start.offset).toBe(9);

    const res = body.blocks[0]!;
    expect(res.type).toBe('resource');
    expect(res.labels).toEqual(['aws_instance', 'web']);
    expect(span(res.range)).toBe('3:1-8:2');
    expect(span(res.body.range)).toBe('3:29-8:2');
    const it0 = res.body.attributes[0]!;
    expect(it0.name).toBe('instance_type');
    expect(span(it0.nameRange)).toBe('4:3-4:16');
    expect(show(it0.expr)).toBe('"t3.micro"');
    const ebs = res.body.blocks[0]!;
    expect(ebs.type).toBe('ebs_block_device');
    expect(ebs.labels).toEqual([]);
    expect(span(ebs.range)).toBe('5:3-7:4');
    expect(span(ebs.body.attributes[0]!.range)).toBe('6:5-6:22');
  });

  it('reads one-line blocks, empty blocks and repeated blocks in order', () => {
    const { body } = parseOk('a { b = 1 }\nc {}\nd "x" { e = [1] }\nc {\n}\n');
    expect(body.blocks.map((b) => b.type)).toEqual(['a', 'c', 'd', 'c']);
    expect(show(body.blocks[0]!.body.attributes[0]!.expr)).toBe('1');
    expect(span(body.blocks[0]!.range)).toBe('1:1-1:12');
    expect(span(body.blocks[0]!.body.range)).toBe('1:3-1:12');
    expect(body.blocks[1]!.body.attributes).toEqual([]);
    expect(body.blocks[2]!.labels).toEqual(['x']);
  });

  it('unescapes quoted labels', () => {
    const { body } = parseOk('a "x\\"y" "\\u00e9" {}\n');
    expect(body.blocks[0]!.labels).toEqual(['x"y', 'é']);
  });

  it('skips all three comment styles', () => {
    const src = '# one\n// two\n/* three\n   lines */ a = 1 # tail\nb = /* mid */ 2 // tail\n/**/c = 3\n';
    const { body } = parseOk(src);
    expect(body.attributes.map((a) => [a.name, show(a.expr), a.range.start.line, a.range.start.col])).toEqual([
      ['a', '1', 4, 13],
      ['b', '2', 5, 1],
      ['c', '3', 6, 5],
    ]);
  });

  it('accepts CRLF line endings, a BOM, tabs and dashes in names', () => {
    const { body } = parseOk('\uFEFFa-b\t= 1\r\nblk {\r\n  c = 2\r\n}\r\n');
    expect(body.attributes[0]!.name).toBe('a-b');
    expect(body.blocks[0]!.body.attributes[0]!.name).toBe('c');
    expect(span(body.blocks[0]!.body.attributes[0]!.range)).toBe('3:3-3:8');
  });

  it('accepts unicode identifiers', () => {
    const { body } = parseOk('été = naïve\n');
    expect(body.attributes[0]!.name).toBe('été');
    expect(show(body.attributes[0]!.expr)).toBe('naïve');
  });

  it('accepts a file without a trailing newline and an empty file', () => {
    expect(parseOk('a = 1').body.attributes).toHaveLength(1);
    const empty = parseOk('');
    expect(empty.body.attributes).toEqual([]);
    expect(span(empty.body.range)).toBe('1:1-1:1');
  });
});

describe('literals', () => {
  it('reads numbers', () => {
    for (const [src, value] of [['1', 1], ['1.5', 1.5], ['1e3', 1000], ['1E+3', 1000], ['2.5e-1', 0.25], ['007', 7], ['1.e3', 1000]] as const) {
      const e = as(exprOf(`a = ${src}`), 'literal');
      expect(e.value).toBe(value);
      expect(span(e.range)).toBe(`1:5-1:${5 + src.length}`);
    }
  });

  it('reads true, false and null', () => {
    expect(as(exprOf('a = true'), 'literal').value).toBe(true);
    expect(as(exprOf('a = false'), 'literal').value).toBe(false);
    expect(as(exprOf('a = null'), 'literal').value).toBeNull();
  });

  it('reads strings with escapes as one literal part', () => {
    const e = as(exprOf('a = "x\\n\\t\\r\\"\\\\\\u00e9\\U0001F600"'), 'template');
    expect(e.heredoc).toBe(false);
    expect(e.parts).toEqual([{ kind: 'literal', value: 'x\n\t\r"\\é😀' }]);
    expect(span(e.range)).toBe('1:5-1:34');
  });

  it('keeps $${ and %%{ as literal ${ and %{', () => {
    const e = as(exprOf('a = "$${x} %%{y} $$ %% $ %"'), 'template');
    expect(e.parts).toEqual([{ kind: 'literal', value: '${x} %{y} $$ %% $ %' }]);
  });

  it('represents the empty string as one empty literal part', () => {
    expect(as(exprOf('a = ""'), 'template').parts).toEqual([{ kind: 'literal', value: '' }]);
  });
});

describe('templates', () => {
  it('splits interpolations from literal text', () => {
    const e = as(exprOf('a = "pre-${var.env}-post"'), 'template');
    expect(e.parts.map((p) => p.kind)).toEqual(['literal', 'interp', 'literal']);
    const interp = e.parts[1]!;
    if (interp.kind !== 'interp') throw new Error('interp expected');
    expect(show(interp.expr)).toBe('var.env');
    expect(span(interp.expr.range)).toBe('1:12-1:19');
    expect(interp.stripLeft).toBe(false);
  });

  it('nests templates inside interpolations', () => {
    expect(show(exprOf('a = "${"${x}-y"}"'))).toBe('${${x}"-y"}');
  });

  it('applies strip markers to the neighbouring literals', () => {
    const e = as(exprOf('a = "a  ${~ x ~}  b"'), 'template');
    expect(e.parts).toMatchObject([
      { kind: 'literal', value: 'a' },
      { kind: 'interp', stripLeft: true, stripRight: true },
      { kind: 'literal', value: 'b' },
    ]);
  });

  it('nests if / else / endif directives', () => {
    const e = as(exprOf('a = "x%{ if c ~}  yes %{~ else } no %{ endif }z"'), 'template');
    expect(e.parts).toHaveLength(3);
    const dir = e.parts[1]!;
    if (dir.kind !== 'if') throw new Error('if expected');
    expect(show(dir.cond)).toBe('c');
    expect(dir.then).toEqual([{ kind: 'literal', value: 'yes' }]);
    expect(dir.else).toEqual([{ kind: 'literal', value: ' no ' }]);
    expect(e.parts[2]).toEqual({ kind: 'literal', value: 'z' });
  });

  it('nests for directives with one or two variables', () => {
    const e = as(exprOf('a = "%{ for k, v in m }${k}=${v};%{ endfor }%{for x in l}${x}%{endfor}"'), 'template');
    const [f1, f2] = e.parts;
    if (f1?.kind !== 'for' || f2?.kind !== 'for') throw new Error('for expected');
    expect(f1.keyVar).toBe('k');
    expect(f1.valueVar).toBe('v');
    expect(show(f1.collection)).toBe('m');
    expect(f1.body.map((p) => p.kind)).toEqual(['interp', 'literal', 'interp', 'literal']);
    expect(f2.keyVar).toBeUndefined();
    expect(f2.valueVar).toBe('x');
  });

  it('allows newlines inside an interpolation', () => {
    expect(show(exprOf('a = "${\n  x +\n  1\n}"'))).toBe('${(x + 1)}');
  });
});

describe('heredocs', () => {
  it('keeps a plain heredoc verbatim, without escapes', () => {
    const src = 'a = <<EOT\n  one \\n\n    two $${x}\nEOT\nb = 1\n';
    const { body } = parseOk(src);
    const e = as(body.attributes[0]!.expr, 'template');
    expect(e.heredoc).toBe(true);
    expect(e.parts).toEqual([{ kind: 'literal', value: '  one \\n\n    two ${x}\n' }]);
    expect(span(e.range)).toBe('1:5-4:4');
    expect(show(body.attributes[1]!.expr)).toBe('1');
  });

  it('removes the smallest common indentation with <<-', () => {
    const src = 'a = <<-EOT\n    one\n      two\n\n    three\n  EOT\n';
    expect(as(exprOf(src), 'template').parts).toEqual([{ kind: 'literal', value: 'one\n  two\n\nthree\n' }]);
  });

  it('counts tabs as one column and ignores whitespace-only lines', () => {
    const src = 'a = <<-EOT\n\t\tone\n\t\t  two\n          \n\tEOT\n';
    expect(as(exprOf(src), 'template').parts).toEqual([{ kind: 'literal', value: 'one\n  two\n          \n' }]);
  });

  it('treats an interpolation at the start of a line as indentation 0', () => {
    const src = 'a = <<-EOT\n    x\n${y}\n    z\n  EOT\n';
    const e = as(exprOf(src), 'template');
    expect(e.parts.map((p) => (p.kind === 'literal' ? p.value : p.kind === 'interp' ? show(p.expr) : p.kind))).toEqual([
      '    x\n', 'y', '\n    z\n',
    ]);
  });

  it('trims indentation before interpolations that are not at the line start', () => {
    const e = as(exprOf('a = <<-EOT\n    v=${x}\n      w\n    EOT\n'), 'template');
    expect(e.parts[0]).toEqual({ kind: 'literal', value: 'v=' });
    expect(e.parts[2]).toEqual({ kind: 'literal', value: '\n  w\n' });
  });

  it('applies strip markers before removing indentation, as HCL does', () => {
    // The stripped line no longer starts with indentation, so nothing is removed anywhere.
    const e = as(exprOf('a = <<-EOT\n    x\n    ${~ y}\n    z\n  EOT\n'), 'template');
    expect(e.parts[0]).toEqual({ kind: 'literal', value: '    x\n' });
    expect(e.parts[2]).toEqual({ kind: 'literal', value: '\n    z\n' });
    // `~}` eats the newline, so "z" is no longer at a line start and keeps its indentation.
    const f = as(exprOf('a = <<-EOT\n    x\n    ${y ~}\n    z\n  EOT\n'), 'template');
    expect(f.parts[0]).toEqual({ kind: 'literal', value: 'x\n' });
    expect(f.parts[2]).toEqual({ kind: 'literal', value: '    z\n' });
  });

  it('accepts an indented closing marker and directives inside', () => {
    const src = 'a = <<EOT\n%{ for s in xs ~}\n- ${s}\n%{ endfor ~}\n   EOT\n';
    const e = as(exprOf(src), 'template');
    const loop = e.parts[0]!;
    if (loop.kind !== 'for') throw new Error('for expected');
    expect(loop.body[0]).toEqual({ kind: 'literal', value: '- ' });
    expect(loop.body[2]).toEqual({ kind: 'literal', value: '\n' });
  });

  it('is not ended by the marker followed by more text', () => {
    const e = as(exprOf('a = <<EOT\nEOTX\n EOT x\nEOT\n'), 'template');
    expect(e.parts).toEqual([{ kind: 'literal', value: 'EOTX\n EOT x\n' }]);
  });

  it('works as an item of a tuple and in an object', () => {
    const { body } = parseOk('a = [<<EOT\nx\nEOT\n, 1]\nb = {\n  k = <<-EOT\n    y\n  EOT\n}\n');
    expect(show(body.attributes[0]!.expr)).toBe('["x\\n", 1]');
    expect(show(body.attributes[1]!.expr)).toBe('{"k"="y\\n"}');
  });
});

describe('collections', () => {
  it('reads tuples across lines with trailing commas and comments', () => {
    const e = as(exprOf('a = [\n  1, # one\n  "two",\n  [3],\n]'), 'tuple');
    expect(show(e)).toBe('[1, "two", [3]]');
    expect(span(e.range)).toBe('1:5-5:2');
  });

  it('reads objects with every key form and both separators', () => {
    const e = as(exprOf('a = {\n  bare = 1\n  "quoted": 2, (var.k) = 3\n  x.y = 4, 5 = 6\n}'), 'object');
    expect(e.items.map((i) => i.bareKey)).toEqual([true, false, false, false, false]);
    expect(show(e)).toBe('{"bare"=1, "quoted"=2, (var.k)=3, x.y=4, 5=6}');
    const bare = as(e.items[0]!.key, 'template');
    expect(bare.parts).toEqual([{ kind: 'literal', value: 'bare' }]);
    expect(span(bare.range)).toBe('2:3-2:7');
    expect(span(e.range)).toBe('1:5-5:2');
  });

  it('reads empty and nested collections', () => {
    expect(show(exprOf('a = {}'))).toBe('{}');
    expect(show(exprOf('a = []'))).toBe('[]');
    expect(show(exprOf('a = { x = { y = [ { z = 1 } ] } }'))).toBe('{"x"={"y"=[{"z"=1}]}}');
  });
});

describe('traversals and calls', () => {
  it('reads attribute access, index and legacy index', () => {
    const e = exprOf('a = aws_instance.web[0].tags["Name"].x.0');
    expect(show(e)).toBe('aws_instance.web[0].tags["Name"].x[0]');
    const legacy = as(e, 'index');
    expect(span(legacy.key.range)).toBe('1:40-1:41');
    expect(span(legacy.range)).toBe('1:5-1:41');
  });

  it('reads full and attribute-only splats', () => {
    expect(show(exprOf('a = x[*].id'))).toBe('splat[*](x -> @.id)');
    expect(show(exprOf('a = x[*].a[0].b'))).toBe('splat[*](x -> @.a[0].b)');
    // The attribute-only splat stops at an index, which then applies to the result.
    expect(show(exprOf('a = x.*.a[0]'))).toBe('splat.*(x -> @.a)[0]');
    expect(show(exprOf('a = x[*]'))).toBe('splat[*](x -> @)');
    expect(show(exprOf('a = x[*].a[*].b'))).toBe('splat[*](splat[*](x -> @.a) -> @.b)');
    const s = as(exprOf('a = x[*].id'), 'splat');
    expect(s.full).toBe(true);
    expect(span(s.range)).toBe('1:5-1:12');
    expect(span(as(s.each, 'getattr').target.range)).toBe('1:6-1:9');
  });

  it('reads calls, namespaced provider functions and expansion', () => {
    const c = as(exprOf('a = merge(var.a, { b = 1 }, local.rest...)'), 'call');
    expect(c.name).toBe('merge');
    expect(c.args).toHaveLength(3);
    expect(c.expandFinal).toBe(true);
    expect(span(c.range)).toBe('1:5-1:43');
    const p = as(exprOf('a = provider::aws::arn_parse(x)'), 'call');
    expect(p.name).toBe('provider::aws::arn_parse');
    expect(show(p)).toBe('provider::aws::arn_parse(x)');
    expect(show(exprOf('a = f(\n  1,\n  2,\n)'))).toBe('f(1, 2)');
    expect(show(exprOf('a = f()'))).toBe('f()');
  });
});

describe('operators', () => {
  it('follows HCL precedence', () => {
    expect(show(exprOf('a = a || b && c == d < e + f * g'))).toBe('(a || (b && (c == (d < (e + (f * g))))))');
    expect(show(exprOf('a = a * b + c > d != e && f || g'))).toBe('((((((a * b) + c) > d) != e) && f) || g)');
    expect(show(exprOf('a = 1 - 2 - 3'))).toBe('((1 - 2) - 3)');
    expect(show(exprOf('a = 8 / 4 % 3 * 2'))).toBe('(((8 / 4) % 3) * 2)');
    expect(show(exprOf('a = 1 <= 2 == 3 >= 4'))).toBe('((1 <= 2) == (3 >= 4))');
  });

  it('binds unary operators tighter than binary ones and looser than traversals', () => {
    expect(show(exprOf('a = -x.y * 2'))).toBe('((-x.y) * 2)');
    expect(show(exprOf('a = !a && !!b'))).toBe('((!a) && (!(!b)))');
    expect(show(exprOf('a = - - 1'))).toBe('(-(-1))');
  });

  it('reads conditionals, right-nested', () => {
    const e = as(exprOf('a = x ? 1 : y ? 2 : 3'), 'conditional');
    expect(show(e)).toBe('(x ? 1 : (y ? 2 : 3))');
    expect(span(e.range)).toBe('1:5-1:22');
    expect(show(exprOf('a = a == b ? c + 1 : d'))).toBe('((a == b) ? (c + 1) : d)');
  });

  it('keeps parentheses and allows newlines inside them', () => {
    const e = as(exprOf('a = (\n  1 +\n  2\n) * 3'), 'binary');
    expect(show(e)).toBe('(((1 + 2)) * 3)');
    expect(span(e.left.range)).toBe('1:5-4:2');
  });

  it('gives every node of a binary expression its own range', () => {
    const e = as(exprOf('a = x + y * z'), 'binary');
    expect(span(e.range)).toBe('1:5-1:14');
    expect(span(e.left.range)).toBe('1:5-1:6');
    expect(span(e.right.range)).toBe('1:9-1:14');
  });
});

describe('for expressions', () => {
  it('reads tuple for with a condition', () => {
    const e = as(exprOf('a = [for s in var.list : upper(s) if s != ""]'), 'for');
    expect(e.isObject).toBe(false);
    expect(e.keyVar).toBeUndefined();
    expect(e.valueVar).toBe('s');
    expect(show(e)).toBe('for(,s in var.list: upper(s) if (s != ""))');
    expect(span(e.range)).toBe('1:5-1:46');
  });

  it('reads object for with key/value vars and grouping', () => {
    const e = as(exprOf('a = {\n  for k, v in var.map :\n  v.group => k...\n  if v.enabled\n}'), 'for');
    expect(e.isObject).toBe(true);
    expect(e.keyVar).toBe('k');
    expect(e.valueVar).toBe('v');
    expect(e.grouping).toBe(true);
    expect(show(e)).toBe('for(k,v in var.map: v.group => k... if v.enabled)');
  });

  it('reads nested for expressions', () => {
    expect(show(exprOf('a = [for x in [for y in z: y]: {for k in x: k => k}]'))).toBe(
      'for(,x in for(,y in z: y): for(,k in x: k => k))',
    );
  });
});

describe('newline handling', () => {
  it('ends an attribute at a newline outside brackets', () => {
    const { body } = parseOk('a = x\nb = [\n  1,\n  2\n]\nc = f(\n)\n');
    expect(body.attributes.map((a) => a.name)).toEqual(['a', 'b', 'c']);
  });

  it('treats newlines as object item separators', () => {
    expect(show(exprOf('a = {\n  x = 1\n  y = 2\n\n  z = 3,\n}'))).toBe('{"x"=1, "y"=2, "z"=3}');
  });

  it('ignores newlines inside for expressions, index brackets and calls', () => {
    expect(show(exprOf('a = x[\n  0\n]'))).toBe('x[0]');
    expect(show(exprOf('a = [\n  for v in x :\n  v\n]'))).toBe('for(,v in x: v)');
  });
});

describe('a realistic file', () => {
  it('parses a Terraform module', () => {
    const src = `
terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.0"
    }
  }
}

variable "instance_count" {
  type    = number
  default = 2
  validation {
    condition     = var.instance_count > 0
    error_message = "Must be positive."
  }
}

locals {
  name = "\${var.prefix}-web"
  tags = merge(var.tags, { Name = local.name })
  user_data = <<-EOT
    #!/bin/bash
    echo "hello \${local.name}"
  EOT
}

resource "aws_instance" "web" {
  count         = var.instance_count
  ami           = data.aws_ami.ubuntu.id
  instance_type = var.instance_count > 1 ? "t3.large" : "t3.micro"
  tags          = local.tags

  dynamic "ebs_block_device" {
    for_each = var.volumes
    content {
      volume_size = ebs_block_device.value.size
    }
  }

  lifecycle { create_before_destroy = true }
}

output "ids" { value = aws_instance.web[*].id }
`;
    const r = parseHcl(src);
    expect(r.errors).toEqual([]);
    expect(r.body.blocks.map((b) => [b.type, ...b.labels].join(' '))).toEqual([
      'terraform', 'variable instance_count', 'locals', 'resource aws_instance web', 'output ids',
    ]);
    const web = r.body.blocks[3]!;
    expect(web.body.attributes.map((a) => a.name)).toEqual(['count', 'ami', 'instance_type', 'tags']);
    expect(web.body.blocks.map((b) => b.type)).toEqual(['dynamic', 'lifecycle']);
    expect(web.body.blocks[0]!.body.blocks[0]!.type).toBe('content');
    const ud = as(r.body.blocks[2]!.body.attributes[2]!.expr, 'template');
    expect(ud.parts[0]).toEqual({ kind: 'literal', value: '#!/bin/bash\necho "hello ' });
    expect(show(r.body.blocks[4]!.body.attributes[0]!.expr)).toBe('splat[*](aws_instance.web -> @.id)');
  });
});

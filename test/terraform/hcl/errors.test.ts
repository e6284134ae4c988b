import { describe, expect, it } from '@jest/globals';
import type { ParseResult } from '../../../src/analyzers/terraform/hcl/ast.js';
import { parseHcl } from '../../../src/analyzers/terraform/hcl/parser.js';
import { allRanges, errorPosChecker, positionChecker, show } from './helpers.js';

/** `line:col message` of every error. */
function errs(r: ParseResult): string[] {
  return r.errors.map((e) => `${e.line}:${e.col} ${e.message}`);
}

function firstError(src: string): string {
  const e = errs(parseHcl(src))[0];
  if (e === undefined) throw new Error(`no error for ${JSON.stringify(src)}`);
  return e;
}

function blockNames(r: ParseResult): string[] {
  return r.body.blocks.map((b) => [b.type, ...b.labels].join('.'));
}

describe('error messages', () => {
  it('point at the offending token with a readable message', () => {
    expect(firstError('resource "a" "b" {\n  instance_type "t3.micro"\n}\n')).toBe(
      '2:17 expected "=" or "{" after "instance_type", found a value',
    );
    expect(firstError('instance_type\n')).toBe('1:14 expected "=" or "{" after "instance_type", found end of line');
    expect(firstError('a = \n')).toBe('1:5 expected an expression, found end of line');
    expect(firstError('a = 1 +\n')).toBe('1:8 expected an expression, found end of line');
    expect(firstError('a = 1 2\n')).toBe('1:7 expected a newline after the value of "a", found "2"');
    expect(firstError('a = [1 2]\n')).toBe('1:8 expected "," or "]" after a tuple item, found "2"');
    expect(firstError('a = { x = 1 y = 2 }\n')).toBe('1:13 expected "," or a newline after an object item, found "y"');
    expect(firstError('a = { x }\n')).toBe('1:9 expected "=" or ":" after the object key, found "}"');
    expect(firstError('a = f(1 2)\n')).toBe('1:9 expected "," or ")" after an argument of "f", found "2"');
    expect(firstError('a = x ? 1\n')).toBe('1:10 expected ":" in the conditional expression, found end of line');
    expect(firstError('a = x.\n')).toBe('1:7 expected an attribute name after ".", found end of line');
    expect(firstError('a = x.0.1\n')).toBe('1:7 legacy index syntax cannot be chained like ".0.1"; write [0][1] instead');
    expect(firstError("a = 'x'\n")).toBe('1:5 single quotes are not valid; use double quotes (") to enclose strings');
    expect(firstError('a = x & y\n')).toBe(
      '1:7 expected a newline after the value of "a", found "&" (bitwise operators are not supported; did you mean "&&"?)',
    );
    expect(firstError('a = & y\n')).toBe('1:5 bitwise operators are not supported; did you mean "&&"?');
    expect(firstError('a = "\\q"\n')).toMatch(/^1:6 invalid escape sequence "\\q"/);
    expect(firstError('a = "\\u12"\n')).toMatch(/^1:6 invalid escape sequence: "\\u" must be followed by 4 hexadecimal digits/);
    expect(firstError('a = 0.1.2\n')).toBe('1:5 invalid number literal "0.1.2"');
    expect(firstError('a = [for x in y: x...]\n')).toMatch(/^1:19 the grouping "\.\.\." is only allowed in an object "for"/);
    expect(firstError('a = {for x in y: x}\n')).toBe('1:19 expected "=>" after the key of an object "for", found "}"');
    expect(firstError('a = [for, 1]\n')).toBe('1:9 expected a variable name after "for", found ","');
    expect(firstError('a = a::b\n')).toBe('1:9 expected "(" after the function name "a::b", found end of line');
    expect(firstError('a = f(x..., y)\n')).toBe('1:11 expected ")" right after "..." in the call to "f", found ","');
    expect(firstError('a = "\u0000"\nb = \u0000\n')).toBe('2:5 invalid character NUL (U+0000)');
  });

  it('reject what HCL rejects in block syntax', () => {
    expect(firstError('a { b = 1\n}\n')).toMatch(/^1:10 a single-line block must be closed on the same line/);
    expect(firstError('a { b {} }\n')).toMatch(/^1:5 a single-line block can only contain one "name = value" argument/);
    expect(firstError('a {} b = 1\n')).toBe('1:6 expected a newline after the "}" that closes block "a", found "b"');
    expect(firstError('a b = 1\n')).toBe('1:5 expected "{" to open block "a", found "="');
    expect(firstError('a "${x}" {}\n')).toBe('1:3 block labels must be plain strings: "${" and "%{" sequences are not allowed here');
    expect(firstError('}\n')).toBe('1:1 unexpected "}": there is no open block to close');
    expect(firstError('= 1\n')).toBe('1:1 expected an attribute or block name, found "="');
    expect(firstError('a = 1\nb = 2\na = 3\n')).toBe(
      '3:1 attribute "a" is already defined at line 1, column 1; each attribute may be set only once',
    );
  });

  it('report template directive mistakes', () => {
    expect(firstError('a = "%{ if x }y"\n')).toBe('1:6 "%{ if }" is never closed by "%{ endif }"');
    expect(firstError('a = "%{ endif }"\n')).toBe('1:6 "%{ endif }" without a matching "%{ if }"');
    expect(firstError('a = "%{ for x in y }%{ else }%{ endfor }"\n')).toBe('1:21 "%{ else }" without a matching "%{ if }"');
    expect(firstError('a = "%{ foo }"\n')).toMatch(/^1:9 unknown template directive "foo"/);
    expect(firstError('a = "${x"\n')).toBe('1:9 expected "}" to close the "${" at line 1, column 6, found a quoted string');
  });
});

describe('unterminated constructs are reported where they start', () => {
  it('string', () => {
    const r = parseHcl('a = "abc\nb = 2\n');
    expect(errs(r)).toEqual(['1:5 unterminated string: no closing quote (") on this line']);
    expect(r.body.attributes.map((a) => a.name)).toEqual(['a', 'b']);
  });

  it('interpolation running into the next lines', () => {
    const r = parseHcl('a = "x${y\nb = 2\nc = 3\n');
    expect(errs(r)[0]).toMatch(/^2:1 expected "}" to close the "\${" at line 1, column 7/);
    expect(errs(r)).toContain('1:5 unterminated string: no closing quote (") on this line');
    expect(r.body.attributes.map((a) => a.name)).toEqual(['a', 'b', 'c']);
  });

  it('heredoc, without swallowing the rest of the file', () => {
    const r = parseHcl('x = 1\na = <<EOT\nhello\nb = 2\n');
    expect(errs(r)[0]).toBe('2:5 unterminated heredoc: no line with the closing marker "EOT"');
    expect(r.body.attributes.map((a) => a.name)).toEqual(['x', 'a', 'b']);
    expect(r.body.attributes[1]!.expr.type).toBe('invalid');
  });

  it('block', () => {
    const r = parseHcl('locals {\n  a = 1\n\nresource "x" "y" {\n  b = 2\n}\n');
    expect(errs(r)).toEqual(['1:1 unclosed block "locals": no matching "}" before the end of the file']);
    const locals = r.body.blocks[0]!;
    expect(locals.body.attributes.map((a) => a.name)).toEqual(['a']);
    expect(locals.body.blocks.map((b) => b.type)).toEqual(['resource']);
  });

  it('brackets', () => {
    expect(errs(parseHcl('a = [1, 2'))).toEqual(['1:5 unclosed "[": no matching "]" before the end of the file']);
    expect(errs(parseHcl('a = {\n  b = 1\n'))).toEqual(['1:5 unclosed "{": no matching "}" before the end of the file']);
    expect(errs(parseHcl('a = f(1,\n'))).toEqual([
      '1:6 unclosed "(" in the call to "f": no matching ")" before the end of the file',
    ]);
    expect(errs(parseHcl('a = /* never closed\nb = 1\n'))).toContain(
      '1:5 unterminated comment: "/*" has no closing "*/"',
    );
  });
});

describe('recovery', () => {
  it('keeps the blocks after a broken attribute', () => {
    const src = [
      'resource "aws_instance" "a" {',
      '  ami = "ami-1"',
      '  instance_type "t3.micro"',
      '  tags = { Name = "a" }',
      '}',
      '',
      'resource "aws_s3_bucket" "b" {',
      '  bucket = "b"',
      '}',
      '',
      'output "o" { value = 1 }',
    ].join('\n');
    const r = parseHcl(src);
    expect(errs(r)).toEqual(['3:17 expected "=" or "{" after "instance_type", found a value']);
    expect(blockNames(r)).toEqual(['resource.aws_instance.a', 'resource.aws_s3_bucket.b', 'output.o']);
    expect(r.body.blocks[0]!.body.attributes.map((a) => a.name)).toEqual(['ami', 'tags']);
    expect(show(r.body.blocks[1]!.body.attributes[0]!.expr)).toBe('"b"');
  });

  it('keeps going after a bad expression in the middle of a line', () => {
    const r = parseHcl('a {\n  x = 1 + * 2\n  y = (3\n  z = [1, 2\n  w = f(\n}\nb {\n  v = 4\n}\n');
    expect(r.errors.length).toBeGreaterThan(0);
    expect(r.errors[0]).toEqual({ line: 2, col: 11, message: 'expected an expression, found "*"' });
    expect(blockNames(r)).toEqual(['a', 'b']);
    expect(r.body.blocks[0]!.body.attributes.map((a) => a.name)).toEqual(['x', 'y', 'z', 'w']);
    expect(r.body.blocks[1]!.body.attributes.map((a) => a.name)).toEqual(['v']);
  });

  it('stops an unclosed bracket at the next line that starts a block', () => {
    const r = parseHcl('locals {\n  ids = [1, 2\n}\n\nresource "a" "b" {\n  n = 1\n}\n');
    expect(errs(r)).toEqual(['2:9 unclosed "[": no matching "]"']);
    expect(blockNames(r)).toEqual(['locals', 'resource.a.b']);
  });

  it('stops an unclosed object at the next block', () => {
    const r = parseHcl('tags = {\n  a = 1\n  b =\nresource "a" "b" {\n  n = 1\n}\n');
    expect(errs(r)[0]).toBe('3:6 expected an expression, found end of line');
    expect(blockNames(r)).toEqual(['resource.a.b']);
  });

  it('reads a one-line block that spills onto the next lines as a normal block', () => {
    const r = parseHcl('a { b = 1\n  c = 2\n}\nd = 3\n');
    expect(r.errors).toHaveLength(1);
    expect(r.body.blocks[0]!.body.attributes.map((a) => a.name)).toEqual(['b', 'c']);
    expect(r.body.attributes.map((a) => a.name)).toEqual(['d']);
  });

  it('skips garbage lines and stray closing braces', () => {
    const r = parseHcl('a = 1\n@@@ ### \n!!\n}\n] ) b = 2\nc = 3\n');
    expect(r.body.attributes.map((a) => a.name)).toEqual(['a', 'c']);
    expect(r.errors.map((e) => e.line)).toEqual([2, 3, 4, 5]);
  });

  it('keeps the first definition of a duplicated attribute', () => {
    const r = parseHcl('a = 1\na = 2\n');
    expect(r.body.attributes).toHaveLength(1);
    expect(show(r.body.attributes[0]!.expr)).toBe('1');
  });

  it('records an invalid expression where a value is missing', () => {
    const r = parseHcl('a =\nb = 1\n');
    expect(r.body.attributes[0]!.expr).toEqual({
      type: 'invalid',
      range: { start: { line: 1, col: 4, offset: 3 }, end: { line: 1, col: 4, offset: 3 } },
    });
    expect(r.body.attributes[1]!.name).toBe('b');
  });
});

describe('nesting limits', () => {
  for (const [open, close] of [['[', ']'], ['(', ')'], ['{a=', '}']] as const) {
    it(`reports 100,000 nested "${open}" as an error without crashing`, () => {
      const n = 100_000;
      const src = 'a = ' + open.repeat(n) + '1' + close.repeat(n) + '\nb = 2\n';
      const r = parseHcl(src);
      const deep = r.errors.find((e) => e.message.includes('nesting is deeper than 256 levels'));
      expect(deep).toBeDefined();
      expect(deep!.line).toBe(1);
      // The attribute value is level 1, so level 257 is the first one too deep: the 257th
      // opener, or for objects the key of the 256th.
      expect(deep!.col).toBe(open === '{a=' ? 5 + 255 * 3 + 1 : 5 + 256);
      expect(r.body.attributes.map((a) => a.name)).toEqual(['a', 'b']);
    });
  }

  it('survives 100,000 unclosed "[" and "(" and other deep chains', () => {
    for (const src of [
      'a = ' + '['.repeat(100_000),
      'a = ' + '('.repeat(100_000),
      'a = ' + '- '.repeat(100_000) + '1',
      'a = ' + '!'.repeat(100_000) + 'x',
      'a = ' + '"${'.repeat(20_000),
      'a = ' + 'x ? '.repeat(50_000) + '1',
      'a {\n'.repeat(20_000),
      'a = ' + '[for x in '.repeat(20_000),
    ]) {
      const r = parseHcl(src);
      expect(r.errors.length).toBeGreaterThan(0);
      expect(r.errors.length).toBeLessThanOrEqual(1001);
      for (const e of r.errors) expect(e.line).toBeGreaterThanOrEqual(1);
    }
  });

  it('reports nested blocks deeper than the limit', () => {
    const src = 'a {\n'.repeat(300) + '}\n'.repeat(300);
    const r = parseHcl(src);
    expect(r.errors).toEqual([{ line: 257, col: 3, message: 'nesting is deeper than 256 levels' }]);
  });

  it('honours maxDepth', () => {
    expect(parseHcl('a = [[[1]]]', { maxDepth: 4 }).errors).toEqual([]);
    expect(parseHcl('a = [[[[1]]]]', { maxDepth: 4 }).errors).toEqual([
      { line: 1, col: 9, message: 'nesting is deeper than 4 levels' },
    ]);
    // Long flat chains are not nesting.
    expect(parseHcl('a = ' + Array.from({ length: 20_000 }, (_, i) => `x${i}`).join(' + ')).errors).toEqual([]);
  });
});

describe('hostile input', () => {
  it('does not throw on binary data and reports valid positions', () => {
    let seed = 12345;
    const rand = (): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed;
    };
    for (let round = 0; round < 50; round++) {
      const codes = Array.from({ length: 2000 }, () => rand() % 256);
      const src = String.fromCharCode(...codes);
      const r = parseHcl(src);
      const validError = errorPosChecker(src);
      for (const e of r.errors) expect(validError(e.line, e.col)).toBe(true);
      const valid = positionChecker(src);
      for (const range of allRanges(r)) {
        expect(valid(range.start)).toBe(true);
        expect(valid(range.end)).toBe(true);
      }
    }
  });

  it('caps the number of errors and stays fast on a large garbage file', () => {
    const src = '@ ~ \' ` ^\n'.repeat(200_000);
    const t0 = Date.now();
    const r = parseHcl(src);
    expect(Date.now() - t0).toBeLessThan(5000);
    expect(r.errors.length).toBe(1001);
    expect(r.errors[1000]!.message).toMatch(/too many errors/);
  });

  it('handles lone surrogates and unusual whitespace', () => {
    const r = parseHcl('a = "\uD800"\nb\u00A0= 1\nc = \uDFFF\n');
    expect(r.body.attributes.map((a) => a.name)).toContain('a');
    expect(r.errors.length).toBeGreaterThan(0);
  });
});

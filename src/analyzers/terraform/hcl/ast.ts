/**
 * Syntax tree of HCL native syntax (the `.tf` language), with a position on every node.
 * Produced by parser.ts, consumed by the Terraform evaluator. Plain data only.
 */

/** 1-based line and column (column counts UTF-16 code units), 0-based offset. */
export interface Pos {
  line: number;
  col: number;
  offset: number;
}

export interface Range {
  start: Pos;
  end: Pos;
}

export interface Body {
  attributes: Attribute[];
  blocks: Block[];
  range: Range;
}

export interface Attribute {
  name: string;
  expr: Expr;
  /** From the attribute name to the end of its expression. */
  range: Range;
  nameRange: Range;
}

export interface Block {
  type: string;
  /** Labels, unquoted (`resource "aws_instance" "web"` -> ['aws_instance', 'web']). */
  labels: string[];
  body: Body;
  /** From the block type to the closing brace. */
  range: Range;
}

export type Expr =
  | LiteralExpr
  | TemplateExpr
  | TupleExpr
  | ObjectExpr
  | VariableExpr
  | GetAttrExpr
  | IndexExpr
  | SplatExpr
  | SplatAnchorExpr
  | CallExpr
  | UnaryExpr
  | BinaryExpr
  | ConditionalExpr
  | ForExpr
  | ParenExpr
  | InvalidExpr;

/** Numbers, `true`, `false`, `null`. Strings without interpolation are TemplateExpr with one literal part. */
export interface LiteralExpr {
  type: 'literal';
  value: number | boolean | null;
  range: Range;
}

/** A quoted string or a heredoc. Heredoc `<<-` indentation is already removed. */
export interface TemplateExpr {
  type: 'template';
  parts: TemplatePart[];
  heredoc: boolean;
  range: Range;
}

export type TemplatePart =
  | { kind: 'literal'; value: string }
  | { kind: 'interp'; expr: Expr; stripLeft: boolean; stripRight: boolean }
  | { kind: 'if'; cond: Expr; then: TemplatePart[]; else?: TemplatePart[] }
  | { kind: 'for'; keyVar?: string; valueVar: string; collection: Expr; body: TemplatePart[] };

export interface TupleExpr {
  type: 'tuple';
  items: Expr[];
  range: Range;
}

export interface ObjectItem {
  /** A bare identifier key is a TemplateExpr with one literal part, flagged by `bareKey`. */
  key: Expr;
  bareKey: boolean;
  value: Expr;
}

export interface ObjectExpr {
  type: 'object';
  items: ObjectItem[];
  range: Range;
}

/** A root name: `var`, `local`, `aws_instance`, `each`, `count`, a for-variable, ... */
export interface VariableExpr {
  type: 'variable';
  name: string;
  range: Range;
}

export interface GetAttrExpr {
  type: 'getattr';
  target: Expr;
  name: string;
  range: Range;
}

/** `x[key]`, and legacy `x.0` (key is a numeric literal). */
export interface IndexExpr {
  type: 'index';
  target: Expr;
  key: Expr;
  range: Range;
}

/**
 * `x[*].a.b` (full) or `x.*.a.b` (attribute-only). `each` is the traversal applied to every
 * element, written against a SplatAnchorExpr standing for the element.
 */
export interface SplatExpr {
  type: 'splat';
  target: Expr;
  each: Expr;
  full: boolean;
  range: Range;
}

export interface SplatAnchorExpr {
  type: 'splat-anchor';
  range: Range;
}

export interface CallExpr {
  type: 'call';
  /** Function name, including a namespace for provider functions (`provider::aws::arn_parse`). */
  name: string;
  args: Expr[];
  /** The last argument was followed by `...`. */
  expandFinal: boolean;
  range: Range;
}

export interface UnaryExpr {
  type: 'unary';
  op: '-' | '!';
  operand: Expr;
  range: Range;
}

export type BinaryOp = '||' | '&&' | '==' | '!=' | '<' | '<=' | '>' | '>=' | '+' | '-' | '*' | '/' | '%';

export interface BinaryExpr {
  type: 'binary';
  op: BinaryOp;
  left: Expr;
  right: Expr;
  range: Range;
}

export interface ConditionalExpr {
  type: 'conditional';
  cond: Expr;
  then: Expr;
  else: Expr;
  range: Range;
}

/** `[for k, v in coll : v if cond]` and `{for k, v in coll : k => v... if cond}`. */
export interface ForExpr {
  type: 'for';
  keyVar?: string;
  valueVar: string;
  collection: Expr;
  /** Present only for object-for expressions. */
  keyExpr?: Expr;
  valueExpr: Expr;
  cond?: Expr;
  /** `...` after the value in an object-for (grouping mode). */
  grouping: boolean;
  isObject: boolean;
  range: Range;
}

export interface ParenExpr {
  type: 'paren';
  expr: Expr;
  range: Range;
}

/** Stands where the parser could not read an expression; the error is in ParseResult.errors. */
export interface InvalidExpr {
  type: 'invalid';
  range: Range;
}

export interface ParseError {
  line: number;
  col: number;
  message: string;
}

export interface ParseResult {
  body: Body;
  /** Empty when the file parsed cleanly. The body holds everything that could still be read. */
  errors: ParseError[];
}

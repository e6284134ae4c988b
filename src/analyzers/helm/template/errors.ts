/** Errors raised while parsing or executing templates, with their source positions. */

export type TemplateErrorKind = 'parse' | 'exec' | 'fail' | 'limit';

/** A template source (a file, or the text given to `tpl`), with line lookup. */
export class Source {
  private lineStarts: number[] | undefined;

  constructor(readonly name: string, readonly text: string) {}

  /** 1-based line and column (in characters) of an offset. */
  locate(pos: number): { line: number; column: number } {
    if (!this.lineStarts) {
      const starts = [0];
      for (let i = 0; i < this.text.length; i++) if (this.text.charCodeAt(i) === 10) starts.push(i + 1);
      this.lineStarts = starts;
    }
    const starts = this.lineStarts;
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((starts[mid] ?? 0) <= pos) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: pos - (starts[lo] ?? 0) + 1 };
  }
}

export interface Location {
  file: string;
  line: number;
  column: number;
}

/** A syntax error in a template source. */
export class ParseError extends Error {
  constructor(message: string, readonly source: Source, readonly pos: number) {
    super(message);
  }

  location(): Location {
    return { file: this.source.name, ...this.source.locate(this.pos) };
  }
}

/**
 * An error a function raises. `kind` 'fail' is for `fail` and `required`, whose messages are the
 * chart's own; 'limit' for the engine's resource limits.
 */
export class FuncError extends Error {
  constructor(message: string, readonly kind: 'exec' | 'fail' | 'limit' = 'exec') {
    super(message);
  }
}

/** The engine's budget is exhausted (steps, output, depth, time): never caught by templates. */
export class LimitError extends FuncError {
  constructor(message: string) {
    super(message, 'limit');
  }
}

/** A call site an error travelled through (include, template, tpl), innermost first. */
export interface Frame extends Location {
  /** What was called there: `include "name"`, `template "name"`, `tpl`. */
  call: string;
}

/** An execution error at a node, carrying the call sites it passed through. */
export class ExecError extends Error {
  readonly frames: Frame[] = [];

  constructor(
    message: string,
    readonly kind: TemplateErrorKind,
    readonly origin: Location,
    /** The action being evaluated, as Go prints it in "at <...>". */
    readonly near?: string,
  ) {
    super(message);
  }
}

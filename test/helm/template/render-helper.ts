/** Small helpers to render one template (named like a chart's) and read its output or error. */
import { renderTemplates, type RenderError, type RenderInput } from '../../../src/analyzers/helm/template/index.js';

export const NAME = 'mychart/templates/test.yaml';

export function input(templates: Record<string, string>, values: unknown = {}, extra: Partial<RenderInput> = {}): RenderInput {
  const { templates: _ignored, ...rest } = extra;
  return {
    values,
    release: { Name: 'rel', Namespace: 'ns' },
    chart: { name: 'mychart', version: '1.2.3', appVersion: '4.5.6' },
    ...rest,
    templates,
  };
}

/** Renders `src` as mychart/templates/test.yaml; throws if it fails. */
export function render(src: string, values: unknown = {}, extra: Partial<RenderInput> = {}): string {
  const r = renderTemplates(input({ [NAME]: src, ...(extra.templates ?? {}) }, values, extra));
  const err = r.errors[0];
  if (err) throw new Error(`${err.kind} error at ${err.template}:${err.line}:${err.column ?? 0}: ${err.message}`);
  const out = r.outputs[NAME];
  if (out === undefined) throw new Error('no output');
  return out;
}

/** Renders `src` and returns its (first) error; throws if it renders. */
export function renderError(src: string, values: unknown = {}, extra: Partial<RenderInput> = {}): RenderError {
  const r = renderTemplates(input({ [NAME]: src, ...(extra.templates ?? {}) }, values, extra));
  const err = r.errors[0];
  if (!err) throw new Error(`expected an error, got output ${JSON.stringify(r.outputs[NAME])}`);
  return err;
}

/**
 * A Go text/template engine with Helm's semantics and the Sprig functions charts use, so that
 * charts render without the helm binary. Pure: no file system, process or network access;
 * `.Files` content is passed in.
 */
export { renderTemplates, helmTemplateOrder, DEFAULT_NOW } from './render.js';
export type { RenderInput, RenderResult, RenderError, ChartScope, ReleaseInput } from './render.js';
export type { CapabilitiesInput, FileContent } from './helm.js';
export { DEFAULT_KUBE_VERSION, defaultApiVersions } from './helm.js';
export { DEFAULT_LIMITS } from './exec.js';
export type { Limits } from './exec.js';
export { GoInt, goInt } from './values.js';
export { toYaml, fromYaml, parseHelmYaml } from './encoding.js';

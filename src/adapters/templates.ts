/**
 * Reads the Handlebars templates (`templates/**\/*.hbs` at the package root, the source of truth)
 * for the report layer, which may not touch the file system itself. Keys are paths relative to
 * `templates/` without `.hbs`: `comment`, `check-summary`, `partials/project-table`.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRenderer } from '../report/render.js';
import type { Renderer } from '../report/render.js';

/**
 * The `templates/` folder: the nearest one above this module that holds `comment.hbs`. Works from
 * `src/adapters` (tsx, jest) and from `dist/adapters` (the published package ships `templates/`).
 */
export function templatesDir(from: string = dirname(fileURLToPath(import.meta.url))): string {
  let dir = from;
  for (;;) {
    const candidate = join(dir, 'templates');
    if (existsSync(join(candidate, 'comment.hbs'))) return candidate;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`mlcost templates not found above ${from}`);
    dir = parent;
  }
}

/** Every `.hbs` file under `dir`, keyed by its relative path without the extension. */
export function loadTemplates(dir: string = templatesDir()): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (sub: string): void => {
    for (const entry of readdirSync(join(dir, sub), { withFileTypes: true })) {
      const rel = sub ? `${sub}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(rel);
      else if (entry.name.endsWith('.hbs')) out[rel.slice(0, -'.hbs'.length)] = readFileSync(join(dir, rel), 'utf8');
    }
  };
  walk('');
  return out;
}

let cached: Renderer | undefined;

/** A renderer over the package's own templates, read once per process. */
export function loadRenderer(): Renderer {
  cached ??= createRenderer(loadTemplates());
  return cached;
}

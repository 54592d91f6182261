import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

function findRoot(): string {
  // Walk up from this file: it runs from src/ under Vitest and from a bundle chunk in dist/.
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`trainpool: no package.json above ${fileURLToPath(import.meta.url)}`);
    dir = parent;
  }
  return dir;
}

/** The package root. */
export const projectRoot = findRoot();

/** The folder at or above `from` that holds a package.json, if any. */
function packageAbove(from: string): string | undefined {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) return undefined;
  }
}

/**
 * The version of this package, or of a dependency as Node resolves it: in our node_modules, or,
 * installed into another project, in the node_modules of any folder above ours.
 */
export function packageVersion(name?: string): string {
  const candidates = name
    ? [projectRoot, ...ancestors(projectRoot)].map((dir) => join(dir, 'node_modules', name, 'package.json'))
    : [join(projectRoot, 'package.json')];
  for (const path of candidates) {
    try {
      return (JSON.parse(readFileSync(path, 'utf8')) as { version: string }).version;
    } catch {
      // Not there: look further up.
    }
  }
  return 'unknown';
}

function ancestors(dir: string): string[] {
  const out: string[] = [];
  for (let d = dirname(dir); d !== dirname(d); d = dirname(d)) out.push(d);
  return out;
}

/**
 * Where run folders go unless told otherwise: results/ in the project the command runs in (the
 * nearest folder with a package.json at or above the working directory), else in the working
 * directory itself.
 */
export function defaultResultsDir(cwd = process.cwd()): string {
  return join(packageAbove(cwd) ?? cwd, 'results');
}

/** A path as people read it: relative to the working folder when it lies below it and that is shorter. */
export function shown(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel && !rel.startsWith('..') && rel.length < path.length ? rel : path;
}

/** A name as it may stand in a file name: lower case, runs of other characters as one dash. */
export function slug(name: string, max = 40): string {
  return (
    name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '')
      .slice(0, max) || 'data'
  );
}

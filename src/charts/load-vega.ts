// Loads the bundled vega (dist/charts/vega.cjs) with a V8 code cache beside it. Compiling ~1 MB of
// vega on every `npm run train` would cost more CPU than drawing the charts; with the cache, V8
// reuses the bytecode of the functions the first run needed. The cache is written after the first
// run that draws, and ignored (V8 says "rejected") when Node or the bundle changed.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { Script } from 'node:vm';
import type * as Vega from 'vega';
import { writeFileAtomic } from '../results/write.js';
import { projectRoot } from '../paths.js';

export type VegaLib = Pick<typeof Vega, 'View'>;

const LIB = join(projectRoot, 'dist/charts/vega.cjs');
const CACHE = join(projectRoot, 'dist/charts/vega.cache');

let loaded: { lib: VegaLib; script: Script; cached: boolean } | undefined;

export function loadVega(): VegaLib {
  if (loaded) return loaded.lib;
  let source: string;
  try {
    source = readFileSync(LIB, 'utf8');
  } catch (error) {
    throw new Error(
      `chart renderer not built: ${LIB}: ${(error as NodeJS.ErrnoException).code}; run \`npm run build\``,
    );
  }
  let cachedData: Buffer | undefined;
  try {
    cachedData = readFileSync(CACHE);
  } catch {
    cachedData = undefined;
  }
  const script = new Script(source, { filename: LIB, ...(cachedData ? { cachedData } : {}) });
  const factory = script.runInThisContext() as (module: { exports: unknown }, require: NodeJS.Require) => void;
  const module = { exports: {} as VegaLib };
  factory(module, createRequire(LIB));
  loaded = { lib: module.exports, script, cached: cachedData !== undefined && !script.cachedDataRejected };
  return loaded.lib;
}

/** After drawing: writes the code cache if there was none, so the next run starts warm. */
export async function saveVegaCache(): Promise<void> {
  if (!loaded || loaded.cached) return;
  loaded.cached = true;
  try {
    await writeFileAtomic(CACHE, loaded.script.createCachedData());
  } catch {
    // A read-only install draws the same charts, only slower.
  }
}

// The build: bundles the commands (src/commands/*.ts), the API (src/api/index.ts) and the thread
// entries (workers/*.ts) into dist/ with esbuild, and compiles the chart templates. Type-checking
// is `npm run typecheck`; `--pack` (npm's prepack) also drops chunks of earlier builds and writes
// the API's declarations (dist/types/, by tsc), for a package that holds exactly this build. The
// runner executes bundled JS because worker threads on Node 20 cannot load .ts, a TypeScript loader
// costs ~300 ms per process start, and one bundle loads in ~27 ms where the same modules as
// separate files take ~95 ms. When to rebuild is scripts/stale.mjs's to decide.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sources, stampFile } from './sources.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = join(root, 'dist');

const entryPoints = () => [
  join(root, 'workers/pool-thread.ts'),
  // The thread that parses a large CSV file (src/data/load.ts).
  join(root, 'workers/csv-thread.ts'),
  // The thread that tries model modules out before the main thread imports them (src/models/registry.ts).
  join(root, 'workers/module-probe.ts'),
  // `import ... from 'trainpool'` (package.json exports).
  join(root, 'src/api/index.ts'),
  ...readdirSync(join(root, 'src/commands'))
    .filter((name) => name.endsWith('.ts'))
    .map((name) => join(root, 'src/commands', name)),
];

export async function build({ pack = false } = {}) {
  const { build: esbuild } = await import('esbuild');
  const files = sources();
  // dist/ is rebuilt in place, never emptied first: a process started before this build (a long
  // run, a bench) may still import a chunk of the earlier one. Chunk names carry a content hash,
  // so old and new chunks live side by side; old ones go after a day.
  const result = await esbuild({
    metafile: true,
    entryPoints: entryPoints(),
    outdir: outDir,
    outbase: root,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    logLevel: 'error',
    // piscina must load its own worker bootstrap from node_modules; tsx is loaded only for .ts
    // model modules.
    external: ['piscina', 'tsx', 'esbuild'],
    // Bundled CommonJS libraries (ml-svm) may still call require().
    banner: {
      js: "import { createRequire as __trainpoolRequire } from 'node:module'; const require = __trainpoolRequire(import.meta.url);",
    },
  });
  await buildChartTemplates(esbuild);
  removeOldChunks(new Set(Object.keys(result.metafile.outputs).map((path) => resolve(path))), pack ? 0 : DAY_MS);
  if (pack) writeDeclarations();
  mkdirSync(outDir, { recursive: true });
  writeFileSync(stampFile, `${files.map((f) => relative(root, f)).join('\n')}\n`);
}

const DAY_MS = 24 * 60 * 60 * 1000;

function removeOldChunks(current, olderThanMs) {
  for (const name of readdirSync(outDir)) {
    const path = join(outDir, name);
    if (name.endsWith('.js') && !current.has(path) && Date.now() - statSync(path).mtimeMs >= olderThanMs) {
      rmSync(path, { force: true });
    }
  }
}

// The .d.ts files of the API and everything its types name (tsconfig.types.json), from which
// `import type { Report } from 'trainpool'` resolves through package.json's exports.
function writeDeclarations() {
  rmSync(join(outDir, 'types'), { recursive: true, force: true });
  execFileSync(
    process.execPath,
    [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(root, 'tsconfig.types.json')],
    {
      stdio: 'inherit',
    },
  );
}

// Compiles each chart template (src/charts/templates.ts) from Vega-Lite to a Vega runtime dataflow,
// so that drawing a chart at report time needs neither vega-lite nor vega's parser.
async function buildChartTemplates(esbuild) {
  const bundled = await esbuild({
    entryPoints: [join(root, 'src/charts/templates.ts')],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'node',
    logLevel: 'error',
  });
  const source = Buffer.from(bundled.outputFiles[0].text).toString('base64');
  const { templates } = await import(`data:text/javascript;base64,${source}`);
  const [{ compile }, { parse }] = await Promise.all([import('vega-lite'), import('vega')]);
  for (const [name, spec] of Object.entries(templates)) {
    const warnings = [];
    const logger = {
      level: () => logger,
      error: (...m) => warnings.push(m.join(' ')),
      warn: (...m) => warnings.push(m.join(' ')),
      info: () => {},
      debug: () => {},
    };
    const vega = compile(spec, { logger }).spec;
    if (warnings.length > 0) throw new Error(`chart template ${name}: ${warnings.join('; ')}`);
    mkdirSync(join(outDir, 'charts'), { recursive: true });
    writeFileSync(join(outDir, 'charts', `${name}.json`), JSON.stringify(parse(vega)));
  }

  // The renderer as one CommonJS function expression, for src/charts/load-vega.ts to run through
  // vm.Script with a code cache (ES modules get none on Node 20).
  await esbuild({
    entryPoints: [join(root, 'src/charts/vega-lib.ts')],
    outfile: join(outDir, 'charts/vega.cjs'),
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    logLevel: 'error',
    alias: { 'vega-canvas': join(root, 'src/charts/no-canvas.ts') },
    banner: { js: "(function (module, require) { 'use strict'; const exports = module.exports;" },
    footer: { js: '})' },
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await build({ pack: process.argv.includes('--pack') });
}

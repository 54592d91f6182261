// The package as others install it: `npm pack` (its prepack builds dist/ and the types), the
// tarball installed into a fresh project with `npm install <tarball> --offline`, and there the
// API trains on data in memory and returns a typed report, a .ts file using it type-checks with
// `tsc --noEmit`, and `npx trainpool train` writes its results in that project.
//
// Offline, npm 11's `npm install <spec>` asks the registry for each dependency's full packument,
// which the cache warmed by this project's `npm ci` does not hold (it holds the tarballs and
// abbreviated packuments): without help the install stops with ENOTCACHED at the first
// dependency. So the fresh project is given a package-lock.json pinning the versions of this
// project's own lockfile; the install then takes every tarball from the cache.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { root, tempDir } from './support/helpers.js';
import { SCHEMA_VERSION } from '../src/results/report.js';

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

function run(command: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<Result> {
  return new Promise((done) =>
    execFile(
      command,
      args,
      { cwd, env: { ...process.env, NO_COLOR: '1', ...env }, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) =>
        done({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr }),
    ),
  );
}

const ours = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')) as {
  packages: Record<string, { version?: string; dev?: boolean; dependencies?: Record<string, string> }>;
};

/** A user's project with the tarball as a dependency, TypeScript beside it, and the lockfile (see above). */
function freshProject(tarball: string): string {
  const dir = tempDir('trainpool-user-');
  const tools = ['typescript', '@types/node', 'undici-types'];
  const devDependencies = {
    typescript: lock.packages['node_modules/typescript']!.version!,
    '@types/node': lock.packages['node_modules/@types/node']!.version!,
  };
  const packages: Record<string, unknown> = {
    '': { name: 'my-analysis', version: '1.0.0', dependencies: { trainpool: `file:${tarball}` }, devDependencies },
    'node_modules/trainpool': {
      version: ours.version,
      resolved: `file:${tarball}`,
      integrity: `sha512-${createHash('sha512').update(readFileSync(tarball)).digest('base64')}`,
      dependencies: (
        JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { dependencies: Record<string, string> }
      ).dependencies,
      bin: { trainpool: 'bin/trainpool.mjs' },
    },
  };
  for (const [path, entry] of Object.entries(lock.packages)) {
    if (path === '' || path.startsWith('node_modules/trainpool')) continue;
    const name = path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length);
    if (!entry.dev || tools.includes(name)) packages[path] = { ...entry, dev: tools.includes(name) || undefined };
  }
  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify(
      {
        name: 'my-analysis',
        version: '1.0.0',
        private: true,
        type: 'module',
        dependencies: { trainpool: `file:${tarball}` },
        devDependencies,
      },
      null,
      2,
    ),
  );
  writeFileSync(
    join(dir, 'package-lock.json'),
    JSON.stringify({ name: 'my-analysis', version: '1.0.0', lockfileVersion: 3, requires: true, packages }, null, 2),
  );
  return dir;
}

const APP_MJS = `import { train } from 'trainpool';
// Two noisy clusters per class, in memory: 3 classes x 40 rows x 2 features.
const features = [];
const labels = [];
for (let c = 0; c < 3; c++)
  for (let i = 0; i < 40; i++) {
    features.push([c * 4 + Math.sin(i) , c * 2 + Math.cos(i * 1.7)]);
    labels.push(['low', 'mid', 'high'][c]);
  }
const report = await train({ dataset: { features, labels, name: 'clusters' }, models: ['knn', 'naive-bayes'], threads: 2 });
console.log(JSON.stringify({ schemaVersion: report.schemaVersion, dataset: report.dataset.name, classes: report.dataset.classes, models: report.models.map((m) => [m.id, m.status, m.status === 'ok' ? m.metrics.accuracy : null]) }));
`;

const APP_TS = `import { defineModel, train, UsageError, type ProgressEvent, type Report, type RowEstimator } from 'trainpool';

const constant = (label: number): RowEstimator => ({ fit() {}, predict: (X) => X.map(() => label), toJSON: () => ({ label }) });
export const zero = defineModel(
  { id: 'zero', description: 'Predicts class 0', params: {}, create: () => constant(0), load: (json) => constant((json as { label: number }).label) },
  import.meta.url,
);

export async function best(signal: AbortSignal): Promise<string | undefined> {
  const seen: ProgressEvent['type'][] = [];
  try {
    const report: Report = await train({ dataset: 'iris', models: ['knn', 'svm'], cv: 5, signal, onProgress: (e) => seen.push(e.type) });
    const ranked = report.models.filter((m) => m.status === 'ok').sort((a, b) => (b.cv?.accuracy.mean ?? 0) - (a.cv?.accuracy.mean ?? 0));
    const reports: Report[] = await train({ dataset: ['iris', { features: new Float64Array(8), cols: 2, labels: [0, 1, 0, 1] }] });
    return ranked[0]?.id ?? reports[0]?.runId;
  } catch (error) {
    if (error instanceof UsageError) return error.message;
    throw error;
  }
}
`;

const TSCONFIG = JSON.stringify({
  compilerOptions: {
    target: 'ES2022',
    module: 'NodeNext',
    moduleResolution: 'NodeNext',
    strict: true,
    noEmit: true,
    skipLibCheck: false,
    types: ['node'],
  },
  include: ['*.ts'],
});

describe('the package, installed into another project', () => {
  it(
    'packs, installs offline, and works there as an API, with types, and as `npx trainpool`',
    { timeout: 300_000 },
    async () => {
      const packs = tempDir('trainpool-pack-');
      const packed = await run('npm', ['pack', '--pack-destination', packs], root);
      expect(packed.code, packed.stderr).toBe(0);
      const tarball = join(packs, `trainpool-${ours.version}.tgz`);
      const listing = await run('tar', ['-tzf', tarball], packs);
      const files = listing.stdout.split('\n');
      expect(files).toContain('package/bin/trainpool.mjs');
      expect(files).toContain('package/dist/src/api/index.js');
      expect(files).toContain('package/dist/types/src/api/index.d.ts');
      expect(files).toContain('package/dist/workers/pool-thread.js');
      expect(
        files.some(
          (f) => f.startsWith('package/src/') || f.startsWith('package/test/') || f.startsWith('package/scripts/'),
        ),
      ).toBe(false);

      const project = freshProject(tarball);
      // ~100 MB of node_modules: not left behind.
      try {
        const installed = await run('npm', ['install', tarball, '--offline', '--no-audit', '--no-fund'], project);
        expect(installed.code, installed.stderr).toBe(0);

        // The API, on data in memory.
        writeFileSync(join(project, 'app.mjs'), APP_MJS);
        const app = await run(process.execPath, ['app.mjs'], project);
        expect(app.stderr).toBe('');
        expect(JSON.parse(app.stdout)).toMatchObject({
          schemaVersion: SCHEMA_VERSION,
          dataset: 'clusters',
          classes: ['high', 'low', 'mid'],
          models: [
            ['knn', 'ok', expect.any(Number)],
            ['naive-bayes', 'ok', expect.any(Number)],
          ],
        });
        // No run folder: nothing was asked to be written.
        expect(existsSync(join(project, 'results'))).toBe(false);

        // Its types.
        writeFileSync(join(project, 'tsconfig.json'), TSCONFIG);
        writeFileSync(join(project, 'app.ts'), APP_TS);
        const typed = await run(
          process.execPath,
          [join(project, 'node_modules/typescript/bin/tsc'), '--noEmit', '-p', '.'],
          project,
        );
        expect(typed.stdout + typed.stderr).toBe('');
        expect(typed.code).toBe(0);
        // ...which do catch a mistake.
        writeFileSync(
          join(project, 'wrong.ts'),
          "import { train } from 'trainpool';\nexport const id: number = (await train()).runId;\nexport const bad = await train({ seed: '7' });\n",
        );
        const wrong = await run(
          process.execPath,
          [join(project, 'node_modules/typescript/bin/tsc'), '--noEmit', '-p', '.'],
          project,
        );
        expect(wrong.code).not.toBe(0);
        expect(wrong.stdout).toMatch(
          /wrong\.ts\(2,14\): error TS2322: Type 'string' is not assignable to type 'number'/,
        );
        expect(wrong.stdout).toMatch(/wrong\.ts\(3,\d+\): error TS2769: No overload matches this call/);

        // The command, from the project's folder, on a CSV file there, writing its results there.
        mkdirSync(join(project, 'data'));
        writeFileSync(join(project, 'data/flowers.csv'), readFileSync(join(root, 'datasets/iris.csv')));
        const cli = await run(
          'npx',
          ['trainpool', 'train', '--dataset', 'data/flowers.csv', '--models', 'knn,svm'],
          project,
        );
        expect(cli.stderr).toBe('');
        expect(cli.code).toBe(0);
        expect(cli.stdout).toMatch(/report: results\/\d{8}-\d{6}-flowers-[0-9a-f]{6}/);
        const [runId] = readdirSync(join(project, 'results'));
        expect(JSON.parse(readFileSync(join(project, 'results', runId!, 'report.json'), 'utf8'))).toMatchObject({
          dataset: { name: 'flowers', file: 'data/flowers.csv' },
        });
        const help = await run('npx', ['trainpool', '--help'], project);
        for (const command of ['train', 'compare', 'history', 'inspect', 'predict', 'check-model', 'worker', 'bench'])
          expect(help.stdout).toContain(`  ${command} `);
        // The installed copy never tries to build: there is nothing to build it from.
        expect(existsSync(join(project, 'node_modules/trainpool/.build-lock'))).toBe(false);
        expect(existsSync(join(project, 'node_modules/trainpool/src'))).toBe(false);
      } finally {
        rmSync(project, { recursive: true, force: true });
        rmSync(packs, { recursive: true, force: true });
      }
    },
  );
});

// A .ts model module trains wherever it lives, also in a folder with no package.json (where a .ts
// file is compiled as CommonJS, its exports one level down).
import { copyFileSync, existsSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixture, tempDir, train } from './support/helpers.js';

/** A fresh folder with no package.json in it or above it. */
function bareFolder(): string {
  const dir = tempDir('trainpool-bare-');
  for (let d = dir; dirname(d) !== d; d = dirname(d))
    if (existsSync(join(d, 'package.json')))
      throw new Error(`${d} has a package.json; the test needs a folder without one`);
  return dir;
}

describe('.ts model modules outside a "type": "module" package', () => {
  it('load and train: a default export, and named exports', async () => {
    const dir = bareFolder();
    copyFileSync(fixture('models/majority.ts'), join(dir, 'majority.ts'));
    writeFileSync(
      join(dir, 'named.ts'),
      `import type { RowModelDefinition } from 'trainpool';
const constant = (label: number) => ({
  fit() {},
  predict: (X: number[][]) => X.map(() => label),
  toJSON: () => ({ label }),
});
export const first: RowModelDefinition = {
  id: 'first-class',
  description: 'Predicts class 0',
  params: {},
  create: () => constant(0),
  load: (json) => constant((json as { label: number }).label),
};
`,
    );
    const run = await train([
      '--model-module',
      join(dir, 'majority.ts'),
      '--model-module',
      join(dir, 'named.ts'),
      '--models',
      'majority,first-class',
    ]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.report!.models.map((m) => [m.id, m.status])).toEqual([
      ['majority', 'ok'],
      ['first-class', 'ok'],
    ]);
  });

  it('one with top-level await is refused in one line saying how to fix it', async () => {
    const dir = bareFolder();
    writeFileSync(join(dir, 'waits.ts'), 'const n: number = await Promise.resolve(1);\nexport default [n];\n');
    const run = await train(['--model-module', join(dir, 'waits.ts')]);
    expect(run.code).toBe(2);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toContain('top-level await needs an ES module');
    expect(run.stderr).toContain('rename it to .mts');
  });
});

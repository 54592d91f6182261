import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { builtinModels } from '../src/models/index.js';
import { createRegistry, selectModels } from '../src/models/registry.js';
import { root } from './support/helpers.js';

describe('model registry', () => {
  it('lists every file in src/models/, in sorted order', async () => {
    const files = readdirSync(join(root, 'src/models'))
      // Beside the model files: the list itself, the registry, the checks and the shared adapter.
      .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts') && !['index.ts', 'registry.ts', 'check.ts', 'adapter.ts'].includes(f))
      .sort();
    const listed = await Promise.all(
      files.map(
        async (f) =>
          ((await import(pathToFileURL(join(root, 'src/models', f)).href)) as { default: { id: string } }).default,
      ),
    );
    expect(builtinModels).toEqual(listed);
    expect(builtinModels.map((m) => m.id)).toEqual(files.map((f) => f.replace(/\.ts$/, '')));
  });

  it('every definition has plain-JSON params and a known preprocessing', () => {
    for (const def of builtinModels) {
      expect(JSON.parse(JSON.stringify(def.params))).toEqual(def.params);
      expect(['standardize', 'minmax', 'none', undefined]).toContain(def.preprocess);
    }
  });

  it('an unknown id is an error that lists the known ones', async () => {
    const registry = await createRegistry([]);
    expect(() => selectModels(registry, ['svm', 'nope'])).toThrow(
      `unknown model id "nope"; known ids: ${builtinModels.map((m) => m.id).join(', ')}`,
    );
  });
});

import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { builtinModels } from '../src/models/index.js';
import { createRegistry, selectModels } from '../src/models/registry.js';
import { root } from './support/helpers.js';

describe('model registry', () => {
  it('lists every model file in src/models/, each named for its id, sorted by id', async () => {
    const ids = readdirSync(join(root, 'src/models'))
      // Beside the model files: the list itself, the registry, the checks, the shared adapter and
      // the libraries' typings.
      .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))
      .map((f) => f.replace(/\.ts$/, ''))
      .filter((id) => !['index', 'registry', 'check', 'adapter'].includes(id))
      .sort();
    const listed = await Promise.all(
      ids.map(
        async (id) =>
          ((await import(pathToFileURL(join(root, 'src/models', `${id}.ts`)).href)) as { default: { id: string } })
            .default,
      ),
    );
    expect(builtinModels).toEqual(listed);
    expect(builtinModels.map((m) => m.id)).toEqual(ids);
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

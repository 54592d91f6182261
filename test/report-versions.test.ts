// Every model names the library or engine that trains it, and report.json records each one's
// version beside what ran the tasks.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { builtinModels } from '../src/models/index.js';
import { root, train } from './support/helpers.js';

const installed = (name: string) =>
  (JSON.parse(readFileSync(join(root, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;

describe('versions in the report', () => {
  it('every built-in definition names its library and the version installed', () => {
    for (const def of builtinModels) {
      expect(def.library.name).toMatch(/\S/);
      expect(def.library.version).toBe(
        def.library.name === 'trainpool' ? installed('..') : installed(def.library.name),
      );
    }
  });

  it("report.json records every model's library, and each row says which one trained it", async () => {
    const { report } = await train([]);
    expect(report!.versions['piscina']).toBe(installed('piscina'));
    expect(report!.versions['trainpool']).toMatch(/^\d+\.\d+\.\d+/);
    for (const m of report!.models) {
      const def = builtinModels.find((d) => d.id === m.id)!;
      expect(m.library).toEqual(def.library);
      expect(report!.versions[def.library.name]).toBe(def.library.version);
    }
  });
});

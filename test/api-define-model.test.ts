// Model definitions passed to train() in memory: defineModel(definition, import.meta.url) records
// the module, and the pool's threads import it to train them; without a module they are refused
// in one line, as is a definition living in the script that calls train().
import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { train, UsageError, type ModelDefinition, type RowModelDefinition } from '../src/api/index.js';
// @ts-expect-error a user's plain ESM model module, without typings
import * as defined from './fixtures/models/defined.mjs';
// @ts-expect-error the same
import * as trainsOnImport from './fixtures/models/trains-on-import.mjs';
import { fixture, root } from './support/helpers.js';

const { definition, nearestCentroid } = defined as { definition: RowModelDefinition; nearestCentroid: ModelDefinition };
const { again } = trainsOnImport as { again: ModelDefinition };

describe('defineModel(definition, import.meta.url) and train()', () => {
  it('records the module, and the pool threads train the model from it', async () => {
    expect(nearestCentroid.module).toBe(pathToFileURL(fixture('models/defined.mjs')).href);
    const report = await train({ models: [nearestCentroid, 'knn'], threads: 2, cv: 3 });
    expect(report.models.map((m) => [m.id, m.status])).toEqual([
      ['nearest-centroid', 'ok'],
      ['knn', 'ok'],
    ]);
    const m = report.models[0]!;
    expect(m.library).toEqual({ name: 'my-lab', version: '1.0.0' });
    expect(m.status === 'ok' && m.metrics!.accuracy).toBeGreaterThan(0.85);
    expect(report.settings!.modelModule).toEqual([fixture('models/defined.mjs')]);
  });

  it('refuses a definition without its module in one line', async () => {
    const error = await train({ models: [definition] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toBe(
      'train(): "models[0]": model "nearest-centroid" was passed in memory without its module, and worker threads cannot import it; define it with defineModel(definition, import.meta.url) in a module that exports it',
    );
  });

  it('refuses a definition that lives in the script calling train()', async () => {
    const dir = join(root, 'test/.tmp');
    mkdirSync(dir, { recursive: true });
    const script = join(dir, `own-script-${process.pid}.mjs`);
    writeFileSync(
      script,
      `import { defineModel, train } from 'trainpool';
import { definition } from '../fixtures/models/defined.mjs';
const mine = defineModel({ ...definition, id: 'mine' }, import.meta.url);
try { await train({ models: [mine] }); } catch (error) { console.log(error.name, error.message); }
`,
    );
    const out = await new Promise<string>((done) =>
      execFile(process.execPath, [script], { cwd: root }, (_error, stdout, stderr) => done(stdout + stderr)),
    );
    expect(out).toBe(
      `UsageError train(): "models[0]": model "mine" is defined in ${script}, the script that calls train(); worker threads import the module a model comes from, so move the definition into a module of its own and import it\n`,
    );
  });

  it('a module that calls train() when imported fails its model in the pool thread, saying why', async () => {
    process.env['TRAINPOOL_TEST_TRAIN_ON_IMPORT'] = '1';
    try {
      const report = await train({ models: [again], threads: 1 });
      const m = report.models[0]!;
      expect(m.status).toBe('failed');
      expect(m.status === 'failed' && m.error.message).toContain('train() was called inside a pool thread');
    } finally {
      delete process.env['TRAINPOOL_TEST_TRAIN_ON_IMPORT'];
    }
  });
});

import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { localModulePath, portableModulePath } from '../src/execution/bullmq/modules.js';
import { fixture, root, tempDir } from './support/helpers.js';

describe('--model-module paths between a coordinator and workers on other machines', () => {
  it('a module inside the clone travels as a path relative to the clone and resolves in the worker’s clone', () => {
    const name = portableModulePath(fixture('models/majority.ts'));
    expect(name).toBe('./test/fixtures/models/majority.ts');
    expect(localModulePath(name, [])).toBe(join(root, 'test/fixtures/models/majority.ts'));
  });

  it('a module outside the clone travels as its absolute path; a worker without it uses its own --model-module of that name', () => {
    const elsewhere = join(tempDir(), 'my-models.mjs');
    copyFileSync(fixture('models/throwing.mjs'), elsewhere);
    expect(portableModulePath(elsewhere)).toBe(elsewhere);
    expect(localModulePath(elsewhere, [])).toBe(elsewhere);

    const coordinatorPath = '/home/someone/project/my-models.mjs';
    expect(localModulePath(coordinatorPath, [elsewhere])).toBe(elsewhere);
    expect(() => localModulePath(coordinatorPath, [])).toThrow(
      'model module /home/someone/project/my-models.mjs is not on this worker (looked for /home/someone/project/my-models.mjs); put it at the same place in this clone, or start the worker with --model-module <its path here>',
    );
    expect(() => localModulePath('./models/missing.mjs', [])).toThrow(
      `looked for ${join(root, 'models/missing.mjs')} (in this clone)`,
    );
    const twin = join(tempDir(), 'my-models.mjs');
    copyFileSync(elsewhere, twin);
    expect(() => localModulePath(coordinatorPath, [elsewhere, twin])).toThrow(
      "2 modules given to this worker's --model-module are called my-models.mjs; keep one",
    );
  });
});

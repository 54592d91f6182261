import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { moduleRef, WorkerModules } from '../src/execution/bullmq/modules.js';
import { fixture, tempDir } from './support/helpers.js';

describe('--model-module between a coordinator and workers on other machines', () => {
  it('a job names a module by file name and content hash; a worker finds it among its own --model-module files', () => {
    const ref = moduleRef(fixture('models/majority.ts'));
    expect(ref.name).toBe('majority.ts');
    expect(ref.sha256).toMatch(/^[0-9a-f]{64}$/);
    // The worker's copy lives elsewhere: the name and the content match, the path does not matter.
    const elsewhere = join(tempDir(), 'majority.ts');
    copyFileSync(fixture('models/majority.ts'), elsewhere);
    expect(WorkerModules.of([elsewhere]).resolve(ref)).toBe(elsewhere);
  });

  it('a module the worker was not given, one of other content, or a path is refused with the fix', () => {
    const dir = tempDir();
    const mine = join(dir, 'my-models.mjs');
    copyFileSync(fixture('models/throwing.mjs'), mine);
    const worker = WorkerModules.of([mine]);
    expect(() => worker.resolve({ ...moduleRef(fixture('models/majority.ts')) })).toThrow(
      'model module majority.ts is not given to this worker; start it with --model-module <path to majority.ts>',
    );
    const edited = join(tempDir(), 'my-models.mjs');
    writeFileSync(edited, '// another version\nexport default [];\n');
    expect(() => worker.resolve(moduleRef(edited))).toThrow(
      /^model module my-models\.mjs differs here \(sha256 [0-9a-f]{12}\) from the coordinator's \([0-9a-f]{12}\); give the worker the same file$/,
    );
    for (const name of [mine, './my-models.mjs', '../x/my-models.mjs', '..'])
      expect(() => worker.resolve({ name, sha256: moduleRef(mine).sha256 })).toThrow(
        /by a path; workers load only the modules on their own --model-module, by file name/,
      );
  });

  it('two modules of the same file name on one worker are a usage error at start', () => {
    const a = join(tempDir(), 'my-models.mjs');
    const b = join(tempDir(), 'my-models.mjs');
    copyFileSync(fixture('models/throwing.mjs'), a);
    copyFileSync(fixture('models/throwing.mjs'), b);
    expect(() => WorkerModules.of([a, b])).toThrow(
      `--model-module ${b} and ${a} are both called my-models.mjs: jobs name modules by file name; rename one`,
    );
  });
});

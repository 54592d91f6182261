// A model definition's id is at most 64 characters: ids name files, table rows and report
// sections. A longer one is refused in one line that says so without printing it whole.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir, train } from './support/helpers.js';

describe('a model id of 300 characters', () => {
  it('is refused in one line', async () => {
    const module = join(tempDir(), 'long-id.mjs');
    const id = 'm'.repeat(300);
    writeFileSync(
      module,
      `const m = () => ({ fit() {}, predict: (X) => X.map(() => 0), toJSON: () => ({}) });
export default [{ id: '${id}', description: 'a long id', params: {}, create: m, load: m }];\n`,
    );
    const run = await train(['--model-module', module, '--models', id]);
    expect(run.code).toBe(2);
    expect(run.stderr.trimEnd().split('\n')).toEqual([
      `train: error: --model-module ${module}: default[0]: "id" must be at most 64 characters (it has 300)`,
    ]);
    expect(run.runs).toEqual([]);
  });
});

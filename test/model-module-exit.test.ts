// A model module that ends its process when imported (a top-level process.exit(0), as a script
// would) is refused in one line with exit status 2, before any training: it never ends the run
// that imports it, nor makes it exit 0 with nothing written.
import { describe, expect, it } from 'vitest';
import { fixture, train } from './support/helpers.js';

describe('a model module that calls process.exit while it loads', () => {
  it('is refused in one line, exit status 2, nothing written', async () => {
    const module = fixture('models/exits-on-load.mjs');
    const run = await train(['--models', 'knn', '--model-module', module]);
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr.trimEnd().split('\n')).toEqual([
      `train: error: --model-module ${module}: it ended its thread with process.exit(0) while loading; a model module must only define models, not run as a program`,
    ]);
    expect(run.stdout).toBe('');
    expect(run.runs).toEqual([]);
  });
});

// --threads above four times the machine's cores is refused with a hint: more threads than cores
// only add memory and start-up time (1,024 threads took 77 s and 3.2 GB on iris). Up to that
// limit it is taken as given.
import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import { train } from './support/helpers.js';

const cores = availableParallelism();

describe('--threads', () => {
  it('above 4x the cores is a usage error with a hint', async () => {
    const run = await train(['--models', 'knn', '--threads', String(4 * cores + 1)]);
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr.trimEnd().split('\n')).toEqual([
      `train: error: --threads ${4 * cores + 1} is more than 4x this machine's ${cores} cores; more threads than cores only add memory and start-up time: use at most ${4 * cores} (the default, ${cores}, is one per core)`,
    ]);
    expect(run.runs).toEqual([]);
  });

  it('at 4x the cores is taken as given', async () => {
    const run = await train(['--models', 'knn', '--threads', String(4 * cores)]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.report!.threads).toBe(4 * cores);
  });
});

// `trainpool check-model`: the conformance checks (src/models/check.ts) on a module's definitions,
// one line per failed check naming it and saying how to fix it; every built-in model passes.
import { describe, expect, it } from 'vitest';
import { builtinModels } from '../src/models/index.js';
import { fixture, runCli } from './support/helpers.js';

describe('check-model', () => {
  it('passes every built-in model', async () => {
    const run = await runCli('check-model', []);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    for (const { id } of builtinModels) expect(run.stdout).toMatch(new RegExp(`^✓ ${id}: \\d+ checks passed$`, 'm'));
    expect(run.stdout).not.toContain('✗');
  });

  it('names the failed check of each broken definition, with how to fix it, and exits 1', async () => {
    const run = await runCli('check-model', [fixture('models/broken.mjs')]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(1);
    const expected: [string, string, string][] = [
      ['short-predictions', 'fits and predicts one class index per row', 'return one class index per row'],
      ['one-class', 'well above chance on iris, every class predicted', 'collapses to one class'],
      ['not-deterministic', 'deterministic for a seed', 'draw every random number from ctx.seed'],
      [
        'forgets-on-load',
        'its JSON, through a string, loads back and predicts the same',
        'toJSON() must hold everything load() needs',
      ],
      ['claims-probabilities', 'probabilities as declared', 'add it or drop the flag'],
      ['three-classes-only', 'handles two classes', 'this model only knows three classes'],
      ['free-of-cost', 'cost', 'return the expected seconds, above 0'],
      ['params-off-schema', 'params', 'make them agree'],
    ];
    const lines = run.stdout.split('\n');
    for (const [id, check, fix] of expected) {
      const line = lines.find((l) => l.startsWith(`✗ ${id}: ${check}: `));
      expect(line, `${id} fails "${check}"`).toBeDefined();
      expect(line).toContain(fix);
    }
    // Each definition breaks only its own check (and what depends on it).
    expect(lines.filter((l) => l.startsWith('✗ not-deterministic: '))).toHaveLength(1);
    expect(lines.filter((l) => l.startsWith('✗ free-of-cost: '))).toHaveLength(1);
    expect(run.stdout).toContain('8 of 8 definitions failed a check');
  });

  it('refuses a module it cannot load in one line, exit 2', async () => {
    const run = await runCli('check-model', [fixture('models/not-an-array.mjs')]);
    expect(run.code).toBe(2);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(/^check-model: error: .*not-an-array\.mjs: the default export must be an array/);
  });
});

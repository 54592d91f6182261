import { readdirSync } from 'node:fs';
import { builtinModels } from '../src/models/index.js';
import { describe, expect, it } from 'vitest';
import { fixture, train } from './support/helpers.js';

describe('bad command-line input: one line, exit status 2, nothing written', () => {
  it.each([
    [
      ['--models', 'svm,no-such-model'],
      `unknown model id "no-such-model"; known ids: ${builtinModels.map((d) => d.id).join(', ')}`,
    ],
    [['--threads', '0'], '--threads must be a whole number from 1 to 1024, not "0"'],
    [['--threads', 'two'], '--threads must be a whole number'],
    [['--test-size', '1.5'], '--test-size must be a number from 0 up to (not including) 1'],
    [['--no-such-flag'], "unknown option '--no-such-flag'"],
    [['--split-file', fixture('split-out-of-range.json')], 'train[3] is 150, not a row index'],
    [['--split-file', fixture('split-duplicate.json')], 'train[3] repeats row 2'],
    [['--split-file', fixture('split-overlap.json')], 'row 3 is in both "train" and "test"'],
    [['--split-file', fixture('no-such-split.json')], 'no-such-split.json: no such file'],
    [
      ['--split-file', fixture('iris_split_42.json'), '--test-size', '0.3'],
      "'--split-file <json>' cannot be used with option '--test-size",
    ],
    [['--model-module', fixture('models/no-such-module.mjs')], 'no-such-module.mjs: no such file'],
    [['--model-module', fixture('models/syntax-error.mjs')], 'syntax-error.mjs: failed to load'],
    [
      ['--model-module', fixture('models/not-an-array.mjs')],
      'the default export must be an array of model definitions, not an object',
    ],
    [['--model-module', fixture('models/bad-definition.mjs')], 'default[0]: "create" must be a function'],
  ])('%j', async (args, message) => {
    const run = await train(args);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(message);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(/^train: error: /);
    expect(run.stdout).toBe('');
    expect(readdirSync(run.resultsDir)).toEqual([]);
  });
});

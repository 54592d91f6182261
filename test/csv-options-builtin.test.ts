// --label, --delimiter and --missing say how to read a CSV file; given when every data set is
// built in (the default iris), they would be ignored without a word, so they are a usage error.
// With a CSV file among the data sets they apply to it, as always.
import { describe, expect, it } from 'vitest';
import { root, runCli, train } from './support/helpers.js';

describe('CSV options with the built-in iris', () => {
  it.each([
    [['--label', 'species'], '--label'],
    [['--delimiter', ';'], '--delimiter'],
    [['--missing', 'drop'], '--missing'],
    [['--dataset', 'iris', '--label', 'species', '--missing', 'error'], '--label, --missing'],
  ])('train %j is a usage error', async (args, flags) => {
    const run = await train(args);
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr.trimEnd().split('\n')).toEqual([
      `train: error: ${flags} ${flags.includes(',') ? 'apply' : 'applies'} only to CSV files, and iris is built in; drop ${flags.includes(',') ? 'them' : 'it'}, or give a CSV file with --dataset (such as --dataset datasets/iris.csv)`,
    ]);
    expect(run.runs).toEqual([]);
  });

  it('inspect --delimiter tab is a usage error too', async () => {
    const run = await runCli('inspect', ['--delimiter', 'tab']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^inspect: error: --delimiter applies only to CSV files, and iris is built in/);
    expect(run.stdout).toBe('');
  });

  it('with a CSV file among the data sets, they apply to it', async () => {
    const run = await train(['--dataset', 'iris', '--dataset', `${root}/datasets/iris.csv`, '--label', 'label']);
    expect(run.code, run.stderr).toBe(0);
    const inspected = await runCli('inspect', [
      '--dataset',
      'iris',
      '--dataset',
      `${root}/datasets/iris.csv`,
      '--delimiter',
      'comma',
    ]);
    expect(inspected.code, inspected.stderr).toBe(0);
  });
});

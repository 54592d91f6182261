// A damaged or tampered models/<id>.json is one line on stderr and exit status 2, with nothing on
// stdout: never a stack trace, never predictions from a file that does not hold the model asked
// for (a wrong-length scaler once predicted nonsense with exit status 0).
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { root, runCli, tempDir, train } from './support/helpers.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const edit = (change: (j: Json) => void) => (text: string) => {
  const json = JSON.parse(text) as Json;
  change(json);
  return JSON.stringify(json);
};
const int32Base64 = (values: number[]) => Buffer.from(Int32Array.from(values).buffer).toString('base64');

let run: { resultsDir: string; id: string };
let input: string;
const original = (model: string) => readFileSync(join(run.resultsDir, run.id, 'models', `${model}.json`), 'utf8');

/** [case, model, the tampering, what the one line must say] */
const cases: [string, string, (text: string) => string, RegExp][] = [
  ['not JSON', 'knn', () => 'garbage', /models\/knn\.json: not valid JSON/],
  ['truncated', 'knn', (t) => t.slice(0, t.length / 2), /models\/knn\.json: not valid JSON/],
  ['an array', 'knn', () => '[]', /not a saved trainpool model/],
  ['null', 'knn', () => 'null', /not a saved trainpool model/],
  ['no scaler', 'knn', edit((j) => delete j.scaler), /not a saved trainpool model: scaler/],
  ['an unknown scaling', 'knn', edit((j) => (j.scaler.kind = 'bogus')), /scaler\.kind/],
  ['a scaler offset short', 'knn', edit((j) => j.scaler.offset.pop()), /scaler .*3 offsets and 4 scales.*4 features/],
  ['a scaler scale short', 'knn', edit((j) => j.scaler.scale.pop()), /scaler .*4 offsets and 3 scales.*4 features/],
  [
    'a scaler one feature too long',
    'knn',
    edit((j) => (j.scaler.offset.push(0), j.scaler.scale.push(1))),
    /scaler .*5 offsets and 5 scales.*4 features/,
  ],
  ['a scaler offset that is text', 'knn', edit((j) => (j.scaler.offset[0] = 'x')), /scaler\.offset\.0/],
  ['a zero scale', 'knn', edit((j) => (j.scaler.scale[0] = 0)), /scaler\.scale\.0/],
  ['another model in its place', 'svm', () => original('knn'), /holds model "knn", not "svm"/],
  ['a library that is not an object', 'knn', edit((j) => (j.library = 5)), /library/],
  ['no estimator', 'knn', edit((j) => delete j.estimator), /estimator/],
  ['an empty knn estimator', 'knn', edit((j) => (j.estimator = {})), /the saved estimator does not load/],
  ['an empty svm estimator', 'svm', edit((j) => (j.estimator = {})), /the saved estimator does not load/],
  [
    'a knn estimator in the svm file',
    'svm',
    edit((j) => (j.estimator = JSON.parse(original('knn')).estimator)),
    /does not load/,
  ],
  ['an empty decision tree', 'decision-tree', edit((j) => (j.estimator = {})), /does not load/],
  ['an empty random forest', 'random-forest', edit((j) => (j.estimator = {})), /does not load/],
  ['an empty naive Bayes', 'naive-bayes', edit((j) => (j.estimator = {})), /does not load/],
  ['a knn estimator of the wrong shape', 'knn', edit((j) => (j.estimator.features = 3)), /does not load/],
  [
    'a knn estimator whose neighbours are of class 9',
    'knn',
    edit((j) => {
      j.estimator.classes = 10;
      j.estimator.labels.base64 = int32Base64(new Array(j.estimator.rows).fill(9));
    }),
    /predicted 9 for row 1; the run has 3 classes/,
  ],
];

describe('predict with a tampered model file', () => {
  beforeAll(async () => {
    const trained = await train([
      '--dataset',
      `${root}/datasets/iris.csv`,
      '--models',
      'knn,svm,decision-tree,random-forest,naive-bayes',
    ]);
    expect(trained.code, trained.stderr).toBe(0);
    run = { resultsDir: trained.resultsDir, id: trained.runs[0]! };
    input = join(tempDir(), 'flowers.csv');
    writeFileSync(
      input,
      'sepal_length,sepal_width,petal_length,petal_width\n5.1,3.5,1.4,0.2\n6.2,3.0,5.4,2.3\n5.9,3.0,4.2,1.5\n',
    );
  });

  it.each(cases)('%s', async (_name, model, tamper, message) => {
    const folder = join(tempDir(), run.id);
    cpSync(join(run.resultsDir, run.id), folder, { recursive: true });
    const file = join(folder, 'models', `${model}.json`);
    writeFileSync(file, tamper(readFileSync(file, 'utf8')));
    const predicted = await runCli('predict', ['--run', folder, '--model', model, '--input', input]);
    expect(predicted.code, predicted.stderr).toBe(2);
    expect(predicted.stdout).toBe('');
    const lines = predicted.stderr.trimEnd().split('\n');
    expect(lines, predicted.stderr).toHaveLength(1);
    expect(lines[0]).toMatch(/^predict: error: /);
    expect(lines[0]).toMatch(message);
  });

  it('the untampered copy predicts (the cases above change only what they say)', async () => {
    const folder = join(tempDir(), run.id);
    cpSync(join(run.resultsDir, run.id), folder, { recursive: true });
    const predicted = await runCli('predict', ['--run', folder, '--model', 'knn', '--input', input]);
    expect(predicted.stderr).toBe('');
    expect(predicted.stdout).toBe('label\nsetosa\nvirginica\nversicolor\n');
  });
});

import SVM from 'ml-svm';
import mlSvm from 'ml-svm/package.json' with { type: 'json' };
import { z } from 'zod';
import type { RowEstimator } from '../ml/estimator.js';
import { createRandom } from '../ml/random.js';
import { defineModel } from './adapter.js';

const schema = z.strictObject({
  C: z.number().positive(),
  /** RBF width as in scikit-learn: k(x, z) = exp(-gamma |x - z|^2); 'auto' is 1 / features. */
  gamma: z.union([z.literal('auto'), z.number().positive()]),
  tol: z.number().positive(),
  maxPasses: z.number().int().positive(),
  maxIterations: z.number().int().positive(),
});
type Params = z.infer<typeof schema>;

interface PairModel {
  a: number;
  b: number;
  /** Set when the training part holds only one of the pair's classes. */
  constant?: number;
  svm?: SVM;
}

interface PairJson {
  a: number;
  b: number;
  constant?: number;
  svm?: unknown;
}

/**
 * ml-svm is binary only (labels +1/-1) and on three classes silently predicts -1 everywhere, so
 * this trains one SVM per pair of classes and lets them vote, as scikit-learn's SVC does.
 * Ties go to the class with the larger summed margin, then to the lower class index.
 */
class OneVsOneSvm implements RowEstimator {
  constructor(
    private readonly params: Params,
    private readonly seed: number,
    private readonly classes: number,
    private pairs: PairModel[] = [],
  ) {}

  fit(X: number[][], y: number[]): void {
    const features = X[0]?.length ?? 0;
    const gamma = this.params.gamma === 'auto' ? 1 / Math.max(1, features) : this.params.gamma;
    // ml-kernel's gaussian is exp(-|x - z|^2 / (2 sigma^2)).
    const sigma = Math.sqrt(1 / (2 * gamma));
    const random = createRandom(this.seed);
    this.pairs = [];
    for (let a = 0; a < this.classes; a++) {
      for (let b = a + 1; b < this.classes; b++) {
        const rows: number[][] = [];
        const labels: number[] = [];
        y.forEach((label, i) => {
          if (label === a || label === b) {
            rows.push(X[i] as number[]);
            labels.push(label === a ? 1 : -1);
          }
        });
        const hasA = labels.includes(1);
        const hasB = labels.includes(-1);
        if (!hasA || !hasB) {
          if (hasA || hasB) this.pairs.push({ a, b, constant: hasA ? a : b });
          continue;
        }
        const svm = new SVM({
          C: this.params.C,
          tol: this.params.tol,
          maxPasses: this.params.maxPasses,
          maxIterations: this.params.maxIterations,
          kernel: 'rbf',
          kernelOptions: { sigma },
          // Scaling is the pipeline's job (the definition's `preprocess`), not the library's.
          whitening: false,
          random,
        });
        svm.train(rows, labels);
        this.pairs.push({ a, b, svm });
      }
    }
  }

  predict(X: number[][]): number[] {
    if (this.pairs.length === 0) throw new Error('svm-mljs: fit() must run before predict() or toJSON()');
    return X.map((row) => {
      const votes = new Array<number>(this.classes).fill(0);
      const confidence = new Array<number>(this.classes).fill(0);
      for (const pair of this.pairs) {
        if (pair.svm === undefined) {
          votes[pair.constant ?? pair.a]! += 1;
          continue;
        }
        const margin = pair.svm.marginOne(row);
        const winner = margin > 0 ? pair.a : pair.b;
        votes[winner]! += 1;
        confidence[pair.a]! += margin;
        confidence[pair.b]! -= margin;
      }
      let best = 0;
      for (let c = 1; c < this.classes; c++) {
        const dv = votes[c]! - votes[best]!;
        if (dv > 0 || (dv === 0 && confidence[c]! > confidence[best]!)) best = c;
      }
      return best;
    });
  }

  toJSON(): unknown {
    if (this.pairs.length === 0) throw new Error('svm-mljs: fit() must run before predict() or toJSON()');
    const pairs: PairJson[] = this.pairs.map(({ a, b, constant, svm }) =>
      svm === undefined ? { a, b, constant: constant ?? a } : { a, b, svm: JSON.parse(JSON.stringify(svm)) as unknown },
    );
    return { params: this.params, seed: this.seed, classes: this.classes, pairs };
  }
}

export default defineModel<Params>({
  id: 'svm-mljs',
  description: "Support vector machine, RBF kernel, one-vs-one over ml-svm's binary simplified SMO",
  library: { name: 'ml-svm', version: mlSvm.version },
  params: { C: 1, gamma: 'auto', tol: 1e-3, maxPasses: 5, maxIterations: 10000 },
  schema,
  grid: { C: [0.1, 1, 10], gamma: ['auto', 0.1, 1] },
  preprocess: 'standardize',
  // Slower than the svm model by ~10x to ~100x (no kernel cache, random second index): not in the
  // default set.
  default: false,
  // The simplified SMO revisits every pair of a binary problem's rows; one problem per pair of classes.
  cost: ({ rows, features, classes }) =>
    ((classes * (classes - 1)) / 2) * ((2 * rows) / classes) ** 2 * features * 8e-8,
  create: (params, ctx) => new OneVsOneSvm(params, ctx.seed, ctx.classes),
  load(json) {
    const { params, seed, classes, pairs } = json as {
      params: Params;
      seed: number;
      classes: number;
      pairs: PairJson[];
    };
    return new OneVsOneSvm(
      params,
      seed,
      classes,
      pairs.map(({ a, b, constant, svm }) =>
        svm === undefined ? { a, b, constant: constant ?? a } : { a, b, svm: SVM.load(svm) },
      ),
    );
  },
});

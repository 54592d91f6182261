// Grows one gradient-boosting tree on binned features the way scikit-learn's TreeGrower does:
// best first (the splittable leaf of largest gain splits next) until maxLeafNodes leaves, with
// per-bin histograms of gradient, hessian and row count; a child's histogram is built from its
// rows only when it is the smaller one, the larger's is the parent's minus the smaller's.
// Gains and leaf values are the second-order ones: gain = GL^2/(HL+l2) + GR^2/(HR+l2) -
// G^2/(H+l2), leaf value = -G/(H+l2) times the learning rate.

import type { Matrix } from '../../ml/matrix.js';
import type { BinnedFeatures } from './binning.js';
import { midpoint } from './binning.js';
import { partitionRows } from './partition.js';
import type { EnsembleBuilder } from './ensemble.js';

export interface BoostTreeSettings {
  /** Most leaves per tree (a huge number for none). */
  maxLeafNodes: number;
  /** Deepest a leaf may sit (a huge number for none). */
  maxDepth: number;
  minSamplesLeaf: number;
  l2Regularization: number;
  /** Least hessian each side of a split keeps (scikit-learn's min_hessian_to_split). */
  minHessian: number;
}

/** Triples per bin in a histogram: gradient sum, hessian sum, row count. */
const T = 3;

export class GradientTreeGrower {
  private readonly n: number;
  private readonly F: number;
  private readonly samples: Int32Array;
  private readonly rightRows: Int32Array;
  private readonly og: Float64Array;
  private readonly oh: Float64Array;
  private readonly histSize: number;
  /** Rows per bin over all rows: the root's counts. */
  private readonly rootCounts: Float64Array;
  private readonly histograms: Float64Array[] = [];
  private readonly freeHistograms: number[] = [];

  // The current tree's nodes; node 0 is the root.
  private readonly capacity: number;
  private nodes = 0;
  private readonly start: Int32Array;
  private readonly end: Int32Array;
  private readonly depth: Int32Array;
  private readonly sumG: Float64Array;
  private readonly sumH: Float64Array;
  private readonly hist: Int32Array;
  private readonly leftChild: Int32Array;
  private readonly rightChild: Int32Array;
  private readonly value: Float64Array;
  // Best split of each candidate node.
  private readonly gain: Float64Array;
  private readonly splitFeature: Int32Array;
  private readonly splitCut: Int32Array;
  private readonly splitThreshold: Float64Array;
  private readonly splitG: Float64Array;
  private readonly splitH: Float64Array;
  private readonly splitRows: Int32Array;
  private readonly candidates: Int32Array;
  private candidateCount = 0;
  private readonly emitStack: Int32Array;
  private readonly emitLink: Int32Array;

  constructor(
    private readonly data: BinnedFeatures,
    private readonly settings: BoostTreeSettings,
  ) {
    const n = data.rows;
    this.n = n;
    this.F = data.cols;
    this.samples = new Int32Array(n);
    this.rightRows = new Int32Array(n);
    this.og = new Float64Array(n);
    this.oh = new Float64Array(n);
    this.histSize = Math.max(1, data.binOffset[data.cols]!) * T;
    this.rootCounts = new Float64Array(data.binOffset[data.cols]!);
    for (let f = 0; f < data.cols; f++)
      for (let i = 0, col = f * n, base = data.binOffset[f]!; i < n; i++)
        this.rootCounts[base + data.bins[col + i]!]!++;
    const leaves = Math.max(
      1,
      Math.min(settings.maxLeafNodes, Math.floor(n / Math.max(1, settings.minSamplesLeaf)) + 1),
    );
    const cap = 2 * leaves + 1;
    this.capacity = cap;
    this.start = new Int32Array(cap);
    this.end = new Int32Array(cap);
    this.depth = new Int32Array(cap);
    this.sumG = new Float64Array(cap);
    this.sumH = new Float64Array(cap);
    this.hist = new Int32Array(cap);
    this.leftChild = new Int32Array(cap);
    this.rightChild = new Int32Array(cap);
    this.value = new Float64Array(cap);
    this.gain = new Float64Array(cap);
    this.splitFeature = new Int32Array(cap);
    this.splitCut = new Int32Array(cap);
    this.splitThreshold = new Float64Array(cap);
    this.splitG = new Float64Array(cap);
    this.splitH = new Float64Array(cap);
    this.splitRows = new Int32Array(cap);
    this.candidates = new Int32Array(cap);
    this.emitStack = new Int32Array(cap);
    this.emitLink = new Int32Array(cap);
  }

  /**
   * Grows a tree on gradients g[gOff + i] and hessians h[gOff + i]; leaf values are scaled by
   * `shrinkage`. The tree stays in this grower until the next grow().
   */
  grow(g: Float64Array, h: Float64Array, gOff: number, shrinkage: number): void {
    const n = this.n;
    const s = this.settings;
    const samples = this.samples;
    for (let i = 0; i < n; i++) samples[i] = i;
    this.nodes = 0;
    this.candidateCount = 0;
    this.freeHistograms.length = 0;
    for (let k = this.histograms.length - 1; k >= 0; k--) this.freeHistograms.push(k);
    let G = 0;
    let H = 0;
    for (let i = 0; i < n; i++) {
      G += g[gOff + i]!;
      H += h[gOff + i]!;
    }
    const root = this.newNode(0, n, 0, G, H);
    let leaves = 1;
    if (n >= 2 * s.minSamplesLeaf && H >= s.minHessian && s.maxDepth > 0 && s.maxLeafNodes > 1) {
      const hr = this.takeHistogram();
      this.hist[root] = hr;
      this.buildRoot(this.histograms[hr]!, g, h, gOff);
      this.findSplit(root);
    }

    while (this.candidateCount > 0) {
      // The candidate of largest gain, the earliest on ties.
      let pick = 0;
      for (let c = 1; c < this.candidateCount; c++)
        if (this.gain[this.candidates[c]!]! > this.gain[this.candidates[pick]!]!) pick = c;
      const node = this.candidates[pick]!;
      for (let c = pick; c < this.candidateCount - 1; c++) this.candidates[c] = this.candidates[c + 1]!;
      this.candidateCount--;

      const mid = this.partition(node);
      const depth = this.depth[node]! + 1;
      const gl = this.splitG[node]!;
      const hl = this.splitH[node]!;
      const left = this.newNode(this.start[node]!, mid, depth, gl, hl);
      const right = this.newNode(mid, this.end[node]!, depth, this.sumG[node]! - gl, this.sumH[node]! - hl);
      this.leftChild[node] = left;
      this.rightChild[node] = right;
      leaves++;

      const full = leaves >= s.maxLeafNodes;
      if (full) {
        // No more splits: every candidate left stays a leaf.
        for (let c = 0; c < this.candidateCount; c++) this.releaseHistogram(this.candidates[c]!);
        this.candidateCount = 0;
      }
      const splitLeft = !full && this.canSplit(left);
      const splitRight = !full && this.canSplit(right);
      const parentHist = this.hist[node]!;
      this.hist[node] = -1;
      if (splitLeft || splitRight) {
        const leftSmaller = mid - this.start[node]! <= this.end[node]! - mid;
        const small = leftSmaller ? left : right;
        const large = leftSmaller ? right : left;
        const smallHist = this.takeHistogram();
        this.buildNode(this.histograms[smallHist]!, this.start[small]!, this.end[small]!, g, h, gOff);
        this.hist[small] = smallHist;
        if (leftSmaller ? splitRight : splitLeft) {
          const parent = this.histograms[parentHist]!;
          const child = this.histograms[smallHist]!;
          for (let k = 0, size = this.histSize; k < size; k++) parent[k]! -= child[k]!;
          this.hist[large] = parentHist;
        } else this.freeHistograms.push(parentHist);
        if (splitLeft) this.findSplit(left);
        else this.releaseHistogram(left);
        if (splitRight) this.findSplit(right);
        else this.releaseHistogram(right);
      } else this.freeHistograms.push(parentHist);
    }

    const l2 = s.l2Regularization;
    for (let k = 0; k < this.nodes; k++)
      if (this.leftChild[k]! < 0) this.value[k] = (shrinkage * -this.sumG[k]!) / (this.sumH[k]! + l2 + 1e-15);
  }

  /** Adds each training row's leaf value to raw[i * stride + offset]. */
  addToTraining(raw: Float64Array, stride: number, offset: number): void {
    const samples = this.samples;
    for (let k = 0; k < this.nodes; k++) {
      if (this.leftChild[k]! >= 0) continue;
      const v = this.value[k]!;
      for (let p = this.start[k]!, e = this.end[k]!; p < e; p++) raw[samples[p]! * stride + offset]! += v;
    }
  }

  /** Adds the tree's value for each row of X (raw features) to raw[i * stride + offset]. */
  addToRows(X: Matrix, raw: Float64Array, stride: number, offset: number): void {
    const xs = X.values;
    const rows = X.rows;
    const { leftChild, rightChild, splitFeature, splitThreshold, value } = this;
    for (let i = 0; i < rows; i++) {
      let node = 0;
      while (leftChild[node]! >= 0)
        node = xs[splitFeature[node]! * rows + i]! <= splitThreshold[node]! ? leftChild[node]! : rightChild[node]!;
      raw[i * stride + offset]! += value[node]!;
    }
  }

  /** Appends the tree to `out` (width 1), nodes in depth-first order. */
  emit(out: EnsembleBuilder): void {
    const stack = this.emitStack;
    const ref = this.emitLink;
    let top = 0;
    let root = 0;
    stack[top++] = 0;
    ref[0] = -1;
    // ref[k] holds, for a node waiting on the stack, its parent's id * 2 + (1 if right child).
    while (top > 0) {
      const k = stack[--top]!;
      const link = ref[k]!;
      let id: number;
      if (this.leftChild[k]! < 0) {
        const leaf = out.addLeaf();
        out.leafValues[leaf] = this.value[k]!;
        id = ~leaf;
      } else {
        id = out.addNode(this.splitFeature[k]!, this.splitThreshold[k]!);
        const l = this.leftChild[k]!;
        const r = this.rightChild[k]!;
        ref[r] = id * 2 + 1;
        ref[l] = id * 2;
        stack[top++] = r;
        stack[top++] = l;
      }
      if (link < 0) root = id;
      else out.setChild(link >> 1, (link & 1) === 0, id);
    }
    out.addTree(root);
  }

  private canSplit(node: number): boolean {
    const s = this.settings;
    return (
      this.depth[node]! < s.maxDepth &&
      this.end[node]! - this.start[node]! >= 2 * s.minSamplesLeaf &&
      this.sumH[node]! >= 2 * s.minHessian
    );
  }

  private newNode(start: number, end: number, depth: number, G: number, H: number): number {
    const k = this.nodes++;
    if (k >= this.capacity) throw new Error('boosting tree: node capacity exceeded');
    this.start[k] = start;
    this.end[k] = end;
    this.depth[k] = depth;
    this.sumG[k] = G;
    this.sumH[k] = H;
    this.hist[k] = -1;
    this.leftChild[k] = -1;
    this.rightChild[k] = -1;
    return k;
  }

  private takeHistogram(): number {
    const free = this.freeHistograms.pop();
    if (free !== undefined) return free;
    this.histograms.push(new Float64Array(this.histSize));
    return this.histograms.length - 1;
  }

  private releaseHistogram(node: number): void {
    const id = this.hist[node]!;
    if (id >= 0) this.freeHistograms.push(id);
    this.hist[node] = -1;
  }

  // Both builders take features two at a time: a row's index, gradient and hessian are then
  // read once for two histogram updates (about a third faster than a feature per pass). The
  // root holds every row, so its row counts are the same in every tree: counted once.
  private buildRoot(hist: Float64Array, g: Float64Array, h: Float64Array, gOff: number): void {
    const n = this.n;
    const F = this.F;
    const bins = this.data.bins;
    const offsets = this.data.binOffset;
    hist.fill(0);
    const counts = this.rootCounts;
    for (let b = 0, at = 2; b < counts.length; b++, at += T) hist[at] = counts[b]!;
    // An odd feature out first, so that the pair loop is the last thing this function does:
    // code after a long loop has no type feedback when V8 compiles the loop on the fly, and
    // would drop out of optimized code on every call.
    const pairs = F & ~1;
    if (pairs < F) {
      const col = pairs * n;
      const base = offsets[pairs]! * T;
      for (let i = 0; i < n; i++) {
        const at = base + bins[col + i]! * T;
        hist[at]! += g[gOff + i]!;
        hist[at + 1]! += h[gOff + i]!;
      }
    }
    for (let f = 0; f < pairs; f += 2) {
      const col0 = f * n;
      const col1 = col0 + n;
      const base0 = offsets[f]! * T;
      const base1 = offsets[f + 1]! * T;
      for (let i = 0; i < n; i++) {
        const gi = g[gOff + i]!;
        const hi = h[gOff + i]!;
        const a = base0 + bins[col0 + i]! * T;
        hist[a]! += gi;
        hist[a + 1]! += hi;
        const b = base1 + bins[col1 + i]! * T;
        hist[b]! += gi;
        hist[b + 1]! += hi;
      }
    }
  }

  private buildNode(
    hist: Float64Array,
    start: number,
    end: number,
    g: Float64Array,
    h: Float64Array,
    gOff: number,
  ): void {
    const { samples, og, oh } = this;
    const n = this.n;
    const F = this.F;
    const bins = this.data.bins;
    const offsets = this.data.binOffset;
    for (let p = start, k = 0; p < end; p++, k++) {
      const s = samples[p]!;
      og[k] = g[gOff + s]!;
      oh[k] = h[gOff + s]!;
    }
    hist.fill(0);
    // The odd feature out first, as in buildRoot.
    const pairs = F & ~1;
    if (pairs < F) {
      const col = pairs * n;
      const base = offsets[pairs]! * T;
      for (let p = start, k = 0; p < end; p++, k++) {
        const at = base + bins[col + samples[p]!]! * T;
        hist[at]! += og[k]!;
        hist[at + 1]! += oh[k]!;
        hist[at + 2]!++;
      }
    }
    for (let f = 0; f < pairs; f += 2) {
      const col0 = f * n;
      const col1 = col0 + n;
      const base0 = offsets[f]! * T;
      const base1 = offsets[f + 1]! * T;
      for (let p = start, k = 0; p < end; p++, k++) {
        const s = samples[p]!;
        const gk = og[k]!;
        const hk = oh[k]!;
        const a = base0 + bins[col0 + s]! * T;
        hist[a]! += gk;
        hist[a + 1]! += hk;
        hist[a + 2]!++;
        const b = base1 + bins[col1 + s]! * T;
        hist[b]! += gk;
        hist[b + 1]! += hk;
        hist[b + 2]!++;
      }
    }
  }

  /** The node's best split; a candidate if it has one, else it stays a leaf. */
  private findSplit(node: number): void {
    this.splitFeature[node] = -1;
    const G = this.sumG[node]!;
    const parentScore = (G * G) / (this.sumH[node]! + this.settings.l2Regularization);
    const best = this.bestSplit(node, parentScore);
    if (this.splitFeature[node]! >= 0) {
      this.gain[node] = best - parentScore;
      this.candidates[this.candidateCount++] = node;
    } else this.releaseHistogram(node);
  }

  /**
   * Scans every feature's histogram for the node's best split (recorded in split*[node]);
   * returns its children's score. A loop and nothing after it: see partition.ts.
   */
  private bestSplit(node: number, parentScore: number): number {
    const s = this.settings;
    const hist = this.histograms[this.hist[node]!]!;
    const { binCount, binOffset, lo, hi } = this.data;
    const rows = this.end[node]! - this.start[node]!;
    const G = this.sumG[node]!;
    const H = this.sumH[node]!;
    const l2 = s.l2Regularization;
    const minLeaf = s.minSamplesLeaf;
    const minHessian = s.minHessian;
    // A split is kept when its children's score GL^2/(HL+l2) + GR^2/(HR+l2) beats `bar`: the
    // parent's score by more than rounding (a gain within rounding of zero is no gain: rows of
    // one gradient value would otherwise split on noise and spend leaves for nothing), then the
    // best split's. Compared as num > bar * den, with no division per candidate.
    let bar = parentScore * (1 + 1e-12);
    for (let f = 0; f < this.F; f++) {
      const base = binOffset[f]!;
      const nb = binCount[f]!;
      let gl = 0;
      let hl = 0;
      let nl = 0;
      let prev = -1;
      for (let b = 0; b < nb; b++) {
        const at = (base + b) * T;
        const count = hist[at + 2]!;
        if (count === 0) continue;
        if (prev >= 0) {
          if (rows - nl < minLeaf) break;
          const hr = H - hl;
          if (nl >= minLeaf && hl >= minHessian && hr >= minHessian) {
            const gr = G - gl;
            const dl = hl + l2;
            const dr = hr + l2;
            const num = gl * gl * dr + gr * gr * dl;
            const den = dl * dr;
            if (num > bar * den) {
              bar = num / den;
              this.splitFeature[node] = f;
              this.splitCut[node] = prev;
              this.splitThreshold[node] = midpoint(hi[base + prev]!, lo[base + b]!);
              this.splitG[node] = gl;
              this.splitH[node] = hl;
              this.splitRows[node] = nl;
            }
          }
        }
        gl += hist[at]!;
        hl += hist[at + 1]!;
        nl += count;
        prev = b;
      }
    }
    return bar;
  }

  /** Stable: rows of the node with bin <= cut first, in their order; returns the split point. */
  private partition(node: number): number {
    const { samples, rightRows } = this;
    const bins = this.data.bins;
    const col = this.splitFeature[node]! * this.n;
    const cut = this.splitCut[node]!;
    const start = this.start[node]!;
    const end = this.end[node]!;
    const mid = partitionRows(samples, rightRows, bins, col, cut, start, end);
    if (mid - start !== this.splitRows[node]) throw new Error('boosting tree: partition disagrees with the histogram');
    return mid;
  }
}

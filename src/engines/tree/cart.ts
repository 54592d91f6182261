// Grows the classification trees (decision tree, random forest, extra trees) on binned features,
// depth first like scikit-learn's DepthFirstTreeBuilder, with its node rules: a node is a leaf
// when it holds fewer than minSamplesSplit rows, fewer than 2 * minSamplesLeaf, is pure, or sits
// at maxDepth; features are drawn afresh at every node, as scikit-learn's splitters draw them
// (see nextFeature), and a feature found constant in a node is known to be constant in its
// whole subtree, where drawing it costs a draw but no pass over the rows.
//
// Rows carry integer weights (1, or a bootstrap's draw counts); rows of weight 0 are left out,
// and the row counts that minSamplesLeaf and minSamplesSplit look at count distinct rows, as in
// scikit-learn. Class counts are integers, so the impurity sums below are exact.
//
// Best splits ('best') come from a histogram per feature: per bin, the rows and the weight of
// each class. When every feature is a candidate at every node, a node's histogram covers all
// its features and its children's come from it: the smaller child's is built from its rows and
// the larger's is the parent's minus the smaller's, in the parent's buffer. With fewer candidate
// features each drawn feature's histogram is built on its own. Random splits ('random', extra
// trees) need no histogram: one pass finds the node's range of bins, one draws a cut in it and
// one more counts the classes on its left.

import type { BinnedFeatures } from './binning.js';
import { midpoint } from './binning.js';
import { partitionRows } from './partition.js';
import type { EnsembleBuilder } from './ensemble.js';

const DRAW_BATCH = 256;

export interface CartSettings {
  entropy: boolean;
  /** Extra trees' splitter: one random threshold per drawn feature. */
  random: boolean;
  /** Deepest a leaf may sit; use a huge number for none. */
  maxDepth: number;
  minSamplesSplit: number;
  minSamplesLeaf: number;
  /** Non-constant features to try per node, 1..cols. */
  maxFeatures: number;
}

export class ClassTreeGrower {
  private readonly n: number;
  private readonly F: number;
  private readonly C: number;
  /** Ints per histogram bin: the row count, then one weight per class. */
  private readonly K: number;
  private readonly samples: Int32Array;
  // The current node's labels, weights and one feature's bins, gathered once into contiguous
  // runs so the passes over a node's rows read memory in order.
  private readonly nodeY: Int32Array;
  private readonly nodeW: Int32Array;
  private readonly nodeBins: Uint8Array;
  private readonly rightRows: Int32Array;
  private readonly features: Int32Array;
  private readonly knownOrder: Int32Array;
  /** `x log x` of every integer weight a node can hold: exact, repeatable entropy sums. */
  private xlogx = new Float64Array(0);

  // The stack of nodes waiting to be grown (grows by doubling if a tree is very deep).
  private stackCap = 64;
  private stStart = new Int32Array(this.stackCap);
  private stEnd = new Int32Array(this.stackCap);
  private stDepth = new Int32Array(this.stackCap);
  private stParent = new Int32Array(this.stackCap);
  private stIsLeft = new Uint8Array(this.stackCap);
  private stConst = new Int32Array(this.stackCap);
  private stHist = new Int32Array(this.stackCap);
  private stTotals: Int32Array;

  private readonly scratch: Int32Array;
  /** The bins a scratch histogram fills, as a bitmap, and then as an ascending list. */
  private readonly occupiedBits: Int32Array;
  private readonly occupied: Int32Array;
  /**
   * Below this many rows a node's split search builds each feature's histogram on its own (a
   * pass over its rows and its few occupied bins) rather than keep a histogram of every feature,
   * whose subtraction and scan cost every bin of every feature, occupied or not.
   */
  private readonly histMinRows: number;
  private readonly histograms: Int32Array[] = [];
  private readonly freeHistograms: number[] = [];

  private readonly totals: Int32Array;
  private readonly leftCounts: Int32Array;
  private readonly bestLeft: Int32Array;

  // The best split of the current node.
  private bestProxy = -Infinity;
  private bestFeature = -1;
  private bestCut = 0;
  // Doubles start as doubles (NaN, not 0): a field that turns from small integer to double
  // changes the object's hidden class, and every function optimized for the old one deopts.
  private bestThreshold = NaN;
  private bestRows = 0;

  private weights: Int32Array;
  private readonly ones: Int32Array;
  /** All weights 1: the passes over rows skip reading them. */
  private unit = true;
  private settings: CartSettings = {
    entropy: false,
    random: false,
    maxDepth: 0,
    minSamplesSplit: 2,
    minSamplesLeaf: 1,
    maxFeatures: 1,
  };
  private random: () => number = Math.random;
  // The tree's random numbers, drawn from `random` in batches: the hot code reads an array
  // instead of calling a closure that is a new one in every tree.
  private readonly draws = new Float64Array(DRAW_BATCH);
  private drawn = DRAW_BATCH;

  constructor(
    private readonly data: BinnedFeatures,
    private readonly y: Int32Array,
    classes: number,
  ) {
    this.n = data.rows;
    this.F = data.cols;
    this.C = classes;
    this.K = classes + 1;
    this.samples = new Int32Array(this.n);
    this.nodeY = new Int32Array(this.n);
    this.nodeW = new Int32Array(this.n);
    this.nodeBins = new Uint8Array(this.n);
    this.rightRows = new Int32Array(this.n);
    this.features = new Int32Array(this.F);
    this.knownOrder = new Int32Array(this.F);
    this.stTotals = new Int32Array(this.stackCap * classes);
    this.scratch = new Int32Array(Math.max(1, data.maxBinCount) * this.K);
    this.occupiedBits = new Int32Array(Math.ceil(Math.max(1, data.maxBinCount) / 32));
    this.occupied = new Int32Array(Math.max(1, data.maxBinCount));
    this.histMinRows = Math.ceil(((data.binOffset[this.F]! / Math.max(1, this.F)) * this.K) / 2);
    this.totals = new Int32Array(classes);
    this.leftCounts = new Int32Array(classes);
    this.bestLeft = new Int32Array(classes);
    this.ones = new Int32Array(this.n).fill(1);
    this.weights = this.ones;
  }

  /**
   * Grows one tree into `out` (leaf values: class fractions). `weights` (null: all 1) are the
   * rows' integer weights.
   */
  grow(weights: Int32Array | null, settings: CartSettings, random: () => number, out: EnsembleBuilder): void {
    const { n, F, C, samples, features, totals } = this;
    this.weights = weights ?? this.ones;
    this.unit = weights === null;
    this.settings = settings;
    this.random = random;
    this.drawn = DRAW_BATCH;
    if (settings.entropy) {
      let total = 0;
      for (let i = 0; i < n; i++) total += this.weights[i]!;
      this.ensureXlogx(total);
    }
    const w = this.weights;
    const y = this.y;

    totals.fill(0);
    let m = 0;
    for (let i = 0; i < n; i++) {
      const wi = w[i]!;
      if (wi > 0) {
        samples[m++] = i;
        totals[y[i]!]! += wi;
      }
    }
    for (let j = 0; j < F; j++) features[j] = j;
    const useHistograms = !settings.random && settings.maxFeatures >= F;

    let top = 0;
    this.push(top++, 0, m, 0, -1, false, 0, -1, totals);
    let root = -1;
    while (top > 0) {
      top--;
      const start = this.stStart[top]!;
      const end = this.stEnd[top]!;
      const depth = this.stDepth[top]!;
      const parent = this.stParent[top]!;
      const isLeft = this.stIsLeft[top] === 1;
      const known = this.stConst[top]!;
      let hist = this.stHist[top]!;
      for (let c = 0; c < C; c++) totals[c] = this.stTotals[top * C + c]!;

      let ref: number;
      let split = false;
      let constants = known;
      if (!this.isLeaf(end - start, depth, totals)) {
        this.bestProxy = -Infinity;
        this.bestFeature = -1;
        if (settings.random) {
          this.gather(start, end);
          this.splitRandom(start, end, known);
          constants = this.endDraws();
        } else if (hist >= 0) {
          this.splitBest(this.histograms[hist]!, start, end, known);
          constants = this.endDraws();
        } else if (useHistograms && end - start >= this.histMinRows) {
          hist = this.takeHistogram();
          this.gather(start, end);
          this.buildAll(this.histograms[hist]!, start, end, known);
          this.splitBest(this.histograms[hist]!, start, end, known);
          constants = this.endDraws();
        } else {
          this.gather(start, end);
          this.splitBest(null, start, end, known);
          constants = this.endDraws();
        }
        split = this.bestFeature >= 0;
      }

      if (!split) {
        if (hist >= 0) this.freeHistograms.push(hist);
        ref = ~this.leaf(out, totals);
      } else {
        const f = this.bestFeature;
        const id = out.addNode(f, this.bestThreshold);
        ref = id;
        const mid = this.partition(start, end, f, this.bestCut);
        const rightTotals = this.leftCounts; // reused: the scan is over
        for (let c = 0; c < C; c++) rightTotals[c] = totals[c]! - this.bestLeft[c]!;
        const leftLeaf = this.isLeaf(mid - start, depth + 1, this.bestLeft);
        const rightLeaf = this.isLeaf(end - mid, depth + 1, rightTotals);
        let leftHist = -1;
        let rightHist = -1;
        if (hist >= 0) {
          // Children too small for a histogram to pay (see histMinRows) go without one.
          const leftSmaller = mid - start <= end - mid;
          const smallRows = leftSmaller ? mid - start : end - mid;
          const largerWithout = (leftSmaller ? rightLeaf : leftLeaf) || end - start - smallRows < this.histMinRows;
          if (!largerWithout) {
            const small = this.takeHistogram();
            const buffer = this.histograms[small]!;
            if (leftSmaller) {
              this.gather(start, mid);
              this.buildAll(buffer, start, mid, constants);
            } else {
              this.gather(mid, end);
              this.buildAll(buffer, mid, end, constants);
            }
            this.subtract(this.histograms[hist]!, buffer, constants);
            const smallerWithout = (leftSmaller ? leftLeaf : rightLeaf) || smallRows < this.histMinRows;
            const keptSmall = smallerWithout ? -1 : small;
            if (smallerWithout) this.freeHistograms.push(small);
            if (leftSmaller) {
              leftHist = keptSmall;
              rightHist = hist;
            } else {
              leftHist = hist;
              rightHist = keptSmall;
            }
          } else this.freeHistograms.push(hist);
        }
        // Right pushed first so that the left child is grown next, as in scikit-learn.
        if (top + 2 > this.stackCap) this.growStack();
        this.push(top++, mid, end, depth + 1, id, false, constants, rightHist, rightTotals);
        this.push(top++, start, mid, depth + 1, id, true, constants, leftHist, this.bestLeft);
      }
      if (parent < 0) root = ref;
      else out.setChild(parent, isLeft, ref);
    }
    out.addTree(root);
  }

  private ensureXlogx(total: number): void {
    if (this.xlogx.length > total) return;
    const table = new Float64Array(total + 1);
    for (let k = 1; k <= total; k++) table[k] = k * Math.log(k);
    this.xlogx = table;
  }

  private isLeaf(rows: number, depth: number, totals: Int32Array): boolean {
    const s = this.settings;
    if (rows < s.minSamplesSplit || rows < 2 * s.minSamplesLeaf || depth >= s.maxDepth) return true;
    let nonzero = 0;
    for (let c = 0; c < this.C; c++) if (totals[c]! > 0) nonzero++;
    return nonzero <= 1;
  }

  private leaf(out: EnsembleBuilder, totals: Int32Array): number {
    const C = this.C;
    const id = out.addLeaf();
    const values = out.leafValues;
    let total = 0;
    for (let c = 0; c < C; c++) total += totals[c]!;
    for (let c = 0; c < C; c++) values[id * C + c] = totals[c]! / total;
    return id;
  }

  private push(
    at: number,
    start: number,
    end: number,
    depth: number,
    parent: number,
    isLeft: boolean,
    constants: number,
    hist: number,
    totals: Int32Array,
  ): void {
    this.stStart[at] = start;
    this.stEnd[at] = end;
    this.stDepth[at] = depth;
    this.stParent[at] = parent;
    this.stIsLeft[at] = isLeft ? 1 : 0;
    this.stConst[at] = constants;
    this.stHist[at] = hist;
    for (let c = 0; c < this.C; c++) this.stTotals[at * this.C + c] = totals[c]!;
  }

  private growStack(): void {
    const cap = this.stackCap * 2;
    const g32 = (a: Int32Array, size: number): Int32Array<ArrayBuffer> => {
      const b = new Int32Array(size);
      b.set(a);
      return b;
    };
    this.stStart = g32(this.stStart, cap);
    this.stEnd = g32(this.stEnd, cap);
    this.stDepth = g32(this.stDepth, cap);
    this.stParent = g32(this.stParent, cap);
    const isLeft = new Uint8Array(cap);
    isLeft.set(this.stIsLeft);
    this.stIsLeft = isLeft;
    this.stConst = g32(this.stConst, cap);
    this.stHist = g32(this.stHist, cap);
    this.stTotals = g32(this.stTotals, cap * this.C);
    this.stackCap = cap;
  }

  private takeHistogram(): number {
    const free = this.freeHistograms.pop();
    if (free !== undefined) return free;
    this.histograms.push(new Int32Array(Math.max(1, this.data.binOffset[this.F]!) * this.K));
    return this.histograms.length - 1;
  }

  /** Clears and fills `hist` for the features not known to be constant (features[known..]). */
  private buildAll(hist: Int32Array, start: number, end: number, known: number): void {
    const { features, K } = this;
    const offsets = this.data.binOffset;
    let j = known;
    for (; j + 1 < this.F; j += 2) {
      const f = features[j]!;
      const f1 = features[j + 1]!;
      hist.fill(0, offsets[f]! * K, offsets[f + 1]! * K);
      hist.fill(0, offsets[f1]! * K, offsets[f1 + 1]! * K);
      this.buildPair(hist, f, f1, start, end);
    }
    if (j < this.F) {
      const f = features[j]!;
      const base = offsets[f]! * K;
      hist.fill(0, base, offsets[f + 1]! * K);
      this.buildFeature(hist, base, f, start, end);
    }
  }

  /** Two features' histograms in one pass: each row's index and label are read once for both. */
  private buildPair(hist: Int32Array, f0: number, f1: number, start: number, end: number): void {
    const { samples, nodeY, nodeW, K } = this;
    const bins = this.data.bins;
    const offsets = this.data.binOffset;
    const col0 = f0 * this.n;
    const col1 = f1 * this.n;
    const base0 = offsets[f0]! * K + 1;
    const base1 = offsets[f1]! * K + 1;
    if (this.unit) {
      for (let p = start, k = 0; p < end; p++, k++) {
        const s = samples[p]!;
        const y = nodeY[k]!;
        const a = base0 + bins[col0 + s]! * K;
        hist[a - 1]!++;
        hist[a + y]!++;
        const b = base1 + bins[col1 + s]! * K;
        hist[b - 1]!++;
        hist[b + y]!++;
      }
      return;
    }
    for (let p = start, k = 0; p < end; p++, k++) {
      const s = samples[p]!;
      const y = nodeY[k]!;
      const w = nodeW[k]!;
      const a = base0 + bins[col0 + s]! * K;
      hist[a - 1]!++;
      hist[a + y]! += w;
      const b = base1 + bins[col1 + s]! * K;
      hist[b - 1]!++;
      hist[b + y]! += w;
    }
  }

  /** Labels and weights of samples[start..end] into nodeY/nodeW[0..]. */
  private gather(start: number, end: number): void {
    const { samples, y, nodeY, nodeW } = this;
    const w = this.weights;
    if (this.unit) {
      for (let p = start, k = 0; p < end; p++, k++) nodeY[k] = y[samples[p]!]!;
      return;
    }
    for (let p = start, k = 0; p < end; p++, k++) {
      const s = samples[p]!;
      nodeY[k] = y[s]!;
      nodeW[k] = w[s]!;
    }
  }

  /** One feature's histogram over samples[start..end], whose labels gather() put in nodeY. */
  private buildFeature(hist: Int32Array, base: number, f: number, start: number, end: number): void {
    const { samples, nodeY, nodeW, K } = this;
    const bins = this.data.bins;
    const col = f * this.n;
    if (this.unit) {
      for (let p = start, k = 0; p < end; p++, k++) {
        const h = base + bins[col + samples[p]!]! * K;
        hist[h]!++;
        hist[h + 1 + nodeY[k]!]!++;
      }
      return;
    }
    for (let p = start, k = 0; p < end; p++, k++) {
      const h = base + bins[col + samples[p]!]! * K;
      hist[h]!++;
      hist[h + 1 + nodeY[k]!]! += nodeW[k]!;
    }
  }

  /** `parent -= child` over the features not known to be constant. */
  private subtract(parent: Int32Array, child: Int32Array, known: number): void {
    const { features, K } = this;
    const offsets = this.data.binOffset;
    for (let j = known; j < this.F; j++) {
      const f = features[j]!;
      const end = offsets[f + 1]! * K;
      for (let h = offsets[f]! * K; h < end; h++) parent[h]! -= child[h]!;
    }
  }

  /**
   * Draws features for the node, scans each one's histogram (the node's `hist`, or one built now
   * in the scratch buffer) and keeps the best split in `best*`; endDraws() then tells how many
   * features the children know to be constant. (Nothing after the loop: see partition.ts.)
   */
  private splitBest(hist: Int32Array | null, start: number, end: number, known: number): void {
    const K = this.K;
    const offsets = this.data.binOffset;
    const counts = this.data.binCount;
    this.beginDraws(known);
    for (let f = this.nextFeature(); f >= 0; f = this.nextFeature()) {
      let occupied: number;
      if (hist) {
        const base = offsets[f]! * K;
        occupied = this.listOccupied(hist, base, counts[f]!);
        if (occupied > 1) this.scan(hist, base, f, end - start, occupied);
      } else {
        const scratch = this.scratch;
        this.buildScratch(f, start, end);
        occupied = this.takeOccupied();
        if (occupied > 1) this.scan(scratch, 0, f, end - start, occupied);
        if (occupied * 4 >= counts[f]!) scratch.fill(0, 0, counts[f]! * K);
        else {
          const list = this.occupied;
          for (let i = 0; i < occupied; i++) for (let h = list[i]! * K, e = h + K; h < e; h++) scratch[h] = 0;
        }
      }
      if (occupied <= 1) this.foundConstant();
      else this.tried();
    }
  }

  // Feature draws at a node, scikit-learn's way: without replacement, maxFeatures of them
  // (constant ones count), and on past that while every feature drawn was constant. Layout of
  // `features`: [0, drawn) known constants drawn here, [drawn, known) known constants not drawn,
  // [known, known + found) constants found here, then features not drawn, and from drawEnd on
  // the non-constant features already tried.
  private drawKnown = 0;
  private drawDrawn = 0;
  private drawFound = 0;
  private drawEnd = 0;
  private drawVisited = 0;
  private drawAt = 0;

  /** The tree's next random number in [0, 1), in the order `random` gives them. */
  private uniform(): number {
    if (this.drawn === DRAW_BATCH) this.refill();
    return this.draws[this.drawn++]!;
  }

  private refill(): void {
    const random = this.random;
    for (let i = 0; i < DRAW_BATCH; i++) this.draws[i] = random();
    this.drawn = 0;
  }

  private beginDraws(known: number): void {
    // Drawing known constants reorders them: the order is put back at the end, because a
    // sibling still to be grown counts on features[0, known) holding this node's constants and
    // nothing else, and a child's draws would otherwise mix its own constants into that range.
    for (let j = 0; j < known; j++) this.knownOrder[j] = this.features[j]!;
    this.drawKnown = known;
    this.drawDrawn = 0;
    this.drawFound = 0;
    this.drawEnd = this.F;
    this.drawVisited = 0;
  }

  /** The next feature to evaluate at the node, or -1 when it has tried enough. */
  private nextFeature(): number {
    const features = this.features;
    const known = this.drawKnown;
    const maxFeatures = this.settings.maxFeatures;
    while (
      this.drawEnd > known + this.drawFound &&
      (this.drawVisited < maxFeatures || this.drawVisited <= this.drawFound + this.drawDrawn)
    ) {
      this.drawVisited++;
      let j = this.drawDrawn + Math.floor(this.uniform() * (this.drawEnd - this.drawFound - this.drawDrawn));
      if (j < known) {
        // A feature already known to be constant here: a draw spent, nothing to evaluate.
        const f = features[j]!;
        features[j] = features[this.drawDrawn]!;
        features[this.drawDrawn++] = f;
        continue;
      }
      j += this.drawFound;
      this.drawAt = j;
      return features[j]!;
    }
    return -1;
  }

  /** Ends the node's draws; returns how many features its children know to be constant. */
  private endDraws(): number {
    const known = this.drawKnown;
    if (this.drawDrawn > 0) for (let j = 0; j < known; j++) this.features[j] = this.knownOrder[j]!;
    return known + this.drawFound;
  }

  /** The feature nextFeature() gave is constant in the node (and so in its subtree). */
  private foundConstant(): void {
    const features = this.features;
    const at = this.drawKnown + this.drawFound++;
    const f = features[this.drawAt]!;
    features[this.drawAt] = features[at]!;
    features[at] = f;
  }

  /** The feature nextFeature() gave was evaluated. */
  private tried(): void {
    const features = this.features;
    const f = features[this.drawAt]!;
    features[this.drawAt] = features[--this.drawEnd]!;
    features[this.drawEnd] = f;
  }

  /** Scans the occupied bins (the first `count` of `occupied`) of one feature's histogram. */
  private scan(hist: Int32Array, base: number, f: number, rows: number, count: number): void {
    const { C, K, totals, leftCounts, occupied } = this;
    const minLeaf = this.settings.minSamplesLeaf;
    const entropy = this.settings.entropy;
    const xlogx = this.xlogx;
    let total = 0;
    let sqLeft = 0;
    let sqRight = 0;
    let entLeft = 0;
    let entRight = 0;
    for (let c = 0; c < C; c++) {
      const t = totals[c]!;
      total += t;
      leftCounts[c] = 0;
      if (entropy) entRight += xlogx[t]!;
      else sqRight += t * t;
    }
    let rowsLeft = 0;
    let wLeft = 0;
    let prev = -1;
    for (let i = 0; i < count; i++) {
      const b = occupied[i]!;
      const h = base + b * K;
      const binRows = hist[h]!;
      if (prev >= 0) {
        if (rows - rowsLeft < minLeaf) break;
        if (rowsLeft >= minLeaf) {
          const wRight = total - wLeft;
          const proxy = entropy
            ? entLeft + entRight - xlogx[wLeft]! - xlogx[wRight]!
            : sqLeft / wLeft + sqRight / wRight;
          if (proxy > this.bestProxy) {
            const offset = this.data.binOffset[f]!;
            this.bestProxy = proxy;
            this.bestFeature = f;
            this.bestCut = prev;
            this.bestThreshold = midpoint(this.data.hi[offset + prev]!, this.data.lo[offset + b]!);
            this.bestRows = rowsLeft;
            for (let c = 0; c < C; c++) this.bestLeft[c] = leftCounts[c]!;
          }
        }
      }
      for (let c = 0; c < C; c++) {
        const d = hist[h + 1 + c]!;
        if (d === 0) continue;
        const l = leftCounts[c]!;
        const r = totals[c]! - l;
        if (entropy) {
          entLeft += xlogx[l + d]! - xlogx[l]!;
          entRight += xlogx[r - d]! - xlogx[r]!;
        } else {
          sqLeft += d * (2 * l + d);
          sqRight += d * (d - 2 * r);
        }
        leftCounts[c] = l + d;
        wLeft += d;
      }
      rowsLeft += binRows;
      prev = b;
    }
  }

  /** Lists the bins of a histogram that hold rows, ascending; returns how many. */
  private listOccupied(hist: Int32Array, base: number, bins: number): number {
    const { K, occupied } = this;
    let count = 0;
    for (let b = 0; b < bins; b++) if (hist[base + b * K] !== 0) occupied[count++] = b;
    return count;
  }

  /** Lists (ascending) and clears the bins buildScratch marked; returns how many. */
  private takeOccupied(): number {
    const { occupiedBits, occupied } = this;
    let count = 0;
    for (let word = 0; word < occupiedBits.length; word++) {
      let bits = occupiedBits[word]!;
      occupiedBits[word] = 0;
      while (bits !== 0) {
        const lowest = bits & -bits;
        occupied[count++] = (word << 5) + 31 - Math.clz32(lowest);
        bits ^= lowest;
      }
    }
    return count;
  }

  /**
   * Feature f's histogram over samples[start..end] into the scratch buffer, marking the bins it
   * fills, so that a small node costs its rows and its occupied bins, not every bin.
   */
  private buildScratch(f: number, start: number, end: number): void {
    const { samples, nodeY, nodeW, K, scratch, occupiedBits } = this;
    const bins = this.data.bins;
    const col = f * this.n;
    if (this.unit) {
      for (let p = start, k = 0; p < end; p++, k++) {
        const b = bins[col + samples[p]!]!;
        const h = b * K;
        scratch[h]!++;
        scratch[h + 1 + nodeY[k]!]!++;
        occupiedBits[b >>> 5]! |= 1 << (b & 31);
      }
      return;
    }
    for (let p = start, k = 0; p < end; p++, k++) {
      const b = bins[col + samples[p]!]!;
      const h = b * K;
      scratch[h]!++;
      scratch[h + 1 + nodeY[k]!]! += nodeW[k]!;
      occupiedBits[b >>> 5]! |= 1 << (b & 31);
    }
  }

  /**
   * Extra trees' node: per drawn feature, one cut drawn at random within the node's range of
   * values, scored like a best split; then endDraws(), as after splitBest.
   */
  private splitRandom(start: number, end: number, known: number): void {
    const { samples, nodeY, nodeW, nodeBins, C, totals, leftCounts } = this;
    const bins = this.data.bins;
    const { binOffset, lo: binLo, hi: binHi } = this.data;
    const minLeaf = this.settings.minSamplesLeaf;
    const entropy = this.settings.entropy;
    const xlogx = this.xlogx;
    const rows = end - start;
    let total = 0;
    for (let c = 0; c < C; c++) total += totals[c]!;
    this.beginDraws(known);
    for (let f = this.nextFeature(); f >= 0; f = this.nextFeature()) {
      const col = f * this.n;
      let minBin = 255;
      let maxBin = 0;
      for (let p = start, k = 0; p < end; p++, k++) {
        const b = bins[col + samples[p]!]!;
        nodeBins[k] = b;
        if (b < minBin) minBin = b;
        if (b > maxBin) maxBin = b;
      }
      if (minBin >= maxBin) {
        this.foundConstant();
        continue;
      }
      this.tried();

      // A value u uniform over the node's range, as scikit-learn's random splitter draws its
      // threshold; in bins: k is the last bin starting at or below u. If u falls in the gap
      // after bin k (always, when each value has its own bin) the split is exactly x <= u. If u
      // falls inside bin k's range of values (a quantile bin) the cut snaps to the nearer edge
      // of that bin, at the midpoint threshold between it and its neighbour.
      const off = binOffset[f]!;
      const vMin = binLo[off + minBin]!;
      const vMax = binHi[off + maxBin]!;
      const u = vMin + this.uniform() * (vMax - vMin);
      let a = minBin;
      let b = maxBin;
      while (a < b) {
        const m = (a + b + 1) >> 1;
        if (binLo[off + m]! <= u) a = m;
        else b = m - 1;
      }
      let cut: number;
      let threshold: number;
      if (u >= binHi[off + a]!) {
        if (a < maxBin) {
          cut = a;
          threshold = u;
        } else {
          // u at the very top of the range (measure zero): x <= min, as scikit-learn does.
          cut = minBin;
          threshold = binHi[off + minBin]!;
        }
      } else {
        cut = u < (binLo[off + a]! + binHi[off + a]!) / 2 ? a - 1 : a;
        if (cut < minBin) cut = minBin;
        if (cut >= maxBin) cut = maxBin - 1;
        threshold = midpoint(binHi[off + cut]!, binLo[off + cut + 1]!);
      }

      // Branch-free: a random cut makes "goes left" a coin toss the CPU cannot predict.
      for (let c = 0; c < C; c++) leftCounts[c] = 0;
      let rowsRight = 0;
      if (this.unit) {
        for (let k = 0; k < rows; k++) {
          const right = (cut - nodeBins[k]!) >>> 31;
          leftCounts[nodeY[k]!]! += 1 - right;
          rowsRight += right;
        }
      } else {
        for (let k = 0; k < rows; k++) {
          const right = (cut - nodeBins[k]!) >>> 31;
          leftCounts[nodeY[k]!]! += nodeW[k]! & (right - 1);
          rowsRight += right;
        }
      }
      const rowsLeft = rows - rowsRight;
      if (rowsLeft < minLeaf || rows - rowsLeft < minLeaf) continue;
      let wLeft = 0;
      let proxy = 0;
      if (entropy) {
        for (let c = 0; c < C; c++) {
          const l = leftCounts[c]!;
          wLeft += l;
          proxy += xlogx[l]! + xlogx[totals[c]! - l]!;
        }
        proxy -= xlogx[wLeft]! + xlogx[total - wLeft]!;
      } else {
        let sqLeft = 0;
        let sqRight = 0;
        for (let c = 0; c < C; c++) {
          const l = leftCounts[c]!;
          const r = totals[c]! - l;
          wLeft += l;
          sqLeft += l * l;
          sqRight += r * r;
        }
        proxy = sqLeft / wLeft + sqRight / (total - wLeft);
      }
      if (proxy > this.bestProxy) {
        this.bestProxy = proxy;
        this.bestFeature = f;
        this.bestCut = cut;
        this.bestThreshold = threshold;
        this.bestRows = rowsLeft;
        for (let c = 0; c < C; c++) this.bestLeft[c] = leftCounts[c]!;
      }
    }
  }

  /** Rows of samples[start..end] with bin <= cut first; returns where the right part starts. */
  private partition(start: number, end: number, f: number, cut: number): number {
    const samples = this.samples;
    const bins = this.data.bins;
    const col = f * this.n;
    const rightRows = this.rightRows;
    const mid = partitionRows(samples, rightRows, bins, col, cut, start, end);
    if (mid - start !== this.bestRows) throw new Error('tree: partition disagrees with the histogram');
    return mid;
  }
}

// data/: data sets from where they live to memory: the built-in iris, CSV files (csv.ts, with
// table.ts building the matrix and number.ts defining what a number is), loading several at once
// (load.ts) and what `inspect` reports (inspection.ts). A data set ends as row-major features and
// class indices on shared memory (this file). May import ml/ and the shared leaves only.
import { createHash } from 'node:crypto';

/**
 * A loaded data set. Features are one row-major Float64Array and labels one Int32Array of class
 * indices, both on SharedArrayBuffers so worker threads read them in place instead of copies.
 */
export interface Dataset {
  name: string;
  /** Where it came from: a package name or a file path. */
  source: string;
  featureNames: string[];
  classNames: string[];
  rows: number;
  cols: number;
  features: Float64Array;
  labels: Int32Array;
  /** sha256 of the parsed content (names, features, labels), not of the file bytes. */
  sha256: string;
}

export function sharedFloat64(length: number): Float64Array {
  return new Float64Array(new SharedArrayBuffer(length * Float64Array.BYTES_PER_ELEMENT));
}

export function sharedInt32(length: number): Int32Array {
  return new Int32Array(new SharedArrayBuffer(length * Int32Array.BYTES_PER_ELEMENT));
}

export function hashDataset(parts: Pick<Dataset, 'featureNames' | 'classNames' | 'features' | 'labels'>): string {
  const hash = createHash('sha256');
  hash.update(JSON.stringify([parts.featureNames, parts.classNames]));
  // Views straight onto the shared memory: no copy of what may be hundreds of megabytes.
  hash.update(new Uint8Array(parts.features.buffer, parts.features.byteOffset, parts.features.byteLength));
  hash.update(new Uint8Array(parts.labels.buffer, parts.labels.byteOffset, parts.labels.byteLength));
  return hash.digest('hex');
}

/** Per-class row counts, indexed by class. */
export function classCounts(dataset: Pick<Dataset, 'labels' | 'classNames'>): number[] {
  const counts = new Array<number>(dataset.classNames.length).fill(0);
  for (const label of dataset.labels) if (label >= 0) counts[label]! += 1;
  return counts;
}

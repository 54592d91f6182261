// The in-place row partition both growers use after a split, and a note on why it is three
// functions. V8 compiles a long loop while it runs (on-stack replacement), before the code
// after the loop has ever run; that code then has no type feedback, and the compiled loop drops
// back to the interpreter there, on every later call too. So each loop here is the last thing
// its function does.

/**
 * Stable and branch-free: samples[start..end] with bins[col + s] <= cut first, in their order,
 * the others after them in theirs; returns where the second part starts.
 */
export function partitionRows(
  samples: Int32Array,
  spare: Int32Array,
  bins: Uint8Array,
  col: number,
  cut: number,
  start: number,
  end: number,
): number {
  const mid = splitRows(samples, spare, bins, col, cut, start, end);
  copyRows(spare, samples, mid, end - mid);
  return mid;
}

/** Each row is written to both sides, and only one side's end moves. */
function splitRows(
  samples: Int32Array,
  spare: Int32Array,
  bins: Uint8Array,
  col: number,
  cut: number,
  start: number,
  end: number,
): number {
  let l = start;
  let r = 0;
  for (let p = start; p < end; p++) {
    const s = samples[p]!;
    const right = (cut - bins[col + s]!) >>> 31;
    samples[l] = s;
    spare[r] = s;
    l += 1 - right;
    r += right;
  }
  return l;
}

function copyRows(from: Int32Array, to: Int32Array, at: number, count: number): void {
  for (let k = 0; k < count; k++) to[at + k] = from[k]!;
}

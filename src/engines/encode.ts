// engines/: estimators written here on typed arrays, for the algorithms where no npm library is
// fast or correct enough; models/ wraps them in definitions. May import ml/ only.
//
// Typed arrays in a model's JSON: base64 of their little-endian bytes, a quarter of the size of
// decimal text and exact to the bit, so that a saved model predicts exactly what it predicted in
// the run that trained it.

export type Encoded = { dtype: 'f64' | 'f32' | 'i32' | 'u8'; base64: string };

const CONSTRUCTORS = { f64: Float64Array, f32: Float32Array, i32: Int32Array, u8: Uint8Array } as const;
type Typed = Float64Array | Float32Array | Int32Array | Uint8Array;

function dtypeOf(array: Typed): Encoded['dtype'] {
  if (array instanceof Float64Array) return 'f64';
  if (array instanceof Float32Array) return 'f32';
  if (array instanceof Int32Array) return 'i32';
  return 'u8';
}

export function encodeArray(array: Typed): Encoded {
  return {
    dtype: dtypeOf(array),
    base64: Buffer.from(array.buffer, array.byteOffset, array.byteLength).toString('base64'),
  };
}

export function decodeF64(encoded: Encoded): Float64Array {
  return decode(encoded, 'f64') as Float64Array;
}
export function decodeF32(encoded: Encoded): Float32Array {
  return decode(encoded, 'f32') as Float32Array;
}
export function decodeI32(encoded: Encoded): Int32Array {
  return decode(encoded, 'i32') as Int32Array;
}
export function decodeU8(encoded: Encoded): Uint8Array {
  return decode(encoded, 'u8') as Uint8Array;
}

function decode(encoded: Encoded, dtype: Encoded['dtype']): Typed {
  if (encoded?.dtype !== dtype || typeof encoded.base64 !== 'string')
    throw new Error(`expected an encoded ${dtype} array, got ${JSON.stringify(encoded)?.slice(0, 60)}`);
  const bytes = Buffer.from(encoded.base64, 'base64');
  const Ctor = CONSTRUCTORS[dtype];
  if (bytes.byteLength % Ctor.BYTES_PER_ELEMENT !== 0)
    throw new Error(`an encoded ${dtype} array of ${bytes.byteLength} bytes is truncated`);
  // A copy into a fresh, aligned buffer: Buffer's pool offset need not be a multiple of 8.
  const out = new Ctor(bytes.byteLength / Ctor.BYTES_PER_ELEMENT);
  new Uint8Array(out.buffer).set(bytes);
  return out;
}

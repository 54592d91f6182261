// Where a reader's bytes come from: a local file or a stream (a download, a decompressor), behind
// one small interface, so that every format reads both the same way and applies the same rules.
import { isUtf8 } from 'node:buffer';
import type { FileHandle } from 'node:fs/promises';
import { UsageError } from '../errors.js';

export interface ByteSource {
  /** Reads up to `length` bytes into `buf` at `offset`; 0 at the end of the data. */
  read(buf: Uint8Array, offset: number, length: number): Promise<number>;
  /** At most this many bytes will be read (a file's size, a download's limit): sizes buffers. */
  readonly bound: number;
}

/**
 * A file's bytes up to its size when it was opened. A file that changes while it is read (a
 * writer still appending, or one rewriting it) is refused at its end rather than read half-old,
 * half-new: the rows it would give are no version of the file that ever existed.
 */
export function fileSource(handle: FileHandle, size: number, mtimeMs: number, label: string): ByteSource {
  let position = 0;
  const changed = async () => {
    const now = await handle.stat();
    return now.size !== size || now.mtimeMs !== mtimeMs
      ? new UsageError(
          `${label}: the file changed while it was read (${size} bytes when opened, ${now.size} now); read it again once it is written completely`,
        )
      : undefined;
  };
  return {
    bound: size,
    async read(buf, offset, length) {
      const want = Math.min(length, size - position);
      if (want <= 0) {
        const error = await changed();
        if (error) throw error;
        return 0;
      }
      const { bytesRead } = await handle.read(buf, offset, want, position);
      if (bytesRead === 0) throw (await changed()) ?? new UsageError(`${label}: the file ended before its size`);
      position += bytesRead;
      return bytesRead;
    },
  };
}

/** A stream's chunks as a ByteSource; more than `bound` bytes is an error saying `overBound`. */
export function streamSource(chunks: AsyncIterable<Uint8Array>, bound: number, overBound: () => string): ByteSource {
  const iterator = chunks[Symbol.asyncIterator]();
  let pending: Uint8Array | undefined;
  let total = 0;
  let ended = false;
  return {
    bound,
    async read(buf, offset, length) {
      while (!pending || pending.length === 0) {
        if (ended) return 0;
        const next = await iterator.next();
        if (next.done) {
          ended = true;
          return 0;
        }
        pending = next.value;
        total += pending.length;
        if (total > bound) throw new UsageError(overBound());
      }
      const n = Math.min(length, pending.length);
      buf.set(pending.subarray(0, n), offset);
      pending = pending.subarray(n);
      return n;
    },
  };
}

/**
 * Where the first byte sequence that is not UTF-8 starts in buf[start, end), or -1. Text is
 * decoded strictly: a decoder that replaces bad bytes with U+FFFD turns Latin-1 "café" and "cafè"
 * into one string, and so two classes into one.
 */
export function firstInvalidUtf8(buf: Uint8Array, start: number, end: number): number {
  if (isUtf8(buf.subarray(start, end))) return -1;
  let i = start;
  while (i < end) {
    const b = buf[i]!;
    if (b < 0x80) {
      i += 1;
      continue;
    }
    // The length of the sequence and the range its second byte must fall in (no overlong forms,
    // no surrogates, nothing above U+10FFFF), as the Unicode standard's table 3-7 gives them.
    let n: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) n = 2;
    else if (b >= 0xe0 && b <= 0xef) {
      n = 3;
      if (b === 0xe0) lo = 0xa0;
      if (b === 0xed) hi = 0x9f;
    } else if (b >= 0xf0 && b <= 0xf4) {
      n = 4;
      if (b === 0xf0) lo = 0x90;
      if (b === 0xf4) hi = 0x8f;
    } else return i;
    if (i + n > end) return i;
    const second = buf[i + 1]!;
    if (second < lo || second > hi) return i;
    for (let k = 2; k < n; k++) if ((buf[i + k]! & 0xc0) !== 0x80) return i;
    i += n;
  }
  return -1;
}

/** The words after "column ...:" for bad bytes at `bad` in a field that starts at `fieldStart`. */
export function invalidUtf8(buf: Uint8Array, bad: number, fieldStart: number): string {
  return `not valid UTF-8 (byte 0x${buf[bad]!.toString(16).padStart(2, '0')} at byte ${bad - fieldStart + 1} of the field); re-encode it as UTF-8 (e.g. iconv -f latin1 -t utf-8)`;
}

/** Decodes UTF-8 strictly; `where` names the field for the error. */
export function decodeUtf8(bytes: Buffer, where: () => string): string {
  const bad = firstInvalidUtf8(bytes, 0, bytes.length);
  if (bad !== -1) throw new UsageError(`${where()}: ${invalidUtf8(bytes, bad, 0)}`);
  return bytes.toString('utf8');
}

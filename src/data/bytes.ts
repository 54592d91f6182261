// Where a reader's bytes come from: a local file or a stream (a download, a decompressor), behind
// one small interface, so that every format reads both the same way and applies the same rules.
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

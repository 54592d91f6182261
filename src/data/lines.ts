// Text lines of a byte source, decoded strictly as UTF-8, for the line-based formats (ARFF).
import { type ByteSource, invalidUtf8, firstInvalidUtf8 } from './bytes.js';
import { MAX_LINE_BYTES } from './csv.js';
import { UsageError } from '../errors.js';

const LF = 10;
const CR = 13;
const CHUNK = 1 << 20;

/** Yields each line (without its LF or CRLF) and its 1-based number. */
export async function* lines(source: ByteSource, file: string): AsyncGenerator<{ text: string; line: number }> {
  let buf = Buffer.allocUnsafe(CHUNK + MAX_LINE_BYTES);
  let start = 0;
  let end = 0;
  let line = 1;
  let eof = false;
  while (!eof || start < end) {
    let lf = buf.indexOf(LF, start);
    if (lf === -1 || lf >= end) {
      if (!eof) {
        if (end - start > MAX_LINE_BYTES) {
          throw new UsageError(`${file}:${line}: a line longer than ${MAX_LINE_BYTES / 2 ** 20} MiB`);
        }
        buf.copyWithin(0, start, end);
        end -= start;
        start = 0;
        if (buf.length - end < CHUNK) buf = Buffer.concat([buf.subarray(0, end), Buffer.allocUnsafe(CHUNK)]);
        const n = await source.read(buf, end, buf.length - end);
        if (n === 0) eof = true;
        end += n;
        continue;
      }
      lf = end;
    }
    let stop = lf;
    if (stop > start && buf[stop - 1] === CR) stop -= 1;
    const bad = firstInvalidUtf8(buf, start, stop);
    if (bad !== -1)
      throw new UsageError(`${file}:${line}: ${invalidUtf8(buf, bad, start).replace('of the field', 'of the line')}`);
    yield { text: buf.toString('utf8', start, stop), line };
    line += 1;
    start = lf + 1;
  }
}

// Data sets that live elsewhere: a URL (CSV, gzip, ARFF or JSON records) or an OpenML data set,
// fetched through the cache (fetch.ts) and streamed into the same readers and checks as a local
// file. Which reader a body goes to is decided by its first bytes, not by its name; an HTML page
// where data was expected is an error.
import { UsageError } from '../errors.js';
import { readArff } from './arff.js';
import type { ByteSource } from './bytes.js';
import { type CsvOptions, readCsvFrom } from './csv.js';
import { fetchAndRead, type FetchInfo, type FetchOptions } from './fetch.js';
import { shownUrl } from './url.js';
import { readRecords } from './records.js';
import type { Table } from './table.js';

export interface RemoteOptions extends FetchOptions {
  /** --records: the dotted path of the array of records in a JSON response. */
  records?: string;
  /** --sha256: a pinned checksum for the one URL of the command. */
  sha256?: string;
  /** Most downloads at once (--fetch-concurrency). */
  concurrency: number;
  /** OpenML's API root (TRAINPOOL_OPENML_URL, for a mirror or a test server). */
  openmlUrl: string;
}

export type ReadTable = Table & {
  delimiter?: string;
  recordsFast?: number;
  recordsCsvParse?: number;
  relation?: string;
};

export interface Fetched {
  table: ReadTable;
  name: string;
  fetch: FetchInfo;
  /** For OpenML: the description's URL and the data set's id. */
  openml?: { id: number; description: string };
}

/** The first `n` bytes of a source (fewer at its end), and the source as if none were read. */
async function peek(source: ByteSource, n: number): Promise<{ head: Buffer; source: ByteSource }> {
  const head = Buffer.alloc(n);
  let got = 0;
  while (got < n) {
    const k = await source.read(head, got, n - got);
    if (k === 0) break;
    got += k;
  }
  let offset = 0;
  return {
    head: head.subarray(0, got),
    source: {
      bound: source.bound,
      async read(buf, at, length) {
        if (offset < got) {
          const k = Math.min(length, got - offset);
          buf.set(head.subarray(offset, offset + k), at);
          offset += k;
          return k;
        }
        return source.read(buf, at, length);
      },
    },
  };
}

/** Reads a body as the format its first bytes show: JSON records, ARFF or CSV. */
export async function readAnyFormat(
  raw: ByteSource,
  file: string,
  name: string,
  options: CsvOptions & { records?: string; defaultLabel?: string; ignore?: readonly string[] },
): Promise<ReadTable> {
  const { head, source } = await peek(raw, 512);
  const start = head
    .toString('utf8')
    .replace(/^\uFEFF/, '')
    .trimStart();
  if (/^<(!doctype\s+html|html|head|body|\?xml)/i.test(start)) {
    throw new UsageError(
      `${file}: an HTML or XML page where data was expected; is the URL a download link, or an error or login page?`,
    );
  }
  if (options.records !== undefined || start.startsWith('[') || start.startsWith('{')) {
    return readRecords(source, file, name, options);
  }
  if (start.startsWith('%') || /^@relation\b/i.test(start)) return readArff(source, file, name, options);
  return readCsvFrom(source, file, name, options);
}

/** Reads the whole of a small body (OpenML's description), at most `max` bytes. */
async function readSmall(source: ByteSource, max: number, what: string): Promise<string> {
  const chunks: Buffer[] = [];
  let total = 0;
  for (;;) {
    const buf = Buffer.allocUnsafe(64 * 1024);
    const n = await source.read(buf, 0, buf.length);
    if (n === 0) break;
    total += n;
    if (total > max) throw new UsageError(`${what}: more than ${max / 1e6} MB; not a data set description`);
    chunks.push(buf.subarray(0, n));
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** A URL's data set: fetched (or read from the cache) and parsed in one stream. */
export async function fetchUrl(
  url: URL,
  pinned: string | undefined,
  name: string,
  csv: CsvOptions,
  options: RemoteOptions,
): Promise<Fetched> {
  // Messages name the URL the user gave (credentials stripped), not the one a redirect led to.
  const shownName = shownUrl(url);
  const { value, info } = await fetchAndRead(url, pinned ? { sha256: pinned } : {}, options, (source) =>
    readAnyFormat(source, shownName, name, {
      ...csv,
      ...(options.records !== undefined ? { records: options.records } : {}),
    }),
  );
  return { table: value, name, fetch: info };
}

interface OpenmlDescription {
  name: string;
  url: string;
  md5: string | undefined;
  target: string | undefined;
  ignore: string[];
  format: string;
}

function parseDescription(text: string, what: string): OpenmlDescription {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new UsageError(`${what}: not JSON; is TRAINPOOL_OPENML_URL an OpenML server?`);
  }
  const d = (json as { data_set_description?: Record<string, unknown> }).data_set_description;
  if (!d || typeof d['url'] !== 'string' || typeof d['name'] !== 'string') {
    throw new UsageError(`${what}: not an OpenML data set description (no data_set_description with a name and url)`);
  }
  const list = (v: unknown) => (Array.isArray(v) ? v.map(String) : typeof v === 'string' ? [v] : []);
  return {
    name: d['name'],
    url: d['url'],
    md5: typeof d['md5_checksum'] === 'string' ? d['md5_checksum'].toLowerCase() : undefined,
    target: typeof d['default_target_attribute'] === 'string' ? d['default_target_attribute'] : undefined,
    ignore: [...list(d['row_id_attribute']), ...list(d['ignore_attribute'])],
    format: typeof d['format'] === 'string' ? d['format'] : 'ARFF',
  };
}

/**
 * An OpenML data set: its description (`/api/v1/json/data/<id>`) names the file, its MD5 and the
 * default target, which becomes the label unless --label names another. The row id and ignored
 * attributes it lists are left out, as scikit-learn's fetch_openml does.
 */
export async function fetchOpenml(id: number, csv: CsvOptions, options: RemoteOptions): Promise<Fetched> {
  const descriptionUrl = new URL(`${options.openmlUrl.replace(/\/+$/, '')}/api/v1/json/data/${id}`);
  const { value: description } = await fetchAndRead(descriptionUrl, {}, options, async (source) =>
    parseDescription(await readSmall(source, 16e6, descriptionUrl.href), descriptionUrl.href),
  );
  const where = `openml:${id}`;
  if (description.format.toLowerCase() !== 'arff') {
    throw new UsageError(`${where}: OpenML serves it as ${description.format}; only dense ARFF data sets are read`);
  }
  const target = csv.label === undefined ? description.target : undefined;
  if (csv.label === undefined && (target === undefined || target.includes(','))) {
    throw new UsageError(
      `${where}: OpenML names ${target === undefined ? 'no default target' : `several targets (${target})`}; pick the label with --label`,
    );
  }
  let file: URL;
  try {
    file = new URL(description.url);
  } catch {
    throw new UsageError(`${where}: its description's file URL ${JSON.stringify(description.url)} is not a URL`);
  }
  const { value, info } = await fetchAndRead(file, description.md5 ? { md5: description.md5 } : {}, options, (source) =>
    readAnyFormat(source, where, description.name, {
      ...csv,
      ...(target !== undefined ? { defaultLabel: target } : {}),
      ignore: description.ignore,
    }),
  );
  return { table: value, name: description.name, fetch: info, openml: { id, description: descriptionUrl.href } };
}

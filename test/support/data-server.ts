// A real HTTP server on a free loopback port that serves data sets the ways servers do (CSV,
// gzip, ARFF, JSON records, an OpenML-shaped API) and the faults they have, scripted per path.
// It counts and timestamps every request, so tests can say what was fetched and when.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { projectRoot } from '../../src/paths.js';

export const IRIS_CSV = readFileSync(join(projectRoot, 'datasets/iris.csv'));

/** iris as dense ARFF, with comments, quoted values and a missing-free nominal class. */
export function irisArff(): Buffer {
  const [header, ...rows] = IRIS_CSV.toString('utf8').trim().split('\n');
  const names = header!.split(',');
  const lines = [
    '% iris, as OpenML serves it',
    '@RELATION iris',
    '',
    ...names.slice(0, -1).map((n) => `@ATTRIBUTE '${n}' REAL`),
    "@ATTRIBUTE 'class' {setosa,versicolor,'virginica'}",
    '',
    '@DATA',
    '% the rows',
    ...rows.map((r) => {
      const cells = r.split(',');
      return [...cells.slice(0, -1), `'${cells[cells.length - 1]}'`].join(',');
    }),
  ];
  return Buffer.from(`${lines.join('\n')}\n`);
}

/** iris as JSON records. */
export function irisRecords(): object[] {
  const [header, ...rows] = IRIS_CSV.toString('utf8').trim().split('\n');
  const names = header!.split(',');
  return rows.map((r) => {
    const cells = r.split(',');
    return Object.fromEntries(names.map((n, i) => [n, i < names.length - 1 ? Number(cells[i]) : cells[i]]));
  });
}

export const md5 = (bytes: Buffer) => createHash('md5').update(bytes).digest('hex');
export const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

export type Handler = (req: IncomingMessage, res: ServerResponse, n: number) => void;

export interface DataServer {
  url: (path: string) => string;
  /** Requests per path (query string included), in order, with their arrival times. */
  requests: Map<string, { at: number; headers: IncomingMessage['headers'] }[]>;
  count: (path: string) => number;
  route: (path: string, handler: Handler) => void;
  /** Destroys every open connection too: stalled bodies do not keep it alive. */
  close: () => Promise<void>;
  server: Server;
}

export const send =
  (body: Buffer | string, headers: Record<string, string> = {}, status = 200): Handler =>
  (_req, res) => {
    const bytes = Buffer.from(body);
    res.writeHead(status, { 'content-length': String(bytes.length), ...headers });
    res.end(bytes);
  };

/** A body with an ETag, answered 304 when the request carries it. */
export const withEtag =
  (body: Buffer, etag: string, headers: Record<string, string> = {}): Handler =>
  (req, res, n) => {
    if (req.headers['if-none-match'] === etag) {
      res.writeHead(304, { etag });
      return void res.end();
    }
    send(body, { etag, ...headers })(req, res, n);
  };

export async function startDataServer(delayMs = 0): Promise<DataServer> {
  const routes = new Map<string, Handler>();
  const requests = new Map<string, { at: number; headers: IncomingMessage['headers'] }[]>();
  const sockets = new Set<import('node:net').Socket>();
  const server = createServer((req, res) => {
    const path = req.url ?? '/';
    const seen = requests.get(path) ?? [];
    seen.push({ at: performance.now(), headers: req.headers });
    requests.set(path, seen);
    const handler = routes.get(path.split('?')[0]!);
    const go = () =>
      handler ? handler(req, res, seen.length) : send('not found', { 'content-type': 'text/plain' }, 404)(req, res, 0);
    if (delayMs > 0) setTimeout(go, delayMs);
    else go();
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  return {
    url: (path) => `http://127.0.0.1:${port}${path}`,
    requests,
    count: (path) => requests.get(path)?.length ?? 0,
    route: (path, handler) => void routes.set(path, handler),
    close: () =>
      new Promise((done) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => done());
      }),
    server,
  };
}

/** The usual routes: iris as CSV (with an ETag), gzip, Content-Encoding gzip, ARFF, JSON, OpenML. */
export function serveIris(s: DataServer): void {
  s.route('/iris.csv', withEtag(IRIS_CSV, '"iris-1"', { 'content-type': 'text/csv' }));
  s.route('/iris.csv.gz', send(gzipSync(IRIS_CSV), { 'content-type': 'application/gzip' }));
  s.route('/iris-encoded.csv', send(gzipSync(IRIS_CSV), { 'content-type': 'text/csv', 'content-encoding': 'gzip' }));
  s.route('/iris.arff', send(irisArff(), { 'content-type': 'text/plain' }));
  s.route('/iris.json', send(JSON.stringify(irisRecords()), { 'content-type': 'application/json' }));
  s.route(
    '/api/wrapped',
    send(JSON.stringify({ meta: { n: 150 }, data: { items: irisRecords() } }), { 'content-type': 'application/json' }),
  );
  const arff = irisArff();
  s.route('/data/v1/download/61/iris.arff', send(arff, { 'content-type': 'text/plain' }));
  s.route(
    '/api/v1/json/data/61',
    send(
      JSON.stringify({
        data_set_description: {
          id: '61',
          name: 'iris',
          format: 'ARFF',
          url: s.url('/data/v1/download/61/iris.arff'),
          md5_checksum: md5(arff),
          default_target_attribute: 'class',
        },
      }),
      { 'content-type': 'application/json' },
    ),
  );
}

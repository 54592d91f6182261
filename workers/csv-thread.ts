// A thread that parses one CSV file and hands the table back on shared memory (src/data/load.ts).
import { parentPort, workerData } from 'node:worker_threads';
import { readCsv } from '../src/data/csv.js';
import type { LoaderReply, LoaderRequest } from '../src/data/load.js';
import { UsageError } from '../src/errors.js';

const request = workerData as LoaderRequest;
let reply: LoaderReply;
try {
  reply = { ok: true, table: await readCsv(request.path, request.file, request.name, request.options) };
} catch (error) {
  reply = {
    ok: false,
    usage: error instanceof UsageError,
    message: error instanceof Error ? error.message : String(error),
  };
}
parentPort!.postMessage(reply);

// A throwaway thread that imports model modules once, so that one which ends its process while
// loading ends only this thread (src/models/registry.ts). It says which module it loads before each.
import { parentPort, workerData } from 'node:worker_threads';
import { UsageError } from '../src/errors.js';
import { guardThread } from '../src/execution/thread-guard.js';
import { loadModelModule, type ProbeMessage } from '../src/models/registry.js';

guardThread();
const { paths } = workerData as { paths: string[] };
const say = (message: ProbeMessage) => parentPort!.postMessage(message);
let reply: ProbeMessage = { ok: true };
for (const path of paths) {
  say({ loading: path });
  try {
    await loadModelModule(path);
  } catch (error) {
    reply = {
      ok: false,
      usage: error instanceof UsageError,
      message: error instanceof Error ? error.message.split('\n')[0]! : String(error),
    };
    break;
  }
}
say(reply);

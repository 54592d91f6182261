// The chart worker: draws report.html's charts off the main thread while the models train. It
// runs at a low CPU priority (Linux nice 10, this thread only), so it takes the CPU the training
// leaves idle rather than slowing the training down; it loads vega and draws a throw-away set of
// charts first, so that the real ones, which arrive as the run ends, are quick. Silent: failures
// go back as messages.
import { setPriority } from 'node:os';
import { parentPort } from 'node:worker_threads';
import { warmupInput } from '../src/charts/inputs.js';
import { ChartRenderer } from '../src/charts/render.js';
import type { ChartReply, ChartRequest } from '../src/charts/worker-client.js';

if (process.platform === 'linux') {
  try {
    setPriority(0, 10);
  } catch {
    // Not allowed here: the charts are drawn all the same.
  }
}

const renderer = new ChartRenderer();
let queue: Promise<unknown> = (async () => {
  await renderer.render(warmupInput());
  await renderer.saveCache();
})().catch(() => {});

parentPort!.on('message', (request: ChartRequest) => {
  // One chart at a time: the views are reused.
  queue = queue.then(async () => {
    let reply: ChartReply;
    try {
      reply = { id: request.id, svg: await renderer.render(request.input) };
    } catch (error) {
      reply = { id: request.id, error: (error instanceof Error ? error.message : String(error)).split('\n')[0]! };
    }
    parentPort!.postMessage(reply);
  });
});

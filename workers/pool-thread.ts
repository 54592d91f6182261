// workers/: the entry points of the threads the project starts: a pool thread that runs tasks
// (this file) and a thread that parses one large CSV file (csv-thread.ts). Bundled by
// scripts/build.mjs; they import src/.
// A pool thread prints nothing: results, failures included, go back as data.
import { runTask } from '../src/execution/run-task.js';

// A user's model module imported here that calls train() when imported gets a clear error
// (src/api/train.ts) rather than starting a run inside the pool.
(globalThis as Record<symbol, unknown>)[Symbol.for('trainpool.pool-thread')] = true;

export default runTask;

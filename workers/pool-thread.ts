// workers/: the entry points of the threads the project starts: a pool thread that runs tasks
// (this file), a thread that parses one large CSV file (csv-thread.ts) and a throwaway thread
// that tries model modules out before the main thread imports them (module-probe.ts). Bundled by
// scripts/build.mjs; they import src/.
// A pool thread prints nothing: results, failures included, go back as data; what model code
// prints goes to the main thread as messages (thread-guard.ts).
import { runTask } from '../src/execution/run-task.js';
import { guardThread } from '../src/execution/thread-guard.js';

guardThread();

export default runTask;

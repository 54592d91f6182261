// Soak: a big grid of quick tasks with every kind of fault mixed in, through the real train
// pipeline on the real pool. Every healthy task's result must be there, the pool must still work
// at the end, and the process's resident memory (workers included) must stay flat: the figure is
// its median over the last 100 tasks against its median over the first 100, sampled every 5th
// task after a full collection of the main thread's heap. Without that collection the figure
// measures when V8 last collected: the whole grid runs in about as long as V8 waits between two
// collections of a growing heap.
import { readdir, readFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { loadIris } from '../src/data/iris.js';
import type { Executor } from '../src/execution/executor.js';
import { builtinModels } from '../src/models/index.js';
import { projectRoot } from '../src/paths.js';
import { PiscinaExecutor } from '../src/execution/piscina.js';
import { ReliableExecutor } from '../src/execution/reliability.js';
import { parseReport } from '../src/results/schema.js';
import type { Report } from '../src/results/report.js';
import { toDataRef } from '../src/train/plan.js';
import { median } from '../src/ml/stats.js';
import { runTrain, type TrainOptions } from '../src/api/train.js';
import type { Task, TaskResult } from '../src/execution/protocol.js';
import type { BenchSection } from './section.js';

const FAULTS = join(projectRoot, 'test/fixtures/models/faulty.mjs');
const FOLDS = 5;
// Small, so that the out-of-memory faults come quickly; the timeout well above their time.
const MAX_MEMORY_MB = 32;
const TIMEOUT_MS = 3000;

/** Passes tasks through, noting the process's resident memory as each one completes. */
class Sampling implements Executor {
  done = 0;
  readonly samples: { task: number; rss: number; heap: number }[] = [];
  constructor(private readonly inner: Executor) {}
  get concurrency() {
    return this.inner.concurrency;
  }
  async run(task: Task, signal?: AbortSignal): Promise<TaskResult> {
    const result = await this.inner.run(task, signal);
    this.done += 1;
    if (this.done % SAMPLE_EVERY === 0) {
      // Collected first, so the figure is what the process keeps, not when V8 last collected.
      collectGarbage();
      const { rss, heapUsed } = process.memoryUsage();
      this.samples.push({ task: this.done, rss, heap: heapUsed });
    }
    return result;
  }
  close() {
    return this.inner.close();
  }
}

const SAMPLE_EVERY = 5;

/** The main isolate's full garbage collection (V8's --expose-gc, switched on for this bench only). */
const collectGarbage: () => void = (() => {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
})();

const mb = (bytes: number) => +(bytes / 2 ** 20).toFixed(1);

const section: BenchSection = {
  id: 'soak',
  title: `Soak: a ${FOLDS}-fold grid of quick tasks with faults mixed in (throws, exits, out-of-memory, endless loops)`,
  async run({ log, scratch, quick }) {
    // 220 candidates: over 1,000 tasks run even though a faulty candidate's queued folds never start.
    const candidates = quick ? 40 : 220;
    const modelId = `fault-mix-${candidates}`;
    const { faultFor } = (await import(pathToFileURL(FAULTS).href)) as { faultFor: (k: number) => string | undefined };
    const threads = availableParallelism();
    const pool = new PiscinaExecutor({ threads, maxMemoryMb: MAX_MEMORY_MB });
    const executor = new Sampling(new ReliableExecutor(pool, { timeoutMs: TIMEOUT_MS }));
    const resultsDir = join(scratch, 'soak');
    const options: TrainOptions = {
      models: [modelId],
      modelModule: [FAULTS],
      seed: 42,
      testSize: 0.2,
      cv: FOLDS,
      tune: true,
      resultsDir,
      threads,
    };
    const started = performance.now();
    let code: number;
    let usable: boolean;
    let report: Report;
    let seconds: number;
    try {
      code = (await runTrain(options, { executor, output: { quiet: true, color: false } })).exitStatus;
      seconds = (performance.now() - started) / 1000;
      const [folder] = await readdir(resultsDir);
      report = parseReport(await readFile(join(resultsDir, folder!, 'report.json'), 'utf8'));
      // The same pool, after every fault: a real model still trains and predicts as it should.
      const svm = builtinModels.find((def) => def.id === 'svm')!;
      const check = await pool.run({
        kind: 'train',
        modelId: svm.id,
        params: svm.params,
        preprocess: svm.preprocess ?? 'none',
        seed: 42,
        data: toDataRef(loadIris()),
        train: report.split.train,
        test: report.split.test,
        modules: [],
        keepModel: false,
      });
      usable = check.status === 'ok' && check.predictions.length === report.split.test.length;
    } finally {
      await executor.close();
    }
    const model = report.models[0]!;
    const scored = model.tuning?.candidates ?? [];
    const expected = scored.map((c) => faultFor(c.params['k'] as number));
    const kinds: Record<string, number> = {};
    let healthyOk = 0;
    let healthy = 0;
    let misreported = 0;
    scored.forEach((c, i) => {
      const fault = expected[i];
      if (fault === undefined) {
        healthy += 1;
        if (c.status === 'ok' && c.cv?.k === FOLDS) healthyOk += 1;
        else misreported += 1;
        return;
      }
      const kind = c.error?.kind ?? 'none';
      kinds[kind] = (kinds[kind] ?? 0) + 1;
      const want = { throw: 'threw', exit: 'crashed', oom: 'out-of-memory', loop: 'timeout' }[fault];
      if (c.status !== 'failed' || kind !== want) misreported += 1;
    });

    const tasks = executor.done;
    const firstSamples = executor.samples.filter((s) => s.task <= 100);
    const lastSamples = executor.samples.filter((s) => s.task > tasks - 100);
    const first = median(firstSamples.map((s) => s.rss));
    const last = median(lastSamples.map((s) => s.rss));
    const heapFirst = median(firstSamples.map((s) => s.heap));
    const heapLast = median(lastSamples.map((s) => s.heap));
    const growth = last / first - 1;
    const figures = {
      tasks,
      tasksSubmitted: candidates * FOLDS + 1,
      candidates,
      folds: FOLDS,
      threads,
      exitStatus: code,
      healthyCandidates: healthy,
      healthyCandidatesComplete: healthyOk,
      faultyCandidatesByKind: kinds,
      misreportedCandidates: misreported,
      finalFit: model.status,
      poolUsableAfter: usable,
      rssFirst100MedianMb: mb(first),
      rssLast100MedianMb: mb(last),
      rssMaxMb: mb(Math.max(...executor.samples.map((s) => s.rss))),
      rssGrowth: +growth.toFixed(3),
      mainHeapFirst100MedianMb: mb(heapFirst),
      mainHeapLast100MedianMb: mb(heapLast),
      seconds: +seconds.toFixed(2),
      passes: healthyOk === healthy && misreported === 0 && usable && model.status === 'ok' && growth < 0.2,
    };
    log(
      `${tasks} tasks run of ${figures.tasksSubmitted} submitted (${candidates} candidates x ${FOLDS} folds + final fit; a failed candidate's queued folds are withdrawn) on ${threads} threads in ${figures.seconds} s`,
    );
    log(
      `healthy candidates complete: ${healthyOk}/${healthy}; faulty ones by kind: ${JSON.stringify(kinds)}; misreported: ${misreported}`,
    );
    log(`final fit of the best candidate: ${model.status}; pool usable afterwards: ${usable}`);
    log(
      `resident memory, median of the first 100 tasks ${figures.rssFirst100MedianMb} MiB, of the last 100 ${figures.rssLast100MedianMb} MiB: growth ${(growth * 100).toFixed(1)}% (bar: < 20%)`,
    );
    log(
      `main thread's heap after collection: ${figures.mainHeapFirst100MedianMb} MiB, then ${figures.mainHeapLast100MedianMb} MiB`,
    );
    log(figures.passes ? 'PASS' : 'FAIL');
    return figures;
  },
};

export default section;

// Parallel speed-up of a fixed CV workload (every default model at its defaults, 5-fold CV on
// scikit-learn's digits) at one thread per core against one thread, and the pool's per-task
// dispatch overhead (a no-op task's round trip).
import { availableParallelism } from 'node:os';
import { Piscina } from 'piscina';
import { loadDataset, resolveDatasetSpec } from '../src/data/load.js';
import { builtinModels } from '../src/models/index.js';
import { projectRoot } from '../src/paths.js';
import { join } from 'node:path';
import { PiscinaExecutor, workerPath } from '../src/execution/piscina.js';
import { evaluateModel } from '../src/train/evaluate-model.js';
import type { RunPlan } from '../src/train/plan.js';
import { Scheduler } from '../src/execution/scheduler.js';
import { stratifiedKFold } from '../src/ml/split.js';
import { median } from '../src/ml/stats.js';
import type { Task, TaskResult } from '../src/execution/protocol.js';
import type { BenchSection } from './section.js';

/**
 * The fixed workload: 5-fold CV of every default model, at its defaults, on scikit-learn's digits
 * (1797 x 64, 10 classes), or on a fifth of it with `quick`. Also the bullmq section's.
 */
export async function cvWorkload(quick: boolean): Promise<RunPlan> {
  const csv = join(projectRoot, 'test/fixtures/sklearn/digits.csv');
  const full = (await loadDataset(resolveDatasetSpec(csv), { missing: 'error' })).dataset;
  const rows = Array.from({ length: quick ? 360 : full.rows }, (_, i) => i);
  return {
    dataset: full,
    split: { train: rows, test: [] },
    folds: stratifiedKFold(full.labels, rows, full.classNames, 5, 42),
    models: builtinModels.filter((d) => d.default !== false),
    seed: 42,
    tune: false,
    modules: [],
  };
}

async function cvWall(plan: RunPlan, threads: number): Promise<number> {
  const start = performance.now();
  const executor = new PiscinaExecutor({ threads });
  try {
    const scheduler = new Scheduler(executor);
    const done = await Promise.all(plan.models.map((def) => evaluateModel(plan, def, scheduler)));
    const failed = done.find((d) => d.report.status === 'failed');
    if (failed) throw new Error(`bench workload failed: ${JSON.stringify(failed.report)}`);
  } finally {
    await executor.close();
  }
  return (performance.now() - start) / 1000;
}

async function roundTrips(run: () => Promise<unknown>, n: number): Promise<number[]> {
  for (let i = 0; i < 200; i++) await run();
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const start = performance.now();
    await run();
    times.push((performance.now() - start) * 1000);
  }
  return times;
}

export const section: BenchSection = {
  id: 'cv',
  title: 'Parallel CV: every default model x 5 folds on digits (1797 x 64, 10 classes), and dispatch overhead',
  async run({ log, quick }) {
    const plan = await cvWorkload(quick);
    const dataset = plan.dataset;
    const cores = availableParallelism();
    log(`workload: ${plan.models.map((d) => `${d.id} ${JSON.stringify(d.params)}`).join('; ')}`);
    // Alternate the two settings so drift in machine load hits both alike; keep the best of each.
    const reps = quick ? 1 : 2;
    const walls: Record<number, number[]> = { 1: [], [cores]: [] };
    for (let r = 0; r < reps; r++) {
      for (const threads of [1, cores]) {
        const seconds = await cvWall(plan, threads);
        walls[threads]!.push(seconds);
        log(`--threads ${threads}: ${seconds.toFixed(2)} s`);
      }
    }
    const one = Math.min(...walls[1]!);
    const many = Math.min(...walls[cores]!);
    const speedup = one / many;
    log(
      `speed-up at ${cores} threads: ${speedup.toFixed(2)}x, parallel efficiency ${((speedup / cores) * 100).toFixed(0)}%`,
    );

    // Dispatch overhead, median of sequential round trips of a no-op task, three ways side by side:
    // piscina alone (a bare pool on the same worker file), through the executor, through the scheduler.
    const n = quick ? 1000 : 5000;
    const executor = new PiscinaExecutor({ threads: 1 });
    const bare = new Piscina<Task, TaskResult>({ filename: workerPath(), minThreads: 1, maxThreads: 1 });
    const ping: Task = { kind: 'ping' };
    const scheduler = new Scheduler(executor);
    let overhead: Record<string, number>;
    try {
      overhead = {
        piscinaUs: median(await roundTrips(() => bare.run(ping), n)),
        executorUs: median(await roundTrips(() => executor.run(ping), n)),
        schedulerUs: median(await roundTrips(() => scheduler.submit(ping, 0), n)),
      };
    } finally {
      await Promise.all([executor.close(), bare.destroy()]);
    }
    log(
      `median no-op round trip (${n}): piscina alone ${overhead['piscinaUs']!.toFixed(1)} µs, executor ${overhead['executorUs']!.toFixed(1)} µs, scheduler ${overhead['schedulerUs']!.toFixed(1)} µs`,
    );
    return {
      dataset: { rows: dataset.rows, features: dataset.cols, classes: dataset.classNames.length },
      workload: plan.models.map((d) => d.id),
      cores,
      wallS: { threads1: walls[1], [`threads${cores}`]: walls[cores] },
      speedup,
      efficiency: speedup / cores,
      dispatchOverheadMedian: overhead,
    };
  },
};

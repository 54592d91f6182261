import { readFileSync } from 'node:fs';
import { loadIris } from './src/data/iris.js';
import { runTask } from './src/task.js';
import { toDataRef } from './src/run.js';
import { stratifiedSplit, foldTrainRows } from './src/split.js';
import type { JsonObject } from './src/json.js';
const ds = loadIris(); const data = toDataRef(ds);
const ref = JSON.parse(readFileSync('../shared/reference/iris_split_42.json', 'utf8'));
const folds: number[][] = JSON.parse(readFileSync('../shared/reference/iris_folds_skf5_rs42.json', 'utf8')).testFolds;
const def = stratifiedSplit(ds.labels, ds.classNames, 0.2, 42);
const all = Array.from({ length: 150 }, (_, i) => i);
async function acc(modelId: string, params: JsonObject, preprocess: any, train: number[], test: number[]) {
  const r = await runTask({ kind: 'train', modelId, params, preprocess, seed: 42, data, train, test, modules: [], keepModel: false });
  if (r.status !== 'ok') throw new Error(JSON.stringify(r));
  return { acc: r.predictions.filter((p, i) => p === ds.labels[test[i]!]).length / test.length, ms: r.fitMs };
}
const [modelId, pre, ...rest] = process.argv.slice(2);
for (const p of rest) {
  const params = JSON.parse(p);
  const a = await acc(modelId!, params, pre, ref.train, ref.test);
  const b = await acc(modelId!, params, pre, def.train, def.test);
  const cv = [] as number[]; let t = 0;
  for (const f of folds) { const r = await acc(modelId!, params, pre, foldTrainRows(all, f), f); cv.push(r.acc); t += r.ms; }
  const m = cv.reduce((x, y) => x + y) / 5;
  console.log(p, 'ref', a.acc.toFixed(3), 'default', b.acc.toFixed(3), 'cv', m.toFixed(4), cv.map(v => v.toFixed(3)).join(' '), 'fit ms', a.ms.toFixed(1), (t/5).toFixed(1));
}

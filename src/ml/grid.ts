import type { ModelDefinition } from './estimator.js';
import type { JsonObject, JsonValue } from '../json.js';

/**
 * Every combination of the grid's values over the default params, in a fixed order: parameters
 * in the grid's key order, the last one varying fastest (as scikit-learn's ParameterGrid).
 */
export function expandGrid(defaults: JsonObject, grid: ModelDefinition['grid']): JsonObject[] {
  let candidates: JsonObject[] = [{ ...defaults }];
  for (const [key, values] of Object.entries(grid ?? {})) {
    if (!Array.isArray(values) || values.length === 0) continue;
    candidates = candidates.flatMap((c) => (values as JsonValue[]).map((v) => ({ ...c, [key]: v })));
  }
  return candidates;
}

export interface Scored {
  mean: number;
  std: number;
}

/**
 * Index of the best candidate: highest mean, then lowest std, then earliest in grid order, so the
 * choice never depends on timing. Candidates without a score (failed) are never chosen.
 */
export function pickBest(scores: readonly (Scored | undefined)[]): number | undefined {
  let best: number | undefined;
  scores.forEach((s, i) => {
    if (s === undefined) return;
    const b = best === undefined ? undefined : scores[best];
    if (b === undefined || s.mean > b.mean || (s.mean === b.mean && s.std < b.std)) best = i;
  });
  return best;
}

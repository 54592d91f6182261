// Every registered model passes the conformance checks (src/models/check.ts), in the spirit of
// scikit-learn's check_estimator: the contract callers rely on, not each model's internals.
import { describe, expect, it } from 'vitest';
import { builtinModels } from '../src/models/index.js';
import { checkModel } from '../src/models/check.js';

describe.each(builtinModels.map((def) => [def.id, def] as const))('%s', (_id, def) => {
  it('passes every conformance check', async () => {
    const report = await checkModel(def);
    expect(report.failed).toEqual([]);
    expect(report.passed).toHaveLength(9);
  });
});

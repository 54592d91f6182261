// The paired tests behind compare and the leaderboard's marks, against SciPy computed live
// (Debian's python3-scipy beside python3-sklearn): the corrected resampled t-test's p-value from
// scipy.stats.t, McNemar's exact p-value from scipy.stats.binomtest.
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { correctedResampledTTest, mcnemarExact } from '../src/ml/stats.js';

const scipy = (code: string): number[] =>
  JSON.parse(
    execFileSync('/usr/bin/python3', ['-c', `import json\nfrom scipy import stats\n${code}`], { encoding: 'utf8' }),
  ) as number[];

describe('paired tests', () => {
  const cases = [
    { a: [0.9, 0.95, 0.92, 0.97, 0.93], b: [0.88, 0.96, 0.9, 0.93, 0.9], ratio: 0.25 },
    { a: [0.7, 0.72, 0.69], b: [0.75, 0.8, 0.74], ratio: 0.5 },
    {
      a: [0.96, 0.933, 1, 0.967, 0.9, 0.933, 0.967, 1, 0.933, 0.9],
      b: [1, 0.967, 1, 1, 0.933, 0.967, 1, 1, 0.967, 0.933],
      ratio: 1 / 9,
    },
  ];

  it('the corrected resampled t-test: p-values as scipy.stats.t gives them for t = mean / sqrt((1/k + n_test/n_train) s²)', () => {
    const expected = scipy(
      `cases = ${JSON.stringify(cases)}
out = []
for c in cases:
    d = [y - x for x, y in zip(c["a"], c["b"])]
    k = len(d)
    mean = sum(d) / k
    var = sum((v - mean) ** 2 for v in d) / (k - 1)
    t = mean / ((1 / k + c["ratio"]) * var) ** 0.5
    out.append(2 * stats.t.sf(abs(t), k - 1))
print(json.dumps(out))`,
    );
    cases.forEach((c, i) => {
      const test = correctedResampledTTest(c.a, c.b, c.ratio);
      expect(Math.abs(test.p - expected[i]!), `case ${i}: ${test.p} vs ${expected[i]}`).toBeLessThan(1e-9);
      expect(test.df).toBe(c.a.length - 1);
    });
  });

  it('identical folds give p = 1; a constant non-zero difference p = 0', () => {
    expect(correctedResampledTTest([0.9, 0.8, 0.95], [0.9, 0.8, 0.95], 0.5).p).toBe(1);
    expect(correctedResampledTTest([0.9, 0.8, 0.95], [0.8, 0.7, 0.85], 0.5).p).toBe(0);
  });

  it("McNemar's exact test: two-sided binomial p-values as scipy.stats.binomtest gives them", () => {
    const pairs = [
      [1, 0],
      [8, 0],
      [3, 7],
      [12, 30],
      [40, 41],
      [0, 0],
    ] as const;
    const expected = scipy(
      `print(json.dumps([1.0 if a + b == 0 else stats.binomtest(min(a, b), a + b, 0.5).pvalue for a, b in ${JSON.stringify(pairs)}]))`,
    );
    pairs.forEach(([onlyA, onlyB], i) => {
      const test = mcnemarExact(onlyA, onlyB, 100);
      expect(Math.abs(test.p - expected[i]!), `${onlyA}/${onlyB}: ${test.p} vs ${expected[i]}`).toBeLessThan(1e-9);
    });
  });
});

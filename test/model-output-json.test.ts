// With --json, stdout is the report and nothing else, whatever a model prints (at import, in fit,
// in predict, on stdout or stderr): what a model prints in its worker goes to stderr, each line
// prefixed with the model's id, and nothing of it is lost.
import { describe, expect, it } from 'vitest';
import { fixture, runCli, tempDir } from './support/helpers.js';

describe('a model that prints', () => {
  it('leaves --json output the report alone and shows its lines on stderr', async () => {
    const resultsDir = tempDir();
    const run = await runCli('train', [
      '--json',
      '--results-dir',
      resultsDir,
      '--models',
      'knn,chatty',
      '--model-module',
      fixture('models/chatty.mjs'),
    ]);
    expect(run.code, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout) as { models: { id: string; status: string }[] };
    expect(report.models.map((m) => [m.id, m.status])).toEqual([
      ['knn', 'ok'],
      ['chatty', 'ok'],
    ]);
    expect(run.stdout).not.toMatch(/chatty (says|complains|writes|predicts)|chatty: loaded/);
    const lines = run.stderr.split('\n');
    expect(lines).toContain('chatty: chatty says hello from fit');
    expect(lines).toContain('chatty: chatty complains on stderr');
    expect(lines).toContain('chatty: chatty writes half a line, then the rest');
    expect(lines).toContain('chatty: chatty predicts 30 rows');
  });
});

// A model that sends a signal to the process running it (or to its process group) fails alone,
// as its own row: the signal is refused in the pool's threads, and the run, the other models and
// the report are whole.
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseReport } from '../src/results/schema.js';
import { fixture, root, tempDir } from './support/helpers.js';

describe('a model that SIGKILLs its own process', () => {
  it('fails as its own row; the run and the other models finish', async () => {
    const resultsDir = tempDir();
    // A process group of its own, so that a group kill that got through would end only the run.
    const child = spawn(
      process.execPath,
      [
        join(root, 'scripts/run.mjs'),
        'train',
        '--quiet',
        '--results-dir',
        resultsDir,
        '--models',
        'knn,kills-own-process,kills-process-group',
        '--model-module',
        fixture('models/self-kill.mjs'),
      ],
      { cwd: root, detached: true, stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const [code, signal] = await new Promise<[number | null, string | null]>((done) =>
      child.on('close', (c, s) => done([c, s])),
    );
    expect({ code, signal }, stderr).toEqual({ code: 1, signal: null });
    const runs = readdirSync(resultsDir).filter((name) => !name.startsWith('.'));
    expect(runs).toHaveLength(1);
    const report = parseReport(readFileSync(join(resultsDir, runs[0]!, 'report.json'), 'utf8'));
    expect(report.status).toBe('complete');
    const rows = Object.fromEntries(report.models.map((m) => [m.id, m]));
    expect(rows['knn']!.status).toBe('ok');
    for (const id of ['kills-own-process', 'kills-process-group']) {
      const row = rows[id]!;
      expect(row.status, id).toBe('failed');
      if (row.status !== 'failed') continue;
      expect(row.error.kind).toBe('threw');
      expect(row.error.message).toMatch(/^process\.kill\(-?\d+, "SIGKILL"\) refused: a model may not signal /);
    }
  });
});

// When the results folder's disk fills up while the run trains, nothing is lost: the run folder is
// written to a fallback folder that is printed, with one line saying why, no stack trace, and an
// exit status of its own (3).
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseReport } from '../src/results/schema.js';
import { tempDir } from './support/helpers.js';
import { fillTmpfs, mountTmpfs, runConfined } from './support/confined.js';

describe('a disk that fills up during the run', () => {
  it('lands the report in a printed fallback folder, exit status 3', async () => {
    const base = tempDir();
    const mnt = join(base, 'mnt');
    const tmp = join(base, 'tmp');
    mkdirSync(mnt);
    mkdirSync(tmp);
    const gate = join(base, 'gate');
    // The gated model holds the run in training until the disk is full.
    const run = await runConfined(
      `${mountTmpfs(4096)}
       (
         i=0
         until ls -d "$MNT"/results/.staging-* >/dev/null 2>&1 || [ $i -ge 1200 ]; do sleep 0.05; i=$((i+1)); done
         ${fillTmpfs(4096)}
         touch "$GATE"
       ) &
       exec "$NODE" "$ROOT/scripts/run.mjs" train --models knn,gated --model-module "$ROOT/test/fixtures/models/gated.mjs" --results-dir "$MNT/results"`,
      { MNT: mnt, GATE: gate, TMPDIR: tmp, TRAINPOOL_GATE: gate },
    );
    expect(existsSync(gate), 'the disk was filled while the run trained').toBe(true);
    expect(run.code, run.stderr).toBe(3);
    expect(run.stderr).not.toMatch(/^\s+at /m);
    const errors = run.stderr.split('\n').filter((line) => line.startsWith('train: error:'));
    expect(errors, run.stderr).toHaveLength(1);
    expect(errors[0]).toMatch(/could not write .*results.*no space left/);

    const shownAt = /^report: (.+)$/m.exec(run.stdout)?.[1];
    expect(shownAt, run.stdout).toBeDefined();
    expect(errors[0]).toContain(shownAt!);
    expect(shownAt!.startsWith(tmp)).toBe(true);
    const report = parseReport(readFileSync(join(shownAt!, 'report.json'), 'utf8'));
    expect(report.status).toBe('complete');
    expect(report.models.map((m) => [m.id, m.status])).toEqual([
      ['knn', 'ok'],
      ['gated', 'ok'],
    ]);
    expect(readdirSync(join(shownAt!, 'models')).sort()).toEqual(['gated.json', 'knn.json']);
    expect(readdirSync(shownAt!).sort()).toEqual(['models', 'report.html', 'report.json', 'report.md']);
  });
});

import { cpSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { SCHEMA_VERSION } from '../src/results/report.js';
import { runCli, tempDir } from './support/helpers.js';

// A results folder as it looks after real life: two good runs, and next to them a truncated
// report, a foreign JSON file, reports of a newer and an older schema, a run folder without a
// report (killed mid-run) and a hidden staging folder (a run still being written).
describe('compare and history in a damaged results folder: warn about each bad entry and go on', () => {
  const dir = tempDir();
  let good: string[];
  beforeAll(async () => {
    for (const seed of ['1', '2'])
      expect((await runCli('train', ['--results-dir', dir, '--quiet', '--seed', seed])).code).toBe(0);
    // Oldest first, as compare and history order runs (two runs may start in the same second).
    const createdAt = (run: string) =>
      (JSON.parse(readFileSync(join(dir, run, 'report.json'), 'utf8')) as { createdAt: string }).createdAt;
    good = readdirSync(dir).sort((a, b) => (createdAt(a) < createdAt(b) ? -1 : 1));
    const text = readFileSync(join(dir, good[0]!, 'report.json'), 'utf8');
    const put = (name: string, content: string) => {
      mkdirSync(join(dir, name));
      writeFileSync(join(dir, name, 'report.json'), content);
    };
    put('29990101-000000-iris-trunc1', text.slice(0, text.length / 2));
    put('29990101-000000-iris-foreign', '{"name": "not a report", "version": 3}\n');
    put('29990101-000000-iris-newer1', JSON.stringify({ ...JSON.parse(text), schemaVersion: SCHEMA_VERSION + 1 }));
    put('29990101-000000-iris-older1', JSON.stringify({ ...JSON.parse(text), schemaVersion: 0 }));
    mkdirSync(join(dir, '29990101-000000-iris-killed'));
    cpSync(join(dir, good[0]!), join(dir, '.staging-29990101-000000-iris-abcdef-123'), { recursive: true });
  });

  const expectWarnings = (command: string, stderr: string) => {
    const lines = stderr.trim().split('\n');
    const line = (name: string) => lines.find((l) => l.includes(name)) ?? `(no line about ${name})`;
    expect(line('trunc1')).toMatch(
      new RegExp(
        `^${command}: warning: skipped .*29990101-000000-iris-trunc1/report\\.json: not valid JSON \\(.*\\); the file may be truncated$`,
      ),
    );
    expect(line('foreign')).toMatch(
      new RegExp(`^${command}: warning: skipped .*foreign/report\\.json: not a trainpool report: schemaVersion: `),
    );
    expect(line('newer1')).toMatch(
      new RegExp(
        `^${command}: warning: skipped .*newer1/report\\.json: schemaVersion ${SCHEMA_VERSION + 1} is newer than this trainpool reads \\(${SCHEMA_VERSION}\\); update trainpool$`,
      ),
    );
    expect(line('older1')).toMatch(
      new RegExp(
        `^${command}: warning: skipped .*older1/report\\.json: schemaVersion 0 is older than any trainpool report`,
      ),
    );
    expect(line('killed')).toMatch(
      new RegExp(`^${command}: note: skipped .*killed: no report\\.json \\(an incomplete run\\?\\)$`),
    );
    expect(line('.staging-')).toMatch(
      new RegExp(`^${command}: note: skipped .*\\.staging-29990101-000000-iris-abcdef-123: a run still being written`),
    );
    expect(lines).toHaveLength(6);
  };

  it('compare warns once per bad entry and compares the two good runs', async () => {
    const run = await runCli('compare', ['--results-dir', dir, '--no-html']);
    expect(run.code).toBe(0);
    expectWarnings('compare', run.stderr);
    expect(run.stdout).toContain(`A  ${good[0]}`);
    expect(run.stdout).toContain(`B  ${good[1]}`);
  });

  it('history warns once per bad entry and lists the two good runs', async () => {
    const run = await runCli('history', ['--results-dir', dir, '--no-html']);
    expect(run.code).toBe(0);
    expectWarnings('history', run.stderr);
    expect(run.stdout).toMatch(/^iris: 2 runs/m);
  });

  it('naming a damaged run is a one-line error with the reason, exit status 2', async () => {
    const run = await runCli('compare', ['--results-dir', dir, good[0]!, '29990101-000000-iris-trunc1']);
    expect(run.code).toBe(2);
    expect(run.stderr.trim().split('\n').at(-1)).toMatch(
      /^compare: error: cannot read run 29990101-000000-iris-trunc1: .*report\.json: not valid JSON/,
    );
    expect(run.stdout).toBe('');
  });
});

// A report of schema version 2 (local data only) reads as the current version with no `fetch`:
// nothing is made up for a download it never had; a current report with `fetch` keeps it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SCHEMA_VERSION } from '../src/results/report.js';
import { parseReport } from '../src/results/schema.js';
import { fixture } from './support/helpers.js';

const v1 = readFileSync(join(fixture('reports/v1'), '20261201-225125-iris-59cce5', 'report.json'), 'utf8');

describe('the fetch fields of the report', () => {
  it('a version 2 report upgrades with dataset.fetch absent', () => {
    // Version 2 as the upgrade from 1 makes it, stamped as written by a version 2 trainpool.
    const v2 = { ...JSON.parse(JSON.stringify(parseReport(v1))), schemaVersion: 2 } as Record<string, unknown>;
    delete (v2['dataset'] as Record<string, unknown>)['fetch'];
    const report = parseReport(JSON.stringify(v2));
    expect(report.schemaVersion).toBe(SCHEMA_VERSION);
    expect(report.dataset.fetch).toBeUndefined();
  });

  it('a report with a download keeps it, and a malformed one is refused', () => {
    const current = JSON.parse(JSON.stringify(parseReport(v1))) as { dataset: Record<string, unknown> };
    const fetch = {
      url: 'https://example.org/iris.csv',
      fetchedAt: '2026-12-02T00:00:00.000Z',
      etag: null,
      sha256: 'a'.repeat(64),
      cached: true,
    };
    current.dataset['fetch'] = fetch;
    expect(parseReport(JSON.stringify(current)).dataset.fetch).toEqual(fetch);
    current.dataset['fetch'] = { ...fetch, sha256: 'nope' };
    expect(() => parseReport(JSON.stringify(current))).toThrow(/dataset\.fetch\.sha256/);
  });
});

import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BenchSection } from '../../bench/section.js';
import { guard } from '../cli/common.js';
import { Command, commaList, Option, parse, resultsDirOption } from '../cli/options.js';
import { UsageError } from '../errors.js';
import { writeFileAtomic } from '../results/write.js';

// Sections load lazily so `--only` runs just what it names.
const sections: Record<string, () => Promise<BenchSection>> = {
  startup: async () => (await import('../../bench/startup.js')).section,
  cv: async () => (await import('../../bench/cv.js')).section,
  models: async () => (await import('../../bench/models.js')).default,
  soak: async () => (await import('../../bench/soak.js')).default,
  'csv-inspect': async () => (await import('../../bench/csv-inspect.js')).default,
  'csv-parsers': async () => (await import('../../bench/csv-parsers.js')).default,
  'csv-threads-memory': async () => (await import('../../bench/csv-threads-memory.js')).default,
  'csv-concurrent': async () => (await import('../../bench/csv-concurrent.js')).default,
  bullmq: async () => (await import('../../bench/bullmq.js')).default,
  fetch: async () => (await import('../../bench/fetch.js')).default,
};

interface BenchOptions extends Record<string, unknown> {
  only?: string[];
  quick?: boolean;
  resultsDir: string;
}

function program(): Command {
  return new Command('npm run bench --')
    .description(
      'Benchmarks (never timed tests): every figure is a ratio of two measurements taken side by side in this run. Writes results/bench-<timestamp>.json.',
    )
    .addOption(
      new Option('--only <ids>', `sections to run (default: all): ${Object.keys(sections).join(', ')}`).argParser(
        commaList,
      ),
    )
    .addOption(new Option('--quick', 'smaller workloads for a quick look; not the reference figures'))
    .addOption(resultsDirOption('where the bench file is written'))
    .helpOption('-h, --help', 'show this help');
}

export async function main(args: readonly string[]): Promise<number> {
  return guard('bench', async () => {
    const options = parse<BenchOptions>(program(), args);
    if (!options) return 0;
    const ids = options.only ?? Object.keys(sections);
    const unknown = ids.filter((id) => !(id in sections));
    if (unknown.length > 0)
      throw new UsageError(`unknown section ${unknown.join(', ')}; known: ${Object.keys(sections).join(', ')}`);
    const scratch = await mkdtemp(join(tmpdir(), 'trainpool-bench-'));
    const figures: Record<string, unknown> = {};
    const log = (line: string) => process.stdout.write(`${line}\n`);
    try {
      for (const id of ids) {
        const section = await sections[id]!();
        log(`\n== ${section.title}`);
        figures[id] = await section.run({ log: (line) => log(`  ${line}`), scratch, quick: options.quick === true });
      }
    } finally {
      await rm(scratch, { recursive: true, force: true });
    }
    const stamp = new Date().toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
    const file = join(options.resultsDir, `bench-${stamp}.json`);
    const machine = { node: process.version, cpus: (await import('node:os')).availableParallelism() };
    await writeFileAtomic(
      file,
      `${JSON.stringify({ createdAt: new Date().toISOString(), quick: options.quick === true, machine, figures }, null, 2)}\n`,
    );
    log(`\nfigures: ${file}`);
    return 0;
  });
}

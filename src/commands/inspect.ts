import { guard, useColor } from '../cli/common.js';
import {
  addSourceOptions,
  checkCsvFlagsApply,
  datasetOption,
  delimiterOption,
  maxCategoriesOption,
  type SourceFlags,
} from '../cli/data-options.js';
import { Command, Option, parse } from '../cli/options.js';

interface InspectOptions extends Record<string, unknown>, SourceFlags {
  dataset?: string[];
  label?: string;
  delimiter?: string;
  maxCategories: number;
  json: boolean;
  quiet?: boolean;
}

function program(): Command {
  const command = new Command('npm run inspect --')
    .description('Load and validate data sets without training: shape, column types, class counts and missing cells.')
    .addOption(datasetOption('inspect'))
    .addOption(new Option('--label <column>', 'the CSV column holding the class (default: the last column)'))
    .addOption(delimiterOption())
    .addOption(maxCategoriesOption())
    .addOption(new Option('--json', 'print the findings as JSON').default(false))
    .addOption(new Option('--quiet', 'no download progress on stderr'));
  return addSourceOptions(command)
    .helpOption('-h, --help', 'show this help')
    .addHelpText(
      'after',
      `
Missing cells are listed rather than refused, with what \`npm run train\` would do about them.
Exit status: 0 when every data set was read, 2 for a file that cannot be (one line naming the file,
line and column).

Examples:
  npm run inspect -- --dataset datasets/iris.csv
  npm run inspect -- --dataset ./measurements.csv --label species --delimiter semicolon
  npm run inspect -- --dataset openml:61`,
    );
}

export async function main(args: readonly string[]): Promise<number> {
  return guard('inspect', async () => {
    const options = parse<InspectOptions>(program(), args);
    if (!options) return 0;
    const [
      { BUILTIN_DATASETS, loadDatasets, resolveDatasetSpec },
      { inspect },
      { formatInspection },
      { remoteOptions },
    ] = await Promise.all([
      import('../data/load.js'),
      import('../data/inspection.js'),
      import('../format/inspect.js'),
      import('../data/sources.js'),
    ]);
    checkCsvFlagsApply(options, options.dataset ?? ['iris'], (arg) => BUILTIN_DATASETS.includes(arg));
    const specs = (options.dataset ?? ['iris']).map(resolveDatasetSpec);
    // Download progress goes to stderr: stdout is the findings.
    const fetching = specs.some((s) => s.url || s.openml)
      ? (await import('../train/fetch-progress.js')).stderrFetchDisplay(
          options.quiet === true,
          useColor(process.stderr, true),
        )
      : undefined;
    let loaded;
    try {
      loaded = await loadDatasets(
        specs,
        {
          missing: 'keep',
          maxCategories: options.maxCategories,
          ...(options.label !== undefined ? { label: options.label } : {}),
          ...(options.delimiter !== undefined ? { delimiter: options.delimiter } : {}),
        },
        'auto',
        remoteOptions(options, specs, fetching?.event),
      );
    } finally {
      fetching?.stop();
    }
    const found = loaded.map(inspect);
    process.stdout.write(
      options.json
        ? `${JSON.stringify(found.length === 1 ? found[0] : found, null, 2)}\n`
        : `${found.map(formatInspection).join('\n\n')}\n`,
    );
    return 0;
  });
}

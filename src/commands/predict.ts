import { guard, useColor } from '../cli/common.js';
import { addSourceOptions, delimiterOption, maxCategoriesOption } from '../cli/data-options.js';
import { collect, Command, Option, parse, resultsDirOption } from '../cli/options.js';
import type { PredictOptions } from '../results/predict.js';

function program(): Command {
  const command = new Command('npm run predict --')
    .description(
      'Predict the class of each row of a CSV file with a model saved by a run, reading the file exactly as the run read its training data. Writes the predicted class names as CSV to stdout.',
    )
    .addOption(
      new Option('--run <id>', 'run id (a folder in the results folder) or path of a run folder').makeOptionMandatory(),
    )
    .addOption(new Option('--model <id>', 'id of a model the run trained and saved').makeOptionMandatory())
    .addOption(
      new Option(
        '--input <file|url>',
        'CSV, ARFF or JSON records (a path, an http(s):// URL or openml:<id>) naming at least the columns the model was trained on (a label column is ignored)',
      ).makeOptionMandatory(),
    )
    .addOption(delimiterOption())
    .addOption(maxCategoriesOption())
    .addOption(
      new Option(
        '--model-module <path>',
        'the ES module that defined the model, when it is not built in (as given to train); repeatable',
      ).argParser(collect),
    )
    .addOption(resultsDirOption('where run folders are'))
    .addOption(new Option('--quiet', 'no download progress on stderr'));
  return addSourceOptions(command)
    .helpOption('-h, --help', 'show this help')
    .addHelpText(
      'after',
      `
Exit status: 0 when every row was predicted, 2 for bad input (one line naming the file, line and
column; nothing is written to stdout).

Example:
  npm run predict -- --run 20261121-231013-iris-601612 --model svm --input new-flowers.csv > predicted.csv`,
    );
}

export async function main(args: readonly string[]): Promise<number> {
  return guard('predict', async () => {
    const options = parse<PredictOptions>(program(), args);
    if (!options) return 0;
    const { predict } = await import('../results/predict.js');
    const remote = /^(openml:|[a-z][a-z0-9+.-]+:\/\/)/i.test(options.input);
    const fetching = remote
      ? (await import('../train/fetch-progress.js')).stderrFetchDisplay(
          options.quiet === true,
          useColor(process.stderr, true),
        )
      : undefined;
    try {
      return await predict({ ...options, ...(fetching ? { onFetchEvent: fetching.event } : {}) });
    } finally {
      fetching?.stop();
    }
  });
}

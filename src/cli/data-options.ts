// The options that say which data to read and how, shared by train, inspect and predict.
import { InvalidArgumentError } from 'commander';
import { DELIMITER_NAMES } from '../api/settings.js';
import { collect, type Command, Option } from './options.js';

export function delimiter(value: string): string {
  const d = DELIMITER_NAMES[value] ?? value;
  if (d.length !== 1 || d === '"' || d === '\n' || d === '\r') {
    throw new InvalidArgumentError(
      `--delimiter must be one character (or comma, semicolon, tab), not a quote or line break; got ${JSON.stringify(value)}.`,
    );
  }
  return d;
}

export const datasetOption = (what: string) =>
  new Option(
    '--dataset <name|path>',
    `data set to ${what}: iris (built in, the default), a file in datasets/ (with or without .csv) or a CSV path; repeatable`,
  ).argParser(collect);

export const delimiterOption = () =>
  new Option('--delimiter <char>', 'CSV field delimiter (default: detected among comma, semicolon and tab)').argParser(
    delimiter,
  );

/** Adds --label, --delimiter and --missing (the caller adds --dataset with its own wording). */
export function addCsvOptions(command: Command): Command {
  return command
    .addOption(new Option('--label <column>', 'the CSV column holding the class (default: the last column)'))
    .addOption(delimiterOption())
    .addOption(
      new Option(
        '--missing <policy>',
        'missing values (empty, NaN, nan cells): "error" lists them and stops, "drop" drops their rows',
      )
        .choices(['error', 'drop'])
        .default('error'),
    );
}

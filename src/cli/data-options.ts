// The options that say which data to read and how, shared by train, inspect and predict.
import { InvalidArgumentError } from 'commander';
import type { CsvOptions } from '../data/csv.js';
import { UsageError } from '../errors.js';
import { collect, type Command, Option } from './options.js';

const NAMED: Record<string, string> = { comma: ',', semicolon: ';', tab: '\t', '\\t': '\t' };

export function delimiter(value: string): string {
  const d = NAMED[value] ?? value;
  if (d.length !== 1 || d === '"' || d === '\n' || d === '\r') {
    throw new InvalidArgumentError(
      `--delimiter must be one character (or comma, semicolon, tab), not a quote or line break; got ${JSON.stringify(value)}.`,
    );
  }
  return d;
}

export interface DataOptions {
  dataset?: string[];
  label?: string;
  delimiter?: string;
  /** Undefined when not given: 'error'. */
  missing?: 'error' | 'drop';
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
      // No default here: whether it was given at all matters (checkCsvFlagsApply).
      new Option(
        '--missing <policy>',
        'missing values (empty, NaN, nan cells): "error" lists them and stops (the default), "drop" drops their rows',
      ).choices(['error', 'drop']),
    );
}

/**
 * The CSV flags say how to read CSV files: given when every data set named is built in, they
 * would be ignored without a word, so they are a usage error. `builtin` tells a built-in name.
 */
export function checkCsvFlagsApply(
  flags: Pick<DataOptions, 'label' | 'delimiter' | 'missing'>,
  datasets: readonly string[],
  builtin: (arg: string) => boolean,
): void {
  const given = (['label', 'delimiter', 'missing'] as const).filter((f) => flags[f] !== undefined).map((f) => `--${f}`);
  if (given.length === 0 || !datasets.every(builtin)) return;
  const several = given.length > 1;
  throw new UsageError(
    `${given.join(', ')} ${several ? 'apply' : 'applies'} only to CSV files, and ${datasets.join(', ')} ${datasets.length > 1 ? 'are' : 'is'} built in; drop ${several ? 'them' : 'it'}, or give a CSV file with --dataset (such as --dataset datasets/iris.csv)`,
  );
}

export function csvOptions(options: DataOptions): CsvOptions {
  return {
    missing: options.missing ?? 'error',
    ...(options.label !== undefined ? { label: options.label } : {}),
    ...(options.delimiter !== undefined ? { delimiter: options.delimiter } : {}),
  };
}

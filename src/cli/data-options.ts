// The options that say which data to read and how, shared by train, inspect and predict.
import { InvalidArgumentError } from 'commander';
import type { CsvOptions } from '../data/csv.js';
import { MAX_CATEGORIES } from '../data/table.js';
import { collect, type Command, integer, Option } from './options.js';

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
  missing: 'error' | 'drop';
  maxCategories: number;
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

export const maxCategoriesOption = () =>
  new Option(
    '--max-categories <n>',
    'most distinct values a text column may have; one-hot encoding makes a feature of each',
  )
    .default(MAX_CATEGORIES)
    .argParser(integer('--max-categories', 1, 10_000_000));

/** Adds --label, --delimiter, --missing and --max-categories (the caller adds --dataset with its own wording). */
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
    )
    .addOption(maxCategoriesOption());
}

export function csvOptions(options: DataOptions): CsvOptions {
  return {
    missing: options.missing,
    maxCategories: options.maxCategories,
    ...(options.label !== undefined ? { label: options.label } : {}),
    ...(options.delimiter !== undefined ? { delimiter: options.delimiter } : {}),
  };
}

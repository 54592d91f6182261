// The options that say which data to read and how, shared by train, inspect and predict.
import { InvalidArgumentError } from 'commander';
import type { CsvOptions } from '../data/csv.js';
import type { SourceFlags } from '../data/sources.js';
import { MAX_CATEGORIES } from '../data/table.js';
import { UsageError } from '../errors.js';
import { DELIMITER_NAMES } from '../api/settings.js';
import { collect, type Command, integer, Option, positiveSeconds } from './options.js';

export function delimiter(value: string): string {
  const d = DELIMITER_NAMES[value] ?? value;
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
  maxCategories: number;
}

export const datasetOption = (what: string) =>
  new Option(
    '--dataset <name|path|url>',
    `data set to ${what}: iris (built in, the default), a file in datasets/ (with or without .csv), a CSV, ARFF or JSON path, an http(s):// URL or openml:<id>; repeatable`,
  ).argParser(collect);

/** A --header value: `Name: value`, as curl takes it. */
export function header(value: string, previous: string[] = []): string[] {
  if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+:/.test(value)) {
    throw new InvalidArgumentError(
      `--header must be "Name: value", e.g. "Authorization: Bearer ..."; got a value without a name and colon.`,
    );
  }
  return [...previous, value];
}

/** The flags of data that is downloaded: --records, --header, the cache and the fetch's limits. */
export function addSourceOptions(command: Command): Command {
  const SHA256 = /^[0-9a-fA-F]{64}$/;
  return command
    .addOption(
      new Option('--records <path>', 'JSON: the dotted path of the array of records in the response, e.g. data.items'),
    )
    .addOption(
      new Option(
        '--header <"Name: value">',
        'an HTTP header sent with each download (e.g. an API key); never written anywhere; repeatable',
      ).argParser(header),
    )
    .addOption(
      new Option('--fetch-concurrency <n>', 'most downloads at once')
        .default(4)
        .argParser(integer('--fetch-concurrency', 1, 64)),
    )
    .addOption(new Option('--offline', 'use only the download cache; a URL not in it is an error').conflicts('refresh'))
    .addOption(new Option('--refresh', 'download again even when the cache holds the URL'))
    .addOption(
      new Option(
        '--sha256 <hex>',
        "the download's expected sha256 (of the bytes as served); for one URL (else use #sha256=<hex> on each)",
      ).argParser((value: string) => {
        if (!SHA256.test(value)) throw new InvalidArgumentError(`--sha256 must be 64 hex digits, not "${value}".`);
        return value.toLowerCase();
      }),
    )
    .addOption(
      new Option(
        '--fetch-timeout <seconds>',
        'give up a try after this long without data (before the first byte or mid-body)',
      )
        .default(30)
        .argParser(positiveSeconds('--fetch-timeout')),
    )
    .addOption(
      new Option('--fetch-retries <n>', 'tries after the first on network errors, timeouts, 408, 429 and 5xx')
        .default(3)
        .argParser(integer('--fetch-retries', 0, 20)),
    )
    .addOption(
      new Option('--max-download-mb <n>', 'refuse a download larger than this, as served or once decompressed')
        .default(1024)
        .argParser(integer('--max-download-mb', 1, 1024 * 1024)),
    );
}

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
      // No default here: whether it was given at all matters (checkCsvFlagsApply).
      new Option(
        '--missing <policy>',
        'missing values (empty, NaN, nan cells): "error" lists them and stops (the default), "drop" drops their rows',
      ).choices(['error', 'drop']),
    )
    .addOption(maxCategoriesOption());
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
    maxCategories: options.maxCategories,
    ...(options.label !== undefined ? { label: options.label } : {}),
    ...(options.delimiter !== undefined ? { delimiter: options.delimiter } : {}),
  };
}

export type { SourceFlags };

// cli/: command-line parsing shared by the commands: commander set up so that every bad flag is
// one line and exit status 2 (this file), the data flags of train, inspect and predict
// (data-options.ts), the flags that name metrics or set a model's params (measures.ts), and the
// guard that turns a UsageError into that line (common.ts). Imported only by commands/.
import { availableParallelism } from 'node:os';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { parseDuration } from '../api/settings.js';
import { UsageError } from '../errors.js';
import { defaultResultsDir } from '../paths.js';

export function integer(name: string, min: number, max = Number.MAX_SAFE_INTEGER) {
  return (value: string): number => {
    const n = Number(value);
    if (!/^\s*-?\d+\s*$/.test(value) || n < min || n > max) {
      throw new InvalidArgumentError(
        `${name} must be a whole number from ${min}${max < Number.MAX_SAFE_INTEGER ? ` to ${max}` : ' up'}, not "${value}".`,
      );
    }
    return n;
  };
}

export function fraction(name: string) {
  return (value: string): number => {
    const n = Number(value);
    if (value.trim() === '' || !Number.isFinite(n) || n < 0 || n >= 1) {
      throw new InvalidArgumentError(`${name} must be a number from 0 up to (not including) 1, not "${value}".`);
    }
    return n;
  };
}

/** A duration in seconds, above 0 (fractions allowed) and at most a week. */
export function positiveSeconds(name: string) {
  return (value: string): number => {
    const n = Number(value);
    if (value.trim() === '' || !Number.isFinite(n) || n <= 0 || n > 7 * 24 * 3600) {
      throw new InvalidArgumentError(`${name} must be a number of seconds above 0, such as 30 or 0.5, not "${value}".`);
    }
    return n;
  };
}

/**
 * A duration: seconds (`90`, `2.5`) or amounts with units, run together (`90s`, `15m`, `1h30m`,
 * `500ms`); above 0 (or 0 itself with `zero`) and at most a week. Checked here and kept as
 * given: the run's settings take durations as text (api/settings.ts).
 */
export function duration(name: string, zero = false) {
  return (value: string): string => {
    const ms = parseDuration(value);
    if (ms === undefined || !(ms > 0 || (zero && ms === 0)) || ms > 7 * 24 * 3_600_000)
      throw new InvalidArgumentError(
        `${name} must be a duration ${zero ? 'of 0 or more' : 'above 0'} such as 90 (seconds), 90s, 15m or 1h30m, at most a week; not "${value}".`,
      );
    return value.trim();
  };
}

export const collect = (value: string, previous: string[] = []) => [...previous, value];
export const commaList = (value: string, previous: string[] = []) => [
  ...previous,
  ...value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean),
];

export const defaultThreads = () => availableParallelism();

/**
 * `--results-dir`, the same default for every command: results/ of the project the command runs
 * in (beside the nearest package.json), or of the working directory.
 */
export const resultsDirOption = (description: string) =>
  new Option('--results-dir <dir>', description).default(defaultResultsDir(), 'results/ of this project');

/** How help names a command: as `npm run <name> --` when npm runs it, else as the `trainpool` bin. */
export const commandName = (name: string) =>
  process.env['npm_lifecycle_event'] === name ? `npm run ${name} --` : `trainpool ${name}`;

export const noColorOption = () =>
  new Option('--no-color', 'plain output even on a terminal (NO_COLOR is honoured too)');

/**
 * Parses argv with commander, turning its errors into UsageError (exit 2). Returns undefined when
 * commander has already printed --help or --version and the process should exit 0.
 */
export function parse<T extends Record<string, unknown>>(program: Command, args: readonly string[]): T | undefined {
  program.exitOverride().configureOutput({ writeErr: () => {} });
  try {
    program.parse(args, { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) {
      if (
        error.code === 'commander.helpDisplayed' ||
        error.code === 'commander.version' ||
        error.code === 'commander.help'
      )
        return undefined;
      throw new UsageError(error.message.replace(/^error: /, ''));
    }
    throw error;
  }
  return program.opts<T>();
}

export { Command, Option };

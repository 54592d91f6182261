// The flags that name metrics (--sort-by, --columns) and set a model's params (--param): each
// value checked as it is parsed, a bad one a one-line usage error that lists the choices.
import { InvalidArgumentError } from 'commander';
import { parseMeasure } from '../format/columns.js';
import type { JsonValue } from '../json.js';

/** Checks a measure's name; the run takes it as its setting, the name as given. */
function checked(flag: string, text: string): string {
  const measure = parseMeasure(text);
  if (typeof measure === 'string') throw new InvalidArgumentError(`${flag} "${text}": ${measure}.`);
  return text.trim();
}

export const measureArg = (flag: string) => (value: string) => checked(flag, value);

export const measureList =
  (flag: string) =>
  (value: string, previous: string[] = []): string[] => [
    ...previous,
    ...value
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean)
      .map((s) => checked(flag, s)),
  ];

/** One `--param model.key=value`, as it arrives from the command line. */
export interface ParamSetting {
  model: string;
  key: string;
  value: JsonValue;
  /** As given, for messages. */
  text: string;
}

/** One `--param model.key=value`: the value as JSON, or as a plain string when it is not JSON (`gamma=auto`). */
export function paramArg(value: string, previous: ParamSetting[] = []): ParamSetting[] {
  const match = /^([a-z0-9][a-z0-9._-]*?)\.([A-Za-z_$][\w$]*)=(.*)$/s.exec(value);
  if (!match)
    throw new InvalidArgumentError(
      `--param "${value}": write model.key=value, e.g. --param svm.C=10 or --param random-forest.maxDepth=null.`,
    );
  const [, model, key, raw] = match as unknown as [string, string, string, string];
  let parsed: JsonValue;
  try {
    parsed = JSON.parse(raw) as JsonValue;
  } catch {
    if (raw.trim() === '')
      throw new InvalidArgumentError(`--param "${value}": no value after "="; e.g. ${model}.${key}=10`);
    parsed = raw;
  }
  return [...previous, { model, key, value: parsed, text: value }];
}

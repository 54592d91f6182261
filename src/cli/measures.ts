// The flags that name metrics (--sort-by, --columns) and set a model's params (--param): each
// value parsed into what the run uses, a bad one a one-line usage error that lists the choices.
import { InvalidArgumentError } from 'commander';
import { COLUMNS } from '../format/columns.js';
import { METRICS, TIMINGS, type MetricId, type TimingId } from '../ml/metrics.js';
import type { JsonValue } from '../json.js';
import type { ParamSetting } from '../models/registry.js';
import type { MeasureSpec } from '../results/report.js';

const normal = (text: string) => text.toLowerCase().replace(/[^a-z0-9]/g, '');
const metricIds = new Set<string>(METRICS.map((m) => m.id));

/** Every name a metric or timing answers to: its id, its label and its short label, normalized. */
function names(): Map<string, MetricId | TimingId> {
  const out = new Map<string, MetricId | TimingId>();
  for (const id of [...METRICS.map((m) => m.id), ...TIMINGS.map((t) => t.id)]) {
    for (const name of [id, COLUMNS[id].label, COLUMNS[id].short]) out.set(normal(name), id);
  }
  return out;
}

const choices = () =>
  [...METRICS.map((m) => m.id), ...TIMINGS.map((t) => t.id)]
    .map((id) => (normal(COLUMNS[id].short) === normal(id) ? id : `${id} (${COLUMNS[id].short})`))
    .join(', ');

/**
 * A metric as the flags name it: `auc`, `rocAuc`, `log loss`, `mcc`, `fit`, optionally with the
 * scores it means, `test.` or `cv.` (default: the leaderboard's own, CV when the run has it).
 */
export function parseMeasure(flag: string, text: string): MeasureSpec {
  const match = /^\s*(?:(test|cv)[.:])?(.+?)\s*$/i.exec(text);
  const scope = match?.[1]?.toLowerCase() as 'test' | 'cv' | undefined;
  const id = match ? names().get(normal(match[2]!)) : undefined;
  if (!id)
    throw new InvalidArgumentError(
      `${flag} "${text}": no such metric; choose one of ${choices()}, optionally as test.<metric> or cv.<metric>.`,
    );
  if (!metricIds.has(id)) {
    if (scope) throw new InvalidArgumentError(`${flag} "${text}": ${id} is a time of the final fit; drop "${scope}.".`);
    return { scope: 'timing', id: id as TimingId };
  }
  return scope ? { scope, id: id as MetricId } : { scope: 'board', id: id as MetricId };
}

export const measureArg = (flag: string) => (value: string) => parseMeasure(flag, value);

export const measureList =
  (flag: string) =>
  (value: string, previous: MeasureSpec[] = []): MeasureSpec[] => [
    ...previous,
    ...value
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean)
      .map((s) => parseMeasure(flag, s)),
  ];

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

// trainpool.config.json / .mjs / .ts: a run's settings in a file (the keys of api/settings.ts),
// found in the working directory or above it up to the project's package.json, or named with
// `--config <file>`. Checked by the same schema as the API's options: one line naming the key.
// Relative paths in it are relative to the file's folder, wherever the command runs.
import { existsSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, extname, isAbsolute, join, resolve } from 'node:path';
import { checkSettings, type DatasetFile, type TrainSettings } from '../api/settings.js';
import { describeValue, UsageError } from '../errors.js';
import { importUserModule } from '../models/registry.js';
import { shown } from '../paths.js';

export const CONFIG_FILES = ['trainpool.config.json', 'trainpool.config.mjs', 'trainpool.config.ts'];

/** The config file for a command run in `cwd`: the nearest folder holding one, not above the project. */
export function findConfig(cwd = process.cwd()): string | undefined {
  for (let dir = resolve(cwd); ; dir = dirname(dir)) {
    const found = CONFIG_FILES.map((name) => join(dir, name)).filter((path) => existsSync(path));
    if (found.length > 1)
      throw new UsageError(`${found.map(shown).join(' and ')}: two config files in one folder; keep one`);
    if (found.length === 1) return found[0];
    if (existsSync(join(dir, 'package.json')) || dirname(dir) === dir) return undefined;
  }
}

const isUrl = (value: string) => /^[a-z][a-z0-9+.-]*:\/\//i.test(value);
/** A dataset entry that names a file rather than a built-in or a name in datasets/. */
const isPathLike = (value: string) => !isUrl(value) && (/[\\/]/.test(value) || /\.csv$/i.test(value));

/** The settings with their relative paths made absolute against `base`. */
function anchored(settings: TrainSettings, base: string): TrainSettings {
  const at = (path: string) => (isAbsolute(path) || isUrl(path) ? path : resolve(base, path));
  const entry = (d: string | DatasetFile) =>
    typeof d === 'string' ? (isPathLike(d) ? at(d) : d) : { ...d, path: at(d.path) };
  const out: TrainSettings = { ...settings };
  if (settings.dataset !== undefined)
    out.dataset = Array.isArray(settings.dataset) ? settings.dataset.map(entry) : entry(settings.dataset);
  if (settings.modelModule !== undefined)
    out.modelModule = (Array.isArray(settings.modelModule) ? settings.modelModule : [settings.modelModule]).map(at);
  for (const key of ['splitFile', 'foldsFile', 'resultsDir'] as const)
    if (settings[key] !== undefined) out[key] = at(settings[key]!);
  return out;
}

async function readValue(path: string, name: string): Promise<unknown> {
  const ext = extname(path);
  if (ext === '.json') {
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (error) {
      throw new UsageError(
        `${name}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}`,
      );
    }
    try {
      return JSON.parse(text) as unknown;
    } catch (error) {
      throw new UsageError(`${name}: not valid JSON: ${(error as Error).message}`);
    }
  }
  if (!['.mjs', '.js', '.ts', '.mts'].includes(ext))
    throw new UsageError(`${name}: a config file is .json, .mjs or .ts`);
  const value = (await importUserModule(path, name))['default'];
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new UsageError(
      `${name}: the default export must be the settings object, not ${describeValue(value)}; write \`export default { ... }\``,
    );
  return value;
}

/** Reads, checks and anchors a config file. */
export async function loadConfig(path: string): Promise<TrainSettings> {
  const file = resolve(path);
  const name = shown(file);
  if (existsSync(file) && statSync(file).isDirectory()) throw new UsageError(`${name}: is a folder, not a config file`);
  const value = await readValue(file, name);
  checkSettings(value, name);
  return anchored(value as TrainSettings, dirname(file));
}

// commands/: one thin entry point per `trainpool <command>` (bundled by scripts/build.mjs): each
// parses its flags (cli/), builds what it needs and calls the folder that does the work (api/,
// train/, results/, data/, execution/). Nothing else imports from here.
import { resolve } from 'node:path';
import type { RunHow, TrainOptions } from '../api/train.js';
import { checkSettings, settingsSchema, type TrainSettings } from '../api/settings.js';
import { findConfig, loadConfig } from '../cli/config.js';
import { guard, useColor } from '../cli/common.js';
import { addCsvOptions, addSourceOptions, checkCsvFlagsApply, datasetOption } from '../cli/data-options.js';
import { measureArg, measureList, paramArg, type ParamSetting } from '../cli/measures.js';
import {
  collect,
  Command,
  commandName,
  commaList,
  defaultThreads,
  duration,
  fraction,
  integer,
  Option,
  parse,
  positiveSeconds,
  noColorOption,
  resultsDirOption,
} from '../cli/options.js';
import { redisUrl } from '../execution/bullmq/redis-url.js';
import { UsageError } from '../errors.js';
import type { JsonObject } from '../json.js';
import { SETTING_NAMES, type SettingNames } from '../models/registry.js';
import { shown } from '../paths.js';
import { resolveResumable, resolveRun } from '../results/read.js';
import { catchInterrupts } from '../train/interrupt.js';
import { reserveStdout } from '../train/progress.js';
import { readSavedRun } from '../train/resume.js';

/**
 * Flags that are settings: every key of the settings schema, under the same name, camel case
 * (`params` and `grid` have no flag of that name: --param sets params, grids come from files).
 */
const SETTING_FLAGS = Object.keys(settingsSchema.shape);

/**
 * Settings that decide a run's tasks (and --param, which sets `params`): a resumed run keeps its
 * own, so none may be given with --resume.
 */
const TASK_SETTINGS = [
  'dataset',
  'label',
  'delimiter',
  'missing',
  'maxCategories',
  'records',
  'sha256',
  'models',
  'modelModule',
  'params',
  'grid',
  'seed',
  'testSize',
  'splitFile',
  'cv',
  'foldsFile',
  'tune',
  'preprocess',
] as const;

interface TrainFlags extends Record<string, unknown> {
  json?: boolean;
  quiet?: boolean;
  color: boolean;
  config?: string;
  from?: string;
  resume?: string;
  param?: ParamSetting[];
  resultsDir: string;
}

const flagName = (key: string) => `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;

function program(): Command {
  const name = commandName('train');
  const command = new Command(name)
    .description(
      'Train every registered classifier in parallel on worker threads, print a leaderboard and write a report to results/<run-id>/ for each data set.',
    )
    .addOption(datasetOption('train on'))
    .addOption(
      new Option(
        '--models <ids>',
        'comma-separated model ids to train (default: every model not marked default: false, which leaves out the *-mljs ones)',
      ).argParser(commaList),
    )
    .addOption(
      new Option(
        '--model-module <path>',
        'ES module (.js, .mjs, .ts) whose default export is an array of model definitions; repeatable',
      ).argParser(collect),
    );
  return addSourceOptions(addCsvOptions(command))
    .addOption(
      new Option('--seed <n>', 'seed for the split, the folds and every model')
        .default(42)
        .argParser(integer('--seed', 0, 2 ** 31 - 1)),
    )
    .addOption(
      new Option(
        '--test-size <fraction>',
        'share of rows held out for testing, stratified by class; 0 keeps every row for training',
      )
        .default(0.2)
        .argParser(fraction('--test-size')),
    )
    .addOption(
      new Option(
        '--split-file <json>',
        'explicit split {"train": [...], "test": [...]} of 0-based row indices (instead of --test-size)',
      ).conflicts('testSize'),
    )
    .addOption(
      new Option('--cv [k]', 'stratified k-fold cross-validation on the training part; --cv alone means 5').argParser(
        integer('--cv', 2, 100),
      ),
    )
    .addOption(
      new Option(
        '--folds-file <json>',
        'explicit CV folds {"testFolds": [[...], ...]} of row indices within the training part (implies --cv)',
      ),
    )
    .addOption(
      new Option('--tune', "score every candidate of each model's grid by CV and refit the best (implies --cv)"),
    )
    .addOption(
      new Option(
        '--param <model.key=value>',
        "set one of a model's params, the value as JSON (svm.C=10, random-forest.maxDepth=null, svm.gamma=auto); checked against the model's params schema, and no longer tuned; repeatable",
      ).argParser(paramArg),
    )
    .addOption(
      new Option(
        '--sort-by <metric>',
        'leaderboard order: a metric (accuracy, auc, logLoss, mcc, ...; test.<metric> or cv.<metric> for those scores) or fit/predict time (default: CV accuracy with CV, else test accuracy)',
      ).argParser(measureArg('--sort-by')),
    )
    .addOption(
      new Option(
        '--columns <metrics>',
        "the console leaderboard's columns, comma-separated, as --sort-by names them (default: accuracy, auc, recall, precision, F1, kappa, MCC, log loss, fit, predict)",
      ).argParser(measureList('--columns')),
    )
    .addOption(
      new Option('--preprocess <kind>', "override every model's feature scaling").choices([
        'standardize',
        'minmax',
        'none',
      ]),
    )
    .addOption(
      new Option('--threads <n>', 'worker threads')
        .default(defaultThreads(), 'available parallelism')
        .argParser(integer('--threads', 1, 1024)),
    )
    .addOption(
      new Option(
        '--timeout <seconds>',
        'stop a task (one fit) that has not returned after this long; its worker is replaced (default: none)',
      ).argParser(positiveSeconds('--timeout')),
    )
    .addOption(
      new Option(
        '--max-memory-mb <n>',
        "cap each worker's JavaScript heap; a task over it fails as out-of-memory (default: V8's limit)",
      ).argParser(integer('--max-memory-mb', 16, 1024 * 1024)),
    )
    .addOption(
      new Option(
        '--retries <n>',
        'run a task again, on a fresh worker, when its worker crashed, ran out of memory or timed out',
      )
        .default(0)
        .argParser(integer('--retries', 0, 100)),
    )
    .addOption(
      new Option(
        '--backend <name>',
        'where tasks run: piscina (worker threads on this machine) or bullmq (`npm run worker` processes serving a Redis queue; their --concurrency replaces --threads)',
      )
        .choices(['piscina', 'bullmq'])
        .default('piscina'),
    )
    .addOption(
      new Option(
        '--redis <url>',
        'the Redis of --backend bullmq, e.g. redis://127.0.0.1:6379, rediss://user:password@host:6380 for TLS (default: REDIS_URL)',
      ).argParser(redisUrl),
    )
    .addOption(
      new Option(
        '--budget <duration>',
        'time budget for the whole run, e.g. 90s, 15m, 1h30m: after it no task starts, running ones may finish within --budget-grace, the rest are reported as not run',
      ).argParser(duration('--budget')),
    )
    .addOption(
      new Option(
        '--budget-grace <duration>',
        'how long tasks running when the budget ends may go on before they are stopped (default: 5s)',
      ).argParser(duration('--budget-grace', true)),
    )
    .addOption(resultsDirOption('where run folders are written'))
    .addOption(
      new Option(
        '--config <file>',
        'settings from this file instead of trainpool.config.json/.mjs/.ts (found in this folder or above, up to the project); flags override it',
      ),
    )
    .addOption(
      new Option(
        '--from <run>',
        'repeat a run from the settings its report recorded (a run id or its start, latest, a run folder); flags given beside it override them',
      ).conflicts('config'),
    )
    .addOption(
      new Option(
        '--resume <run>',
        'resume a run that stopped before it finished (Ctrl-C, a crash, a kill, a power cut, its --budget) with its own settings: only the tasks its journal lacks run; a run id or its start, latest, or a run folder',
      ).conflicts(['config', 'from']),
    )
    .addOption(new Option('--json', 'print report.json to stdout instead of the leaderboard'))
    .addOption(new Option('--quiet', 'print nothing but errors and, with --json, the report'))
    .addOption(noColorOption())
    .helpOption('-h, --help', 'show this help')
    .addHelpText(
      'after',
      `
Exit status: 0 when every model trained (or was left out by --budget), 1 when any model failed, 2
for bad input (nothing is written), 3 when the run folder could not be written to the results
folder (it is saved in a fallback folder, printed), 130 when stopped by Ctrl-C (SIGINT), 143 by
SIGTERM. An interrupted run stops its tasks and writes the report of what finished; a second
Ctrl-C quits at once. Either way, and after a crash or a kill, --resume runs only what had not
finished.

Settings: every flag but --param is also a key of trainpool.config.json (--test-size is
"testSize"); --param svm.C=10 is "params": {"svm": {"C": 10}}. There "dataset" may give each CSV
file its own options: [{"path": "a.csv", "label": "species"}, "b.csv"].

Examples:
  ${name.replace(/ --$/, '')}
  ${name} --dataset wine --dataset ./my-data.csv --label species
  ${name} --dataset openml:61 --dataset https://example.org/data.csv.gz
  ${name} --models svm,random-forest --threads 1
  ${name} --split-file test/fixtures/iris_split_42.json
  ${name} --cv 5 --tune
  ${name} --dataset test/fixtures/sklearn/breast-cancer.csv --sort-by auc
  ${name} --param svm.C=10 --param knn.nNeighbors=7 --columns accuracy,logLoss,fit
  ${name} --config ./experiments/wine.config.json --seed 7
  ${name} --from latest --threads 1
  ${name} --model-module ./my-models.mjs --json
  ${name} --timeout 60 --max-memory-mb 512 --retries 1
  ${name} --cv 5 --tune --budget 30m
  ${name} --resume latest
  ${name} --backend bullmq --redis redis://10.0.0.5:6379 --cv 5 --tune`,
    );
}

/** A run's recorded settings, checked as a config file's are: `what` names where they were read. */
function recorded(value: unknown, what: string): TrainSettings {
  checkSettings(value, what);
  return value as TrainSettings;
}

/** The settings `--from <run>` repeats, and the data the run must still find. */
async function fromRun(arg: string, resultsDir: string, dataGiven: boolean) {
  const run = await resolveRun(arg, resultsDir);
  const settings = run.report.settings;
  if (!settings)
    throw new UsageError(
      `--from ${arg}: run ${run.report.runId} recorded no settings (its report is of a version before they were); repeat it with its flags`,
    );
  const { dataset, ...rest } = settings as Record<string, unknown>;
  if (dataset === null && !dataGiven)
    throw new UsageError(
      `--from ${arg}: run ${run.report.runId} trained on data passed in memory, which cannot be read again here; give it with --dataset`,
    );
  const where = `--from ${arg} (${shown(resolve(run.dir, 'report.json'))})`;
  return {
    settings: recorded(dataset === null ? rest : settings, where),
    // Another data set on purpose (--dataset) is not the run's data changing under it.
    ...(dataGiven
      ? {}
      : { sameData: { flag: '--from' as const, runId: run.report.runId, sha256: run.report.dataset.sha256 } }),
  };
}

/** The settings that decide the tasks of the run `arg` names, and what --resume needs to continue it. */
async function resumeRun(arg: string, resultsDir: string): Promise<{ settings: TrainSettings; how: RunHow }> {
  const found = await resolveResumable(arg, resultsDir);
  const { file, saved } = await readSavedRun(found.dir);
  if (saved.settings['dataset'] === null)
    throw new UsageError(
      `run ${saved.runId} trained on data passed in memory, which cannot be read again here; it cannot be resumed from the command line`,
    );
  const all = recorded(saved.settings, shown(file));
  const settings = Object.fromEntries(
    TASK_SETTINGS.filter((key) => all[key] !== undefined).map((key) => [key, all[key]]),
  ) as TrainSettings;
  return {
    settings,
    how: {
      resume: { runId: saved.runId, createdAt: saved.createdAt, resumes: saved.resumes },
      sameData: { flag: '--resume', runId: saved.runId, sha256: saved.datasetSha256 },
    },
  };
}

/** `--param model.key=value` flags as the `params` setting, and how messages name each one. */
function paramSettings(list: readonly ParamSetting[]): { params: Record<string, JsonObject>; names: SettingNames } {
  const params: Record<string, JsonObject> = {};
  const texts = new Map<string, string>();
  for (const p of list) {
    params[p.model] = { ...params[p.model], [p.key]: p.value };
    texts.set(`${p.model}.${p.key}`, p.text);
    if (!texts.has(p.model)) texts.set(p.model, p.text);
  }
  return {
    params,
    names: {
      ...SETTING_NAMES,
      param: (model, key) => {
        const text = texts.get(key === undefined ? model : `${model}.${key}`) ?? texts.get(model);
        return text === undefined ? SETTING_NAMES.param(model, key) : `--param ${text}`;
      },
      models: '--models',
    },
  };
}

export async function main(args: readonly string[]): Promise<number> {
  // The budget counts from here: it is the whole run's, loading and writing included.
  const startedAt = performance.now();
  return guard('train', async () => {
    const cmd = program();
    const flags = parse<TrainFlags>(cmd, args);
    if (!flags) return 0;
    const given = (key: string) => cmd.getOptionValueSource(key) === 'cli';
    // Only flags typed on the command line override the file's settings, not their defaults.
    const typed = Object.fromEntries(SETTING_FLAGS.filter(given).map((key) => [key, flags[key]])) as TrainSettings;
    if (typed.budgetGrace !== undefined && typed.budget === undefined)
      throw new UsageError('--budget-grace is the grace of --budget; give --budget too, or drop it');
    const param = flags.param ? paramSettings(flags.param) : undefined;
    let base: TrainSettings = {};
    let source = 'train';
    let how: RunHow = {};
    if (flags.resume !== undefined) {
      const fixed = [
        ...TASK_SETTINGS.filter((key) => typed[key as keyof TrainSettings] !== undefined),
        ...(param ? ['param'] : []),
      ];
      if (fixed.length > 0)
        throw new UsageError(
          `--resume continues a run with its own settings; drop ${fixed.map(flagName).join(', ')} (or start a new run with them)`,
        );
      const resumed = await resumeRun(flags.resume, resolve(flags.resultsDir));
      base = resumed.settings;
      how = resumed.how;
      source = `--resume ${flags.resume}`;
    } else if (flags.from !== undefined) {
      const from = await fromRun(flags.from, resolve(flags.resultsDir), typed.dataset !== undefined);
      base = from.settings;
      if (from.sameData) how.sameData = from.sameData;
      source = `--from ${flags.from}`;
    } else {
      const file = flags.config !== undefined ? resolve(flags.config) : findConfig();
      if (file !== undefined) {
        base = await loadConfig(file);
        source = shown(file);
      }
    }
    // A split file and a test size replace each other.
    if (typed.splitFile !== undefined) delete base.testSize;
    if (typed.testSize !== undefined) delete base.splitFile;
    // CSV flags beside only built-in data sets would be ignored without a word.
    const datasets = typed.dataset ?? base.dataset ?? 'iris';
    if (typed.label !== undefined || typed.delimiter !== undefined || typed.missing !== undefined) {
      const { BUILTIN_DATASETS } = await import('../data/load.js');
      checkCsvFlagsApply(
        typed,
        (Array.isArray(datasets) ? datasets : [datasets]).map((d) => (typeof d === 'string' ? d : d.path)),
        (arg) => BUILTIN_DATASETS.includes(arg),
      );
    }
    const options: TrainOptions = {
      resultsDir: flags.resultsDir,
      ...base,
      ...typed,
      // --param sets single params over those of the config file or the run repeated.
      ...(param
        ? {
            params: {
              ...base.params,
              ...Object.fromEntries(
                Object.entries(param.params).map(([id, p]) => [id, { ...base.params?.[id], ...p }]),
              ),
            },
          }
        : {}),
    };
    // With --json, stdout carries the report and nothing else: whatever model code prints on this
    // thread goes to stderr (the workers' output never comes here).
    const stdout = flags.json ? reserveStdout() : undefined;
    const interrupt = catchInterrupts();
    try {
      const { runTrain } = await import('../api/train.js');
      const outcome = await runTrain(options, {
        ...how,
        output: {
          json: flags.json === true,
          quiet: flags.quiet === true,
          color: useColor(process.stdout, flags.color),
          command: commandName('train'),
          ...(stdout ? { writeReport: stdout.write } : {}),
        },
        signal: interrupt.signal,
        source,
        startedAt,
        ...(param ? { names: param.names } : {}),
      });
      return outcome.exitStatus;
    } finally {
      // The signal handlers stay until the process has exited: a Ctrl-C while it winds down (the
      // report already written) would otherwise end it by the signal, status 130, although the
      // run is complete. A second one, a second later, still ends it at once.
      stdout?.release();
    }
  });
}

import { resolve } from 'node:path';
import { guard, useColor } from '../cli/common.js';
import { Command, commandName, commaList, noColorOption, Option, parse } from '../cli/options.js';
import { UsageError } from '../errors.js';
import { colors } from '../format/console.js';
import type { ModelDefinition } from '../ml/estimator.js';

interface CheckFlags extends Record<string, unknown> {
  models?: string[];
  color: boolean;
}

function program(): Command {
  const name = commandName('check-model');
  return new Command(name)
    .description(
      "Run the conformance checks every built-in model passes (in the spirit of scikit-learn's check_estimator) on the definitions of model modules: fit and predict shapes, well above chance on iris, determinism for a seed, two classes, the JSON round trip, probabilities as declared, params and cost. One line per failed check, saying how to fix it.",
    )
    .argument(
      '[modules...]',
      'ES modules (.js, .mjs, .ts) of model definitions, as --model-module takes them (default: the built-in models)',
    )
    .addOption(new Option('--models <ids>', 'check only these model ids').argParser(commaList))
    .addOption(noColorOption())
    .helpOption('-h, --help', 'show this help')
    .addHelpText(
      'after',
      `
Exit status: 0 when every definition passes every check, 1 when a check failed, 2 for bad input (a module
that cannot be loaded, or a definition that is not one).

Examples:
  ${name} ./my-models.mjs
  ${name} ./my-models.ts --models my-model
  ${name}`,
    );
}

export async function main(args: readonly string[]): Promise<number> {
  return guard('check-model', async () => {
    const cmd = program();
    const flags = parse<CheckFlags>(cmd, args);
    if (!flags) return 0;
    const [modules] = cmd.processedArgs as [string[]];
    const [{ loadModelModule }, { builtinModels }, { checkModel }] = await Promise.all([
      import('../models/registry.js'),
      import('../models/index.js'),
      import('../models/check.js'),
    ]);
    let definitions: ModelDefinition[] =
      modules.length === 0
        ? [...builtinModels]
        : (await Promise.all(modules.map((m) => loadModelModule(resolve(m), m)))).flat();
    if (flags.models) {
      const unknown = flags.models.filter((id) => !definitions.some((d) => d.id === id));
      if (unknown.length > 0)
        throw new UsageError(
          `--models: no model ${unknown.map((id) => `"${id}"`).join(', ')} here; the definitions are ${definitions.map((d) => d.id).join(', ')}`,
        );
      definitions = definitions.filter((d) => flags.models!.includes(d.id));
    }
    const c = colors(useColor(process.stdout, flags.color));
    let failing = 0;
    for (const def of definitions) {
      const report = await checkModel(def);
      if (report.failed.length === 0) {
        process.stdout.write(`${c.green('✓')} ${def.id}: ${report.passed.length} checks passed\n`);
        continue;
      }
      failing += 1;
      for (const f of report.failed) process.stdout.write(`${c.red('✗')} ${def.id}: ${f.check}: ${f.message}\n`);
    }
    const n = definitions.length;
    process.stdout.write(
      failing === 0
        ? `\n${n === 1 ? 'the definition passes' : `all ${n} definitions pass`} every check\n`
        : `\n${failing} of ${n} definition${n === 1 ? '' : 's'} failed a check\n`,
    );
    return failing === 0 ? 0 : 1;
  });
}

// --model-module imports only JavaScript or TypeScript modules: any other file (an extensionless
// script, a text file, a system file) is refused before anything runs, and the refusal quotes
// nothing of its content. The same on the coordinator and on a worker.
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempDir } from './support/helpers.js';

describe('--model-module with a file that is not a module', () => {
  it('is a one-line usage error on train and on worker; the file never runs', async () => {
    const dir = tempDir();
    const marker = join(dir, 'it-ran');
    const script = `require('node:fs').writeFileSync(${JSON.stringify(marker)}, 'ran'); secret content here\n`;
    const files = [join(dir, 'models'), join(dir, 'models.txt'), join(dir, 'models.json')];
    for (const file of files) writeFileSync(file, script);
    for (const file of files)
      for (const [command, args] of [
        ['train', ['--results-dir', tempDir()]],
        ['worker', ['--redis', 'redis://127.0.0.1:1']],
      ] as const) {
        const run = await runCli(command, [...args, '--model-module', file]);
        expect(run.code, `${command} ${file}`).toBe(2);
        expect(run.stderr).toBe(
          `${command}: error: --model-module ${file}: not a model module (.js, .mjs, .ts, .mts); nothing was loaded from it\n`,
        );
        expect(existsSync(marker)).toBe(false);
      }
  });
});

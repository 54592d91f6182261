import { UsageError } from '../errors.js';
import { writeFileAtomic } from '../results/write.js';
import { shown } from '../paths.js';
import { ChartRenderer } from './render.js';

type ChartInput = Parameters<ChartRenderer['render']>[0];

/**
 * Draws one chart and writes the page that holds it (compare's and history's HTML). A chart that
 * cannot be drawn costs the page its picture, with a warning and a note on the page, not the
 * command; a page that cannot be written is the user's problem to fix (exit 2).
 */
export async function writeChartPage(
  command: string,
  file: string,
  input: ChartInput | undefined,
  page: (chart: string | undefined, chartError: string | undefined) => string,
): Promise<void> {
  let chart: string | undefined;
  let chartError: string | undefined;
  if (input) {
    const renderer = new ChartRenderer();
    try {
      chart = await renderer.render(input);
    } catch (error) {
      chartError = (error as Error).message.split('\n')[0];
      process.stderr.write(`${command}: warning: the page has no chart: ${chartError}\n`);
    } finally {
      await renderer.close();
    }
  }
  try {
    await writeFileAtomic(file, page(chart, chartError));
  } catch (error) {
    throw new UsageError(`cannot write ${shown(file)}: ${(error as Error).message}`);
  }
  process.stdout.write(`\npage: ${shown(file)}\n`);
}

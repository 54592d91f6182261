import { UsageError } from '../errors.js';
import { terminalText } from '../format/escape.js';

/** Runs a command, turning a UsageError into one line on stderr and exit status 2. */
export async function guard(command: string, body: () => Promise<number>): Promise<number> {
  try {
    return await body();
  } catch (error) {
    if (error instanceof UsageError) {
      // Messages quote names from the data: their control characters are written out, so the
      // line stays one line and no escape sequence reaches the terminal.
      process.stderr.write(`${command}: error: ${terminalText(error.message)}\n`);
      return error.exitCode;
    }
    throw error;
  }
}

/** Colour only on a terminal, never when NO_COLOR is set or --no-color is given. */
export function useColor(stream: NodeJS.WriteStream, flag: boolean): boolean {
  return flag && stream.isTTY === true && !('NO_COLOR' in process.env && process.env['NO_COLOR'] !== '');
}

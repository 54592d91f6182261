// Opening input files. An input must be a regular file, and that is checked before it is opened:
// opening a FIFO for reading waits for a writer (forever, and in a libuv thread that no Ctrl-C
// reaches), and a device or socket is no data set either. The file is then opened without
// blocking and checked again, so that one swapped in between the two steps cannot hang us either.
import { constants, type Stats } from 'node:fs';
import { type FileHandle, open, stat } from 'node:fs/promises';
import { UsageError } from '../errors.js';

function kindOf(stats: Stats): string {
  if (stats.isFIFO()) return 'a FIFO';
  if (stats.isSocket()) return 'a socket';
  if (stats.isCharacterDevice() || stats.isBlockDevice()) return 'a device';
  return 'not a file';
}

function problem(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT' || code === 'ENOTDIR') return 'no such file';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  return `cannot open: ${(error as Error).message}`;
}

function refuse(stats: Stats, label: string, what: string): never {
  if (stats.isDirectory()) throw new UsageError(`${label}: is a folder, not ${what}`);
  throw new UsageError(`${label}: not a regular file (${kindOf(stats)}); give a file`);
}

/**
 * Opens a regular file for reading; anything else is a UsageError starting with `label` (how
 * the user named it). `what` names what a folder is not ("a CSV file").
 */
export async function openRegularFile(
  path: string,
  label: string,
  what = 'a file',
): Promise<{ handle: FileHandle; stats: Stats }> {
  let before: Stats;
  try {
    before = await stat(path);
  } catch (error) {
    throw new UsageError(`${label}: ${problem(error)}`);
  }
  if (!before.isFile()) refuse(before, label, what);
  let handle: FileHandle;
  try {
    handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    throw new UsageError(`${label}: ${problem(error)}`);
  }
  const stats = await handle.stat();
  if (!stats.isFile()) {
    await handle.close();
    refuse(stats, label, what);
  }
  return { handle, stats };
}

/** Reads a whole small regular file (a split or folds file) as UTF-8 text. */
export async function readRegularFile(path: string, label: string): Promise<string> {
  const { handle } = await openRegularFile(path, label);
  try {
    return await handle.readFile('utf8');
  } finally {
    await handle.close();
  }
}

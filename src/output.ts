// The one place that writes results. Every file lands by rename, so no reader ever sees half of
// one, and a run folder appears whole: it is written under a hidden staging name and renamed.
import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** Writes `content` to a temporary name in the same folder, then renames it into place. */
export async function writeFileAtomic(path: string, content: string | Uint8Array): Promise<void> {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    await writeFile(tmp, content);
    await rename(tmp, path);
  } catch (error) {
    await rm(tmp, { force: true });
    throw error;
  }
}

/** Run ids sort by time; the random tail keeps runs started in the same second apart. */
export function newRunId(dataset: string, now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  const slug =
    dataset
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '')
      .slice(0, 40) || 'data';
  return `${stamp}-${slug}-${randomBytes(3).toString('hex')}`;
}

/**
 * Writes a run folder `results/<runId>/` with the given files (paths relative to it) and returns
 * its path. The folder is complete when it appears; nothing earlier is ever overwritten.
 */
export async function writeRunFolder(
  resultsDir: string,
  runId: string,
  files: Record<string, string>,
): Promise<string> {
  await mkdir(resultsDir, { recursive: true });
  const staging = join(resultsDir, `.staging-${runId}-${process.pid}`);
  const target = join(resultsDir, runId);
  try {
    for (const [name, content] of Object.entries(files)) {
      await mkdir(dirname(join(staging, name)), { recursive: true });
      await writeFile(join(staging, name), content);
    }
    // rename() refuses to replace a non-empty folder, so an existing run is never overwritten.
    await rename(staging, target);
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    throw error;
  }
  return target;
}

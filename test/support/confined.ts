// Runs a shell script in a mount namespace of its own (`unshare --user --map-root-user --mount`),
// where it may mount a small tmpfs (to fill it, or read-only) that no other process sees and that
// vanishes with it; and runs a command as an unprivileged user when the tests run as root, for
// whom file permissions would not apply.
import { execFile } from 'node:child_process';
import { root, type CliResult } from './helpers.js';

/** `sh -c script` in its own mount namespace; ROOT (the project) and NODE are set for it. */
export function runConfined(script: string, env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  return new Promise((done) => {
    execFile(
      'unshare',
      ['--user', '--map-root-user', '--mount', 'sh', '-c', script],
      {
        cwd: root,
        env: { ...process.env, NO_COLOR: '1', ROOT: root, NODE: process.execPath, ...env },
        maxBuffer: 64 * 1024 * 1024,
      },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        done({ code, stdout, stderr });
      },
    );
  });
}

/**
 * Shell lines that mount a tmpfs of `sizeKiB` (read-only with `readOnly`) on "$MNT", and stop the
 * script unless it is mounted there: what a script writes afterwards stays in that tmpfs.
 */
export const mountTmpfs = (sizeKiB: number, readOnly = false) =>
  `[ -n "$MNT" ] || exit 96
   mount -t tmpfs -o size=${sizeKiB}k${readOnly ? ',ro' : ''} tmpfs "$MNT" || exit 99
   mountpoint -q "$MNT" || exit 98`;

/** A shell line that fills the tmpfs `mountTmpfs(sizeKiB)` mounted, bounded by its size. */
export const fillTmpfs = (sizeKiB: number) =>
  `dd if=/dev/zero of="$MNT/fill" bs=4096 count=${Math.ceil(sizeKiB / 4) + 16} 2>/dev/null`;

/** The argv prefix that runs a command as user nobody when this process is root, else nothing. */
export const unprivileged = (): string[] =>
  process.getuid?.() === 0 ? ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups'] : [];

// What a build is made from: every TypeScript source of src/, workers/ and bench/, and the stamp
// a build leaves in dist/ listing them. Shared by the build and the stale check.
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const sourceDirs = ['src', 'workers', 'bench'];
export const stampFile = join(root, 'dist/.build-stamp');

export function sources() {
  const walk = (dir, out) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path, out);
      else if (entry.name.endsWith('.ts')) out.push(path);
    }
    return out;
  };
  return sourceDirs.flatMap((dir) => walk(join(root, dir), []));
}

// `npm run <command>` entry: node scripts/run.mjs <command> [args...], the same as the
// `trainpool` bin (bin/trainpool.mjs), which rebuilds dist/ first in a clone.
await import('../bin/trainpool.mjs');

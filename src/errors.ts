/**
 * An error in what the user asked for (flags, files, data): reported as one line, exit status 2,
 * nothing written. The message says what is wrong and, where it can, how to fix it.
 */
export class UsageError extends Error {
  override readonly name = 'UsageError';
  readonly exitCode = 2;
}

export function describeValue(value: unknown): string {
  if (Array.isArray(value)) return 'an array';
  if (value === null) return 'null';
  return typeof value === 'object' ? 'an object' : `${typeof value} ${JSON.stringify(value)}`;
}

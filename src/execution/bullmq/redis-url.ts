// `--redis <url>`, checked and printed. Kept apart from the Redis client so that the train
// command's flags load without it: the local pool never pays for ioredis and BullMQ.
import { InvalidArgumentError } from 'commander';
import { UsageError } from '../../errors.js';

/** commander parser for `--redis <url>`: redis:// or rediss:// with a host. */
export function redisUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new InvalidArgumentError(`--redis must be a URL such as redis://127.0.0.1:6379, not "${value}".`);
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:')
    throw new InvalidArgumentError(`--redis must start with redis:// or rediss://, not "${url.protocol}//".`);
  if (url.hostname === '') throw new InvalidArgumentError(`--redis "${value}" names no host.`);
  if (url.pathname !== '' && url.pathname !== '/' && !/^\/\d+$/.test(url.pathname))
    throw new InvalidArgumentError(`--redis "${value}": the path must be a database number such as /1.`);
  return value;
}

/**
 * The Redis URL of a command: `--redis`, else the REDIS_URL environment variable (where a
 * password is not shown to other users by `ps`, as a command line is).
 */
export function redisUrlFrom(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (flag !== undefined) return flag;
  const value = env['REDIS_URL'];
  if (value === undefined || value === '') return undefined;
  try {
    return redisUrl(value);
  } catch (error) {
    throw new UsageError(`REDIS_URL: ${(error as Error).message.replace(/^--redis /, '')}`);
  }
}

/** The URL as it may be printed: without its password. */
export function displayUrl(value: string): string {
  const url = new URL(value);
  if (url.password !== '') url.password = '***';
  return url.toString().replace(/\/$/, '');
}

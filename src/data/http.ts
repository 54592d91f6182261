// One HTTP GET with node:http/https, which hand over the body exactly as served: the bytes that
// Content-Length counts and that checksums are computed over, before any content decoding (the
// built-in fetch() decodes gzip on its own and hides them). Redirects are followed here, at most
// MAX_REDIRECTS, and only to http: or https:. Timeouts and retries are not this file's: the caller
// runs each try under withRetries (execution/reliability.ts), whose signal stops the request.
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { UsageError } from '../errors.js';
import { packageVersion } from '../paths.js';
import { checkScheme, shownUrl } from './url.js';

export const MAX_REDIRECTS = 5;

/** An HTTP status worth another try: the request timed out, too many requests, a server error. */
export class HttpStatusError extends Error {
  override readonly name = 'HttpStatusError';
  constructor(
    readonly status: number,
    readonly retryAfterMs: number | undefined,
    message: string,
  ) {
    super(message);
  }
}

export interface Response {
  status: number;
  headers: IncomingMessage['headers'];
  /** The URL that answered, after redirects. */
  url: URL;
  body: IncomingMessage;
}

/** Retry-After as milliseconds from now: a number of seconds or an HTTP date. */
export function retryAfterMs(value: string | undefined, now = Date.now()): number | undefined {
  if (value === undefined) return undefined;
  if (/^\s*\d+\s*$/.test(value)) return Number(value) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

function once(url: URL, headers: Record<string, string>, signal: AbortSignal): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const auth =
      url.username || url.password
        ? { auth: `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}` }
        : {};
    const req = request(url, { method: 'GET', headers, signal, ...auth }, resolve);
    req.on('error', reject);
    req.end();
  });
}

/**
 * GETs `url`, following redirects; resolves with the final response, whatever its status (the
 * body unread). `headers` go only to the URL's own origin: a redirect elsewhere drops them, as
 * it drops the URL's credentials.
 */
export async function get(
  start: URL,
  headers: Record<string, string>,
  signal: AbortSignal,
  what: string,
): Promise<Response> {
  let url = start;
  for (let hops = 0; ; hops++) {
    const sameOrigin = url.origin === start.origin;
    const sent = {
      'user-agent': `trainpool/${packageVersion()}`,
      accept: '*/*',
      ...(sameOrigin ? headers : {}),
    };
    const target = new URL(url);
    target.hash = '';
    target.username = sameOrigin ? start.username : '';
    target.password = sameOrigin ? start.password : '';
    const response = await once(target, sent, signal);
    const status = response.statusCode ?? 0;
    const location = response.headers.location;
    if (status >= 300 && status < 400 && status !== 304 && location !== undefined) {
      response.resume();
      if (hops >= MAX_REDIRECTS) {
        throw new UsageError(
          `${what}: more than ${MAX_REDIRECTS} redirects (a redirect loop?), the last to ${shownUrl(new URL(location, url))}`,
        );
      }
      const next = new URL(location, url);
      checkScheme(next, `${what}: redirected to ${shownUrl(next)}`);
      url = next;
      continue;
    }
    return { status, headers: response.headers, url, body: response };
  }
}

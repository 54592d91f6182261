// Signatures between a coordinator and its workers. With TRAINPOOL_SECRET set on both, every job
// and every result is signed with an HMAC-SHA256 of that secret: a job is bound to its id, a
// result to the id of the job it answers (the task's own hash, as the coordinator computed it), so
// a writer to Redis without the secret can neither forge one nor move a genuine one onto another
// task. The secret lives in the environment of the processes only: never in Redis, never printed.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { canonicalJson } from '../../json.js';

export const SECRET_VARIABLE = 'TRAINPOOL_SECRET';

/** The shared secret, when this process has one. */
export function secretFromEnv(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const value = env[SECRET_VARIABLE];
  return value === undefined || value === '' ? undefined : value;
}

/** What is signed: a purpose, so that a job's signature is never a valid result's, the job id, the value. */
function mac(secret: string, purpose: 'job' | 'result', jobId: string, value: unknown): Buffer {
  return createHmac('sha256', secret)
    .update(`trainpool ${purpose}\n${jobId}\n${canonicalJson(value)}`)
    .digest();
}

export function sign(secret: string, purpose: 'job' | 'result', jobId: string, value: unknown): string {
  return mac(secret, purpose, jobId, value).toString('hex');
}

/** Why a signature is not acceptable, or undefined when it is. */
export function signatureProblem(
  secret: string,
  purpose: 'job' | 'result',
  jobId: string,
  value: unknown,
  signature: unknown,
): string | undefined {
  if (signature === undefined || signature === null)
    return `not signed (${SECRET_VARIABLE} is set here, so everything must be signed with it)`;
  if (typeof signature !== 'string' || !/^[0-9a-f]{64}$/.test(signature)) return 'its signature is malformed';
  const expected = mac(secret, purpose, jobId, value);
  return timingSafeEqual(expected, Buffer.from(signature, 'hex'))
    ? undefined
    : `its signature does not match (signed with another ${SECRET_VARIABLE}, or altered in Redis)`;
}

// A Redis that asks for a user and password and speaks only TLS (rediss://), as a managed or
// shared one does: the coordinator takes the URL from REDIS_URL, a worker from --redis, the run is
// the local one, and the password is printed nowhere; a wrong password or an untrusted
// certificate is one line, exit 2.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { startRedisServer, startWorkerProcess } from './support/local-cluster.js';
import { runCli, tempDir, train } from './support/helpers.js';

/** A throwaway certificate authority and a certificate for 127.0.0.1 signed by it. */
function certificates() {
  const dir = tempDir('trainpool-tls-');
  const at = (name: string) => join(dir, name);
  const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'ignore' });
  openssl(
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    'ca.key',
    '-out',
    'ca.crt',
    '-days',
    '1',
    '-subj',
    '/CN=trainpool test CA',
  );
  openssl(
    'req',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    'server.key',
    '-out',
    'server.csr',
    '-subj',
    '/CN=localhost',
  );
  writeFileSync(at('ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\n');
  openssl(
    'x509',
    '-req',
    '-in',
    'server.csr',
    '-CA',
    'ca.crt',
    '-CAkey',
    'ca.key',
    '-CAcreateserial',
    '-out',
    'server.crt',
    '-days',
    '1',
    '-extfile',
    'ext',
  );
  return { cert: at('server.crt'), key: at('server.key'), ca: at('ca.crt') };
}

describe('--backend bullmq on a Redis with a password, over TLS', () => {
  it('trains as locally with the URL in REDIS_URL; the password is never printed or written', async () => {
    const tls = certificates();
    const password = 'open sesame 42';
    const redis = await startRedisServer({
      tls,
      args: ['--user', 'default', 'off', '--user', 'trainer', 'on', `>${password}`, '~*', '&*', '+@all'],
    });
    onTestFinished(() => redis.stop(true));
    const url = redis.url.replace('rediss://', `rediss://trainer:${encodeURIComponent(password)}@`);
    const trust = { NODE_EXTRA_CA_CERTS: tls.ca };
    const worker = await startWorkerProcess(url, ['--concurrency', '1'], trust);
    onTestFinished(async () => {
      await worker.stop('SIGKILL');
    });

    const [remote, local] = await Promise.all([
      train(['--backend', 'bullmq', '--cv', '3'], { ...trust, REDIS_URL: url }),
      train(['--cv', '3']),
    ]);
    expect(remote.stderr).toBe('');
    expect(remote.code).toBe(0);
    expect(remote.report!.models.map((m) => [m.id, m.status, m.status === 'ok' && m.predictions])).toEqual(
      local.report!.models.map((m) => [m.id, m.status, m.status === 'ok' && m.predictions]),
    );
    const written = readdirSync(remote.resultsDir, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => readFileSync(join(e.parentPath, e.name), 'utf8'))
      .join('\n');
    for (const text of [remote.stdout, remote.stderr, worker.output(), written]) {
      expect(text).not.toContain(password);
      expect(text).not.toContain(encodeURIComponent(password));
    }
    expect(worker.output()).toContain(`taking tasks from rediss://trainer:***@127.0.0.1:${redis.port}`);

    // A wrong password, no certificate trust, or plain redis:// on the TLS port: one line, exit 2.
    const wrong = url.replace(encodeURIComponent(password), 'guess');
    const refused = await runCli('train', ['--backend', 'bullmq', '--results-dir', tempDir()], {
      ...trust,
      REDIS_URL: wrong,
    });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toBe(
      `train: error: --redis rediss://trainer:***@127.0.0.1:${redis.port}: cannot connect to Redis: it refused the user name or password; put them in the URL: redis://user:password@host:port (or redis://:password@host:port)\n`,
    );
    const untrusted = await runCli('train', ['--backend', 'bullmq', '--redis', url, '--results-dir', tempDir()]);
    expect(untrusted.code).toBe(2);
    expect(untrusted.stderr).toMatch(
      /^train: error: --redis rediss:\/\/trainer:\*\*\*@127\.0\.0\.1:\d+: cannot connect to Redis: .*certificate.*\n$/,
    );
    expect(untrusted.stderr).toContain('NODE_EXTRA_CA_CERTS');
    const plain = await runCli('worker', ['--redis', url.replace('rediss://', 'redis://')], trust);
    expect(plain.code).toBe(2);
    expect(plain.stderr.trim().split('\n')).toHaveLength(1);
    for (const run of [refused, untrusted, plain]) expect(run.stderr).not.toContain(encodeURIComponent(password));
  }, 240_000);
});

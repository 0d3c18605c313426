import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TLSSocket } from 'node:tls';

import { afterEach, describe, expect, it } from 'vitest';

import { killInstances } from '../../harness/services/bluegreen-instances.js';
import { startNginx } from '../../harness/services/nginx.js';
import { freePort } from '../../harness/services/ports.js';
import { printed, runBundle } from '../../harness/services/runner.js';
import { makeSource } from '../../harness/services/versioned-app.js';
import { makeCertificate, startServer } from './smoke-servers.js';

/**
 * Issue #18 item 4: a production Django answers 400 to a Host it does not list (ALLOWED_HOSTS) and
 * 301 to a request it thinks came over http (SECURE_SSL_REDIRECT + SECURE_PROXY_SSL_HEADER). The
 * health checks must be able to present the public name and X-Forwarded-Proto: https.
 */

const PUBLIC = 'shop.example.com';
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Django's answers, in its order: DisallowedHost first, then the https redirect. */
function django(seen: string[]) {
  return (req: IncomingMessage, res: ServerResponse) => {
    seen.push(`${req.headers.host} ${req.headers['x-forwarded-proto'] ?? '-'} ${(req.socket as TLSSocket).servername || '-'}`);
    if (req.headers.host !== PUBLIC) return void res.writeHead(400).end(`Invalid HTTP_HOST header: '${req.headers.host}'`);
    if (req.headers['x-forwarded-proto'] !== 'https') return void res.writeHead(301, { location: `https://${PUBLIC}${req.url}` }).end();
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"status": "ok"}');
  };
}

const backend = (dir: string, inputs: Record<string, string>, env?: Record<string, string>) =>
  runBundle(
    'backend',
    { transport: 'local', path: dir, source: makeSource({ VERSION: 'v1' }), 'health-timeout': '3s', ...inputs },
    { env },
  );

describe('health-host and health-forwarded-proto', { timeout: 180_000 }, () => {
  it('health-url over http: 400 without health-host, 301 without the forwarded proto, healthy with both', async () => {
    const seen: string[] = [];
    const app = await startServer(django(seen));
    cleanups.push(() => app.close());
    const url = `${app.url}/health`;

    const bare = await backend(tempDir('dk-hh-'), { 'health-url': url, 'release-id': 'r1' });
    expect(bare.exitCode).toBe(1);
    expect(printed(bare)).toContain("HTTP 400: Invalid HTTP_HOST header: '127.0.0.1:");

    const hostOnly = await backend(tempDir('dk-hh-'), { 'health-url': url, 'health-host': PUBLIC, 'release-id': 'r1' });
    expect(hostOnly.exitCode).toBe(1);
    expect(printed(hostOnly)).toContain('HTTP 301');

    const both = await backend(tempDir('dk-hh-'), {
      'health-url': url,
      'health-host': PUBLIC,
      'health-forwarded-proto': 'https',
      'release-id': 'r1',
    });
    expect(both.exitCode, printed(both)).toBe(0);
    expect(seen.at(-1)).toBe(`${PUBLIC} https -`);
  });

  it('health-url over https on the IP: health-host is also the TLS server name, and the certificate is checked for it', async () => {
    const seen: string[] = [];
    const certificate = makeCertificate([PUBLIC], 30);
    const caFile = join(tempDir('dk-hh-ca-'), 'ca.pem');
    writeFileSync(caFile, certificate.cert);
    const app = await startServer(django(seen), certificate);
    cleanups.push(() => app.close());
    const run = await backend(
      tempDir('dk-hh-'),
      {
        'health-url': `https://127.0.0.1:${app.port}/health`,
        'health-host': PUBLIC,
        'health-forwarded-proto': 'https',
        'release-id': 'r1',
      },
      { NODE_EXTRA_CA_CERTS: caFile },
    );
    expect(run.exitCode, printed(run)).toBe(0);
    expect(seen.at(-1)).toBe(`${PUBLIC} https ${PUBLIC}`);
  });

  it('the blue/green probe on 127.0.0.1:<port> sends the public Host and X-Forwarded-Proto', async () => {
    const dir = tempDir('dk-hh-bg-');
    const ports: [number, number] = [await freePort(), await freePort()];
    const nginx = await startNginx(ports[0]);
    cleanups.push(() => nginx.stop());
    cleanups.push(() => killInstances(dir));
    const server = `
const http = require('node:http');
http.createServer((req, res) => {
  if (req.headers.host !== '${PUBLIC}') return res.writeHead(400).end('Invalid HTTP_HOST header: ' + req.headers.host);
  if (req.headers['x-forwarded-proto'] !== 'https') return res.writeHead(301, { location: 'https://${PUBLIC}/' }).end();
  res.writeHead(200).end('ok');
}).listen(Number(process.env.PORT), '127.0.0.1');
process.on('SIGTERM', () => process.exit(0));
`;
    const inputs = {
      transport: 'local',
      path: dir,
      switch: 'blue-green',
      ports: ports.join(','),
      'start-command': `exec ${process.execPath} server.cjs`,
      'health-path': '/health',
      'health-timeout': '5s',
      'nginx-upstream-file': nginx.upstreamFile,
      'nginx-test-command': nginx.testCommand,
      'nginx-reload-command': nginx.reloadCommand,
      'drain-seconds': '0',
    };
    const bare = await runBundle('backend', { ...inputs, source: makeSource({ 'server.cjs': server }), 'release-id': 'r1' });
    expect(bare.exitCode).toBe(1);
    expect(printed(bare)).toContain('HTTP 400');
    const routed = await runBundle('backend', {
      ...inputs,
      source: makeSource({ 'server.cjs': server }),
      'release-id': 'r2',
      'health-host': PUBLIC,
      'health-forwarded-proto': 'https',
    });
    expect(routed.exitCode, printed(routed)).toBe(0);
  });

  it('smoke: host-header with forwarded-proto passes; without forwarded-proto it is the 301', async () => {
    const app = await startServer(django([]));
    cleanups.push(() => app.close());
    const inputs = { url: `${app.url}/health`, 'host-header': PUBLIC, deadline: '1s' };
    const redirected = await runBundle('smoke', inputs);
    expect(redirected.exitCode).toBe(1);
    expect(printed(redirected)).toContain('HTTP 301');
    const run = await runBundle('smoke', { ...inputs, 'forwarded-proto': 'https' });
    expect(run.exitCode, printed(run)).toBe(0);
  });

  it('refuses a health-host that is not a host name', async () => {
    const run = await backend(tempDir('dk-hh-'), { 'health-host': 'shop.example.com/path' });
    expect(run.exitCode).toBe(1);
    expect(printed(run)).toContain('input "health-host"');
  });
});

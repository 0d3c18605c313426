import type { ServerResponse } from 'node:http';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { printed, runBundle } from '../../harness/services/runner.js';
import { json, makeCertificate, SECURE_HEADERS, startServer, type TestServer } from './smoke-servers.js';

interface Report {
  passed: boolean;
  checks: { name: string; kind: string; passed: boolean; attempts: number; status?: number; latencyMs?: number; reason: string }[];
}

const RUN_SHA = 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678'; // what runBundle sets as GITHUB_SHA
const servers: TestServer[] = [];
let app: TestServer;
let slowStartAt = 0;

const report = (outputs: Record<string, string>) => JSON.parse(outputs.report ?? '{}') as Report;

beforeAll(async () => {
  app = await startServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/health') return json(res, 200, { status: 'ok', db: { connected: true }, version: RUN_SHA }, { 'x-release': 'r42' });
    if (path === '/warming') return json(res, 503, { status: 'warming up' });
    if (path === '/slow-start') {
      slowStartAt ||= Date.now();
      return Date.now() - slowStartAt < 1500 ? json(res, 503, { status: 'starting' }) : json(res, 200, { status: 'ok' });
    }
    if (path === '/old') return res.writeHead(301, { location: '/new' }).end();
    if (path === '/secure') return res.writeHead(200, SECURE_HEADERS).end('<html>secure</html>');
    if (path === '/insecure') return res.writeHead(200, { 'x-content-type-options': 'sniff-away' }).end('<html>open</html>');
    if (path === '/old-version') return json(res, 200, { version: '0123456789abcdef0123456789abcdef01234567' });
    if (path === '/api' && req.method === 'OPTIONS') {
      const allowed = req.headers.origin === 'https://app.example.com';
      res.writeHead(
        204,
        allowed
          ? {
              'access-control-allow-origin': 'https://app.example.com',
              'access-control-allow-methods': 'GET, POST',
              'access-control-allow-headers': 'content-type',
              'access-control-allow-credentials': 'true',
              vary: 'Origin',
            }
          : {},
      );
      return res.end();
    }
    if (path === '/wildcard-api' && req.method === 'OPTIONS') {
      res.writeHead(204, { 'access-control-allow-origin': '*', 'access-control-allow-methods': '*' });
      return res.end();
    }
    if (path === '/admin') {
      const ok = req.headers.authorization === `Basic ${Buffer.from('ops:s3cret-pass').toString('base64')}`;
      return ok ? json(res, 200, { admin: true }) : res.writeHead(401, { 'www-authenticate': 'Basic' }).end('login required');
    }
    const host = req.headers.host ?? '';
    if (path === '/whoami') return res.writeHead(200).end(host.startsWith('shop.example.com') ? 'shop site' : 'default site');
    return json(res, 404, { error: 'not found' });
  });
  servers.push(app);
});

afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

describe('smoke bundle', () => {
  it('waits for an app that starts slowly and passes within the deadline', async () => {
    const run = await runBundle('smoke', { url: `${app.url}/slow-start`, expect: '200 ok', deadline: '30s' });
    expect(run.exitCode, run.stdout).toBe(0);
    expect(run.outputs.passed).toBe('true');
    const [check] = report(run.outputs).checks;
    expect(check).toMatchObject({ passed: true, status: 200 });
    expect(check!.attempts).toBeGreaterThan(1);
    expect(run.summary).toContain('| check | result | attempts | status | latency | reason |');
  });

  it('fails an app that never gets ready with the last reason it gave', async () => {
    const run = await runBundle('smoke', { url: `${app.url}/warming`, deadline: '2s' });
    expect(run.exitCode).toBe(1);
    expect(run.outputs.passed).toBe('false');
    const [check] = report(run.outputs).checks;
    expect(check).toMatchObject({ passed: false, status: 503 });
    expect(check!.reason).toContain('HTTP 503');
    expect(check!.reason).toContain('warming up');
    expect(run.stdout).toContain('::error::smoke: 1 of 1 checks failed');
    expect(run.summary).toContain('| failed |');
  });

  it('reports a refused connection as the reason when nothing listens', async () => {
    const gone = await startServer(() => undefined);
    await gone.close();
    const run = await runBundle('smoke', { url: `${gone.url}/`, deadline: '1s' });
    expect(run.exitCode).toBe(1);
    expect(report(run.outputs).checks[0]!.reason).toContain('connection refused');
  });

  it('gives up on a server that accepts but never answers, within the deadline rather than the request timeout', async () => {
    const hanging = await startServer(() => undefined);
    servers.push(hanging);
    const run = await runBundle('smoke', { url: `${hanging.url}/`, deadline: '2s', 'request-timeout': '30s' });
    expect(run.exitCode).toBe(1);
    expect(report(run.outputs).checks[0]!.reason).toMatch(/no (complete )?answer within \d+ ms/);
  });

  it('treats a redirect as a failure unless expect-status names it', async () => {
    const failed = await runBundle('smoke', { url: `${app.url}/old`, deadline: '1s' });
    expect(failed.exitCode).toBe(1);
    expect(report(failed.outputs).checks[0]!.reason).toMatch(/HTTP 301 redirect to \/new; a redirect is not a pass/);
    const expected = await runBundle('smoke', { url: `${app.url}/old`, expect: '301', deadline: '1s' });
    expect(expected.exitCode, expected.stdout).toBe(0);
  });

  it('checks JSON paths, headers and body patterns from a YAML list, all in one report', async () => {
    const checks = `
- name: health json
  url: ${app.url}/health
  expect-json:
    - $.status = ok
    - $.db.connected = true
  expect-header: "X-Release: r42"
  expect-body: /"status":\\s*"ok"/
  max-latency-ms: 5000
- name: wrong value
  url: ${app.url}/health
  expect-json: $.status = degraded
- name: missing header
  url: ${app.url}/health
  expect-header: X-Served-By
`;
    const run = await runBundle('smoke', { checks, deadline: '1s' });
    expect(run.exitCode).toBe(1);
    const byName = Object.fromEntries(report(run.outputs).checks.map((c) => [c.name, c]));
    expect(byName['health json']).toMatchObject({ passed: true, status: 200 });
    expect(byName['wrong value']).toMatchObject({ passed: false, reason: '$.status = degraded: got "ok"' });
    expect(byName['missing header']).toMatchObject({ passed: false, reason: 'header x-served-by is missing' });
    expect(run.stdout).toContain('2 of 3 checks failed');
  });

  it('checks the security headers the apps set and names each missing one (a failure with strict, a warning without)', async () => {
    const good = await runBundle('smoke', { url: `${app.url}/secure`, presets: 'security-headers', deadline: '1s', strict: 'true' });
    expect(good.exitCode, good.stdout).toBe(0);
    const lenient = await runBundle('smoke', { url: `${app.url}/insecure`, presets: 'security-headers', deadline: '1s' });
    expect(lenient.exitCode, lenient.stdout).toBe(0);
    expect(lenient.stdout).toMatch(/::warning::security headers: .*Referrer-Policy missing/);
    const bad = await runBundle('smoke', { url: `${app.url}/insecure`, presets: 'security-headers', deadline: '1s', strict: 'true' });
    expect(bad.exitCode).toBe(1);
    const preset = report(bad.outputs).checks.find((c) => c.kind === 'security-headers')!;
    expect(preset.reason).toContain('Content-Security-Policy missing');
    expect(preset.reason).toContain('X-Content-Type-Options is "sniff-away", expected nosniff');
    expect(preset.reason).toContain('Referrer-Policy missing');
  });

  it('passes a CORS preflight from the allowed origin with credentials and fails the others', async () => {
    const cors = {
      presets: 'cors',
      'cors-url': `${app.url}/api`,
      'cors-method': 'POST',
      'cors-headers': 'content-type',
      'cors-credentials': 'true',
      deadline: '1s',
    };
    const right = await runBundle('smoke', { ...cors, origin: 'https://app.example.com' });
    expect(right.exitCode, right.stdout).toBe(0);
    const wrong = await runBundle('smoke', { ...cors, origin: 'https://evil.example.net' });
    expect(wrong.exitCode).toBe(1);
    expect(report(wrong.outputs).checks[0]!.reason).toContain('no Access-Control-Allow-Origin');
    const wildcard = await runBundle('smoke', { ...cors, 'cors-url': `${app.url}/wildcard-api`, origin: 'https://app.example.com' });
    expect(wildcard.exitCode).toBe(1);
    expect(report(wildcard.outputs).checks[0]!.reason).toContain('browsers refuse with credentials');
  });

  it('routes by Host header to test a server before DNS moves', async () => {
    const run = await runBundle('smoke', {
      url: `${app.url}/whoami`,
      'host-header': 'shop.example.com',
      expect: 'shop site',
      deadline: '1s',
    });
    expect(run.exitCode, run.stdout).toBe(0);
    const without = await runBundle('smoke', { url: `${app.url}/whoami`, expect: 'shop site', deadline: '1s' });
    expect(without.exitCode).toBe(1);
    expect(report(without.outputs).checks[0]!.reason).toContain('default site');
  });

  it('finds the deployed commit (the run sha by default) and catches a deploy that did not switch', async () => {
    const current = await runBundle('smoke', {
      url: `${app.url}/health`,
      'version-url': `${app.url}/health`,
      presets: 'version',
      deadline: '1s',
    });
    expect(current.exitCode, current.stdout).toBe(0);
    const stale = await runBundle('smoke', {
      url: `${app.url}/health`,
      'version-url': `${app.url}/old-version`,
      presets: 'version',
      deadline: '1s',
    });
    expect(stale.exitCode).toBe(1);
    expect(report(stale.outputs).checks.find((c) => c.kind === 'version')!.reason).toContain('old release may still be serving');
  });

  it('sends URL credentials as Basic auth and keeps the password out of the report and the log', async () => {
    const url = `http://ops:s3cret-pass@127.0.0.1:${app.port}/admin`;
    const run = await runBundle('smoke', {
      checks: `- url: ${url}\n  expect-json: $.admin = true\n- url: http://ops:wrong-pass@127.0.0.1:${app.port}/admin`,
      deadline: '1s',
    });
    expect(run.exitCode).toBe(1);
    const [good, bad] = report(run.outputs).checks;
    expect(good).toMatchObject({ passed: true, name: `GET http://127.0.0.1:${app.port}/admin` });
    expect(bad).toMatchObject({ passed: false, status: 401 });
    expect(run.outputs.report).not.toContain('s3cret-pass');
    expect(run.stdout).toContain('::add-mask::s3cret-pass'); // the runner hides it anywhere it appears
    expect(printed(run)).not.toContain('s3cret-pass');
    expect(run.summary).not.toContain('s3cret-pass');
  });

  it('fails a bad input before any request, naming the input', async () => {
    const run = await runBundle('smoke', { url: `${app.url}/health`, presets: 'security-headers, speed' });
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toContain('input "presets": unknown preset "speed"');
    expect(run.outputs.report).toBeUndefined();
  });
});

describe('smoke over TLS', () => {
  let fresh: TestServer;
  let expiring: TestServer;
  let certs: { fresh: string; expiring: string };

  beforeAll(async () => {
    const long = makeCertificate(['shop.example.test'], 400);
    const short = makeCertificate(['shop.example.test'], 5);
    certs = { fresh: long.cert, expiring: short.cert };
    const hello = (_req: unknown, res: ServerResponse) => res.writeHead(200, SECURE_HEADERS).end('hello over tls');
    fresh = await startServer(hello, long, 'shop.example.test');
    expiring = await startServer(hello, short, 'shop.example.test');
    servers.push(fresh, expiring);
  });

  it('passes a certificate valid for the host for longer than tls-min-days, sent to an IP with resolve', async () => {
    const run = await runBundle('smoke', {
      url: `${fresh.url}/`,
      resolve: '127.0.0.1',
      'ca-cert': certs.fresh,
      presets: 'tls, security-headers',
      expect: 'hello',
      deadline: '2s',
    });
    expect(run.exitCode, run.stdout).toBe(0);
    const tls = report(run.outputs).checks.find((c) => c.kind === 'tls')!;
    expect(tls.reason).toMatch(/shop\.example\.test, valid until \d{4}-\d\d-\d\d/);
  });

  it('fails a certificate that expires in 5 days when tls-min-days is 14', async () => {
    const run = await runBundle('smoke', {
      url: `${expiring.url}/`,
      resolve: '127.0.0.1',
      'ca-cert': certs.expiring,
      presets: 'tls',
      'tls-min-days': '14',
      deadline: '1s',
    });
    expect(run.exitCode).toBe(1);
    const tls = report(run.outputs).checks.find((c) => c.kind === 'tls')!;
    expect(tls.reason).toMatch(/certificate expires in [45] days \(\d{4}-\d\d-\d\d\), less than tls-min-days 14/);
  });

  it('fails a certificate that does not cover the public host name', async () => {
    const run = await runBundle('smoke', {
      url: `https://127.0.0.1:${fresh.port}/`,
      'host-header': 'other.example.test',
      'ca-cert': certs.fresh,
      presets: 'tls',
      deadline: '1s',
    });
    expect(run.exitCode).toBe(1);
    expect(report(run.outputs).checks.find((c) => c.kind === 'tls')!.reason).toContain('does not cover the host');
  });

  it('fails an untrusted certificate without a ca-cert', async () => {
    const run = await runBundle('smoke', { url: `${fresh.url}/`, resolve: '127.0.0.1', deadline: '1s' });
    expect(run.exitCode).toBe(1);
    expect(report(run.outputs).checks[0]!.reason).toMatch(/self[- ]signed/i);
  });
});

import { createServer, type Server } from 'node:http';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { freePort } from '../../harness/services/ports.js';
import { checkHttp, describeExpectation, type HealthExpectation, parseHealthExpect } from '../../src/core/health.js';

describe('parseHealthExpect / describeExpectation', () => {
  it.each<[string, HealthExpectation, string]>([
    ['', {}, 'a 2xx status'],
    ['200', { status: 200, body: undefined }, 'status 200'],
    [' 204 ', { status: 204, body: undefined }, 'status 204'],
    ['200 ok', { status: 200, body: 'ok' }, 'status 200 and body containing "ok"'],
    ['301   https://example.com/ ', { status: 301, body: 'https://example.com/' }, 'status 301 and body containing "https://example.com/"'],
    ['"status":"ok"', { body: '"status":"ok"' }, 'a 2xx status and body containing "\\"status\\":\\"ok\\""'],
    ['healthy', { body: 'healthy' }, 'a 2xx status and body containing "healthy"'],
    ['2000', { body: '2000' }, 'a 2xx status and body containing "2000"'],
    ['600', { body: '600' }, 'a 2xx status and body containing "600"'],
  ])('%j → %j (%s)', (value, expectation, description) => {
    expect(parseHealthExpect(value)).toEqual(expectation);
    expect(describeExpectation(parseHealthExpect(value))).toBe(description);
  });
});

describe('checkHttp against a real server', () => {
  let server: Server;
  let base: string;
  beforeAll(async () => {
    server = createServer((req, res) => {
      const routes: Record<string, () => void> = {
        '/ok': () => res.writeHead(200).end('{"status":"ok","version":"v2"}'),
        '/empty': () => res.writeHead(204).end(),
        '/starting': () => res.writeHead(200).end('starting'),
        '/login': () => res.writeHead(302, { location: '/accounts/login/' }).end(),
        '/down': () => res.writeHead(503).end('x'.repeat(1000)),
      };
      (routes[req.url!] ?? (() => res.writeHead(404).end('not found')))();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it.each<[string, string, { done: true; value: string } | { done: false; reason: string }]>([
    ['/ok', '', { done: true, value: 'HTTP 200' }],
    ['/ok', '200', { done: true, value: 'HTTP 200' }],
    ['/ok', '"version":"v2"', { done: true, value: 'HTTP 200' }],
    ['/empty', '', { done: true, value: 'HTTP 204' }],
    [
      '/ok',
      '"version":"v3"',
      { done: false, reason: 'HTTP 200 but the body lacks "\\"version\\":\\"v3\\"": {"status":"ok","version":"v2"}' },
    ],
    ['/starting', '200 ok', { done: false, reason: 'HTTP 200 but the body lacks "ok": starting' }],
    ['/ok', '204', { done: false, reason: 'HTTP 200: {"status":"ok","version":"v2"}' }],
    ['/login', '', { done: false, reason: 'HTTP 302' }],
    ['/login', '302', { done: true, value: 'HTTP 302' }],
    ['/missing', '', { done: false, reason: 'HTTP 404: not found' }],
  ])('GET %s expecting %j', async (path, expect_, attempt) => {
    expect(await checkHttp(`${base}${path}`, parseHealthExpect(expect_))).toEqual(attempt);
  });

  it('a failing status keeps at most 200 characters of the body in the reason', async () => {
    const result = await checkHttp(`${base}/down`, {});
    expect(result).toEqual({ done: false, reason: `HTTP 503: ${'x'.repeat(200)}` });
  });

  it('a refused connection says why', async () => {
    const port = await freePort(); // nothing listens there
    expect(await checkHttp(`http://127.0.0.1:${port}/health`, {})).toEqual({ done: false, reason: 'fetch failed: ECONNREFUSED' });
  });
});

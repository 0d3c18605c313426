import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { freePort } from '../../harness/services/ports.js';
import type { Clock } from '../../src/core/clock.js';
import { OperationalError } from '../../src/core/errors.js';
import { createHttpClient, HttpError, retryAfterMs } from '../../src/core/http.js';

// A whole second, so an HTTP date (second resolution) names an exact offset from it.
const NOW = Date.parse('2026-03-01T12:00:00Z');

function fakeClock(): Clock & { sleeps: number[] } {
  let now = NOW;
  const sleeps: number[] = [];
  return { sleeps, now: () => now, sleep: async (ms) => void (sleeps.push(ms), (now += ms)) };
}

type Reply = { status: number; headers?: Record<string, string>; body?: string };

/** A vendor API double that answers from a script of replies, recording each request. */
let server: Server;
let baseUrl: string;
let replies: Reply[] = [];
let requests: { method: string; url: string; body: string; auth?: string }[] = [];

beforeAll(async () => {
  server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      requests.push({ method: req.method!, url: req.url!, body, auth: req.headers.authorization });
      const reply = replies.shift() ?? { status: 200, body: '{"ok":true}' };
      res.writeHead(reply.status, reply.headers).end(reply.body ?? '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  baseUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
beforeEach(() => {
  replies = [];
  requests = [];
});

describe('createHttpClient', () => {
  it('returns a 2xx response with its body, headers and JSON, sending method, headers and body', async () => {
    replies = [{ status: 201, headers: { 'content-type': 'application/json', 'x-request-id': 'abc' }, body: '{"id":"dep_1"}' }];
    const http = createHttpClient({ clock: fakeClock() });
    const response = await http.request({
      method: 'POST',
      url: `${baseUrl}/v13/deployments`,
      headers: { authorization: 'Bearer t' },
      body: '{"name":"app"}',
    });
    expect(response.status).toBe(201);
    expect(response.json()).toEqual({ id: 'dep_1' });
    expect(response.headers.get('x-request-id')).toBe('abc');
    expect(requests).toEqual([{ method: 'POST', url: '/v13/deployments', body: '{"name":"app"}', auth: 'Bearer t' }]);
  });

  it.each<[string, Reply, number]>([
    ['429 with Retry-After seconds', { status: 429, headers: { 'retry-after': '7' } }, 7000],
    ['429 with Retry-After as an HTTP date', { status: 429, headers: { 'retry-after': new Date(NOW + 12_000).toUTCString() } }, 12_000],
    ['429 with Retry-After in the past', { status: 429, headers: { 'retry-after': new Date(NOW - 5000).toUTCString() } }, 0],
    ['429 without Retry-After', { status: 429 }, 1000],
    ['503', { status: 503, body: 'maintenance' }, 1000],
    ['502', { status: 502 }, 1000],
    ['504', { status: 504 }, 1000],
    ['a Retry-After longer than the cap', { status: 429, headers: { 'retry-after': '86400' } }, 60_000],
  ])('retries %s after the wait the server asks for', async (_name, reply, waitMs) => {
    replies = [reply, { status: 200, body: 'done' }];
    const clock = fakeClock();
    const retries: string[] = [];
    const response = await createHttpClient({ clock, onRetry: (m) => retries.push(m) }).request({ url: `${baseUrl}/x` });
    expect(response.body).toBe('done');
    expect(requests).toHaveLength(2);
    expect(clock.sleeps).toEqual([waitMs]);
    expect(retries).toEqual([`GET ${baseUrl}/x returned ${reply.status}; retrying in ${waitMs} ms`]);
  });

  it('backs off exponentially without Retry-After, and gives up after `retries` with the last error', async () => {
    replies = Array.from({ length: 10 }, () => ({ status: 503, body: 'still down' }));
    const clock = fakeClock();
    const error = await createHttpClient({ clock, retries: 3 })
      .request({ url: `${baseUrl}/status` })
      .catch((e: unknown) => e);
    expect(requests).toHaveLength(4);
    expect(clock.sleeps).toEqual([1000, 2000, 4000]);
    expect(error).toBeInstanceOf(HttpError);
    expect(error).toMatchObject({ status: 503, body: 'still down' });
  });

  it.each([[400], [401], [403], [404], [409], [422], [500]])('throws HttpError at once on %d, keeping the vendor body', async (status) => {
    const body = JSON.stringify({ error: { code: 'forbidden', message: 'Not authorized' } });
    replies = [{ status, body }];
    const clock = fakeClock();
    const error = (await createHttpClient({ clock })
      .request({ method: 'DELETE', url: `${baseUrl}/v1/things/1` })
      .catch((e: unknown) => e)) as HttpError;
    expect(error).toBeInstanceOf(HttpError);
    expect(error).toBeInstanceOf(OperationalError);
    expect(error.status).toBe(status);
    expect(error.body).toBe(body);
    expect(error.request).toEqual({ method: 'DELETE', url: `${baseUrl}/v1/things/1` });
    expect(error.message).toBe(`DELETE ${baseUrl}/v1/things/1 returned ${status}: ${body}`);
    expect(requests).toHaveLength(1);
    expect(clock.sleeps).toEqual([]);
  });

  it('does not follow redirects: a 3xx is returned to the caller', async () => {
    replies = [{ status: 302, headers: { location: 'http://127.0.0.1:9/elsewhere' } }];
    const response = await createHttpClient({ clock: fakeClock() }).request({ url: `${baseUrl}/r` });
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe('http://127.0.0.1:9/elsewhere');
  });

  it('redacts tokens in the URL from error and retry messages, keeping the rest of the query', async () => {
    replies = [
      { status: 429, headers: { 'retry-after': '1' } },
      { status: 404, body: 'no such site' },
    ];
    const retries: string[] = [];
    const url = `${baseUrl}/sites?access_token=s3cr3t-a&page=2&token=s3cr3t-b&KEY=s3cr3t-c`;
    const error = (await createHttpClient({ clock: fakeClock(), onRetry: (m) => retries.push(m) })
      .request({ url })
      .catch((e: unknown) => e)) as HttpError;
    for (const text of [error.message, ...retries]) {
      expect(text).not.toMatch(/s3cr3t/);
      expect(text).toContain(`${baseUrl}/sites?access_token=***&page=2&token=***&KEY=***`);
    }
  });

  it('retries a refused connection, then fails naming the request', async () => {
    const port = await freePort(); // nothing listens there
    const clock = fakeClock();
    const error = (await createHttpClient({ clock, retries: 2 })
      .request({ url: `http://127.0.0.1:${port}/x?token=abc` })
      .catch((e: unknown) => e)) as Error;
    expect(error).toBeInstanceOf(OperationalError);
    expect(error.message).toBe(`GET http://127.0.0.1:${port}/x?token=*** failed: fetch failed`);
    expect(clock.sleeps).toEqual([1000, 2000]);
  });

  it('does not retry a request fetch refuses to build (a header value with a newline), and redacts the value it quotes', async () => {
    const clock = fakeClock();
    const error = (await createHttpClient({ clock, redact: (t) => t.replaceAll('tok\nen', '***') })
      .request({ url: `${baseUrl}/x`, headers: { authorization: 'Bearer tok\nen' } })
      .catch((e: unknown) => e)) as Error;
    expect(error).toBeInstanceOf(OperationalError);
    expect(error.message).toContain('invalid header value');
    expect(error.message).not.toContain('tok\nen');
    expect(clock.sleeps).toEqual([]);
  });
});

describe('retryAfterMs', () => {
  it.each<[string | null, number | undefined]>([
    [null, undefined],
    ['', undefined],
    ['0', 0],
    [' 30 ', 30_000],
    [new Date(NOW + 90_000).toUTCString(), 90_000],
    ['soon', undefined],
  ])('%j → %s ms', (header, ms) => {
    expect(retryAfterMs(header, NOW)).toBe(ms);
  });
});

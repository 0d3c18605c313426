import { describe, expect, it } from 'vitest';

import { systemClock } from '../../src/core/clock.js';
import { ConfigurationError } from '../../src/core/errors.js';
import { parseInputs } from '../../src/core/inputs.js';
import { planProbes, skippedPresets, smokeAction, type SmokeInputs } from '../../src/smoke/action.js';
import { evaluateHttp, parseChecks, shorthandCheck } from '../../src/smoke/checks.js';
import {
  describeStatus,
  evaluateHeader,
  evaluateJson,
  parseHeaderExpectation,
  parseJsonExpectation,
  parseStatusSpec,
} from '../../src/smoke/expect.js';
import { corsProblems, findsVersion, securityHeaderProblems } from '../../src/smoke/probes.js';
import { endpoint, type SmokeResponse } from '../../src/smoke/request.js';
import { evaluateCertificate } from '../../src/smoke/tls.js';

const response = (status: number, body = '', headers: Record<string, string> = {}, latencyMs = 10): SmokeResponse => ({
  status,
  body,
  headers,
  latencyMs,
});

describe('expect-status', () => {
  it.each([
    ['200', [[200, 200]]],
    [
      '200,204',
      [
        [200, 200],
        [204, 204],
      ],
    ],
    ['2xx', [[200, 299]]],
    ['200-299', [[200, 299]]],
    [
      '2xx, 301',
      [
        [200, 299],
        [301, 301],
      ],
    ],
    [
      [200, '3xx'],
      [
        [200, 200],
        [300, 399],
      ],
    ],
    [404, [[404, 404]]],
  ] as const)('%j → %j', (spec, ranges) => {
    expect(parseStatusSpec(spec)).toEqual(ranges);
  });

  it.each(['ok', '600', '299-200', '2xxx', ''])('rejects %j', (spec) => {
    expect(parseStatusSpec(spec)).toBeUndefined();
  });

  it('describes ranges the way users write them', () => {
    expect(
      describeStatus([
        [200, 299],
        [301, 302],
        [404, 404],
      ]),
    ).toBe('2xx, 301-302, 404');
  });
});

describe('expect-json', () => {
  const body = JSON.stringify({ status: 'ok', count: 3, ready: true, items: [{ id: 'a' }], 'x-y': { z: null } });
  it.each([
    ['$.status = ok', undefined],
    ['$.status = "ok"', undefined],
    ['$.count = 3', undefined],
    ['$.count = "3"', undefined],
    ['$.ready = true', undefined],
    ['$.items[0].id = a', undefined],
    ['$["x-y"].z = null', undefined],
    ['$.items', undefined],
    ['$.status = down', '$.status = down: got "ok"'],
    ['$.missing', '$.missing: the path does not exist'],
    ['$.items[3].id = a', '$.items[3].id = a: the path does not exist'],
  ])('%s', (text, reason) => {
    const expectation = parseJsonExpectation(text);
    expect(expectation).toBeDefined();
    expect(evaluateJson(body, expectation!)).toBe(reason);
  });

  it('says when the body is not JSON', () => {
    expect(evaluateJson('<html>', parseJsonExpectation('$.a = 1')!)).toMatch(/not JSON/);
  });

  it.each(['status = ok', '$..a', '$.a b = 1'])('rejects %j', (text) => {
    expect(parseJsonExpectation(text)).toBeUndefined();
  });
});

describe('expect-header', () => {
  const headers = { 'x-content-type-options': 'nosniff', 'cache-control': 'no-store, max-age=0' };
  it.each([
    ['X-Content-Type-Options: nosniff', undefined],
    ['x-content-type-options', undefined],
    ['Cache-Control: NO-STORE', undefined],
    ['Cache-Control: /max-age=\\d+/', undefined],
    ['X-Frame-Options', 'header x-frame-options is missing'],
    ['Cache-Control: public', 'header cache-control is "no-store, max-age=0", expected "public"'],
  ])('%s', (text, reason) => {
    expect(evaluateHeader(headers, parseHeaderExpectation(text)!)).toBe(reason);
  });
});

describe('checks input', () => {
  it('parses a YAML list with every field and bare URLs', () => {
    const [full, bare] = parseChecks(`
- name: api
  url: https://api.example.com/health
  method: post
  headers: { Authorization: Bearer x, X-Count: 2 }
  body: { ping: true }
  expect-status: [200, 204]
  expect-body: /ok|ready/
  expect-json: $.status = ok
  expect-header: [ "X-Release" ]
  max-latency-ms: 800
- https://example.com/
`);
    expect(full).toMatchObject({
      name: 'api',
      method: 'POST',
      body: '{"ping":true}',
      status: [
        [200, 200],
        [204, 204],
      ],
      maxLatencyMs: 800,
    });
    expect(full!.headers).toEqual({ Authorization: 'Bearer x', 'X-Count': '2', 'content-type': 'application/json' });
    expect(bare).toMatchObject({ name: 'GET https://example.com/', method: 'GET', status: [[200, 299]] });
  });

  it.each([
    ['url: https://x', 'expected a YAML list'],
    ['- url: ftp://x', 'item 1 url: expected an http:// or https:// URL'],
    ['- url: https://x\n  expect-status: ok', 'item 1 expect-status'],
    ['- url: https://x\n  expect-json: status = ok', 'item 1 expect-json'],
    ['- url: https://x\n  expect-body: /(/', 'item 1 expect-body'],
    ['- url: https://x\n  expected-status: 200', 'item 1'],
    ['- url: https://x\n  max-latency-ms: fast', 'item 1 max-latency-ms'],
    ['- [', 'not valid YAML'],
  ])('rejects %j naming the input and item', (yamlText, message) => {
    expect(() => parseChecks(yamlText)).toThrow(ConfigurationError);
    expect(() => parseChecks(yamlText)).toThrow(message);
  });

  it.each([
    ['', [[200, 299]], []],
    ['200', [[200, 200]], []],
    ['2xx ready', [[200, 299]], ['"ready"']],
    ['ok', [[200, 299]], ['"ok"']],
    ['302 /login/', [[302, 302]], ['/login/']],
  ])('shorthand expect %j', (text, status, bodies) => {
    const check = shorthandCheck('https://example.com/health', text);
    expect(check.status).toEqual(status);
    expect(check.bodyMatchers.map((m) => m.source)).toEqual(bodies);
  });
});

describe('evaluating a response', () => {
  const [check] = parseChecks('- url: https://x/\n  expect-body: ok\n  max-latency-ms: 100');
  it.each([
    [response(200, 'ok'), undefined],
    [response(503, 'down'), 'HTTP 503, expected 2xx: down'],
    [
      response(302, '', { location: '/login' }),
      'HTTP 302 redirect to /login; a redirect is not a pass unless expect-status names it (expected 2xx)',
    ],
    [response(200, 'nope'), 'HTTP 200 but the body lacks "ok": nope'],
    [response(200, 'ok', {}, 250), 'answered in 250 ms, more than max-latency-ms 100'],
  ])('%j', (res, reason) => {
    expect(evaluateHttp(check!, res)).toBe(reason);
  });
});

describe('presets', () => {
  const secure = {
    'strict-transport-security': 'max-age=63072000',
    'content-security-policy': "default-src 'self'; frame-ancestors 'none'",
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'strict-origin',
  };
  it('security headers: all present passes; X-Frame-Options stands in for frame-ancestors; HSTS only on https', () => {
    expect(securityHeaderProblems(new URL('https://x/'), secure)).toEqual([]);
    const { 'strict-transport-security': _hsts, ...noHsts } = secure;
    expect(securityHeaderProblems(new URL('http://x/'), noHsts)).toEqual([]);
    expect(securityHeaderProblems(new URL('https://x/'), noHsts)).toEqual(['Strict-Transport-Security missing']);
    const noAncestors = { ...secure, 'content-security-policy': "default-src 'self'" };
    expect(securityHeaderProblems(new URL('https://x/'), noAncestors)).toEqual([
      'neither CSP frame-ancestors nor X-Frame-Options DENY/SAMEORIGIN',
    ]);
    expect(securityHeaderProblems(new URL('https://x/'), { ...noAncestors, 'x-frame-options': 'sameorigin' })).toEqual([]);
  });

  const cors = { origin: 'https://app.example.com', method: 'PUT', requestHeaders: ['Content-Type'], credentials: true };
  const allowed = {
    'access-control-allow-origin': 'https://app.example.com',
    'access-control-allow-methods': 'GET, PUT',
    'access-control-allow-headers': 'content-type, authorization',
    'access-control-allow-credentials': 'true',
  };
  it.each([
    [response(204, '', allowed), []],
    [response(403), ['preflight answered HTTP 403']],
    [
      response(204, '', { ...allowed, 'access-control-allow-origin': 'https://other.example.com' }),
      ['Access-Control-Allow-Origin is "https://other.example.com", not https://app.example.com'],
    ],
    [response(204, '', { ...allowed, 'access-control-allow-methods': 'GET' }), ['Access-Control-Allow-Methods "GET" does not include PUT']],
    [response(204, '', { ...allowed, 'access-control-allow-headers': '' }), ['Access-Control-Allow-Headers does not include Content-Type']],
    [response(204, '', { ...allowed, 'access-control-allow-credentials': 'false' }), ['Access-Control-Allow-Credentials is not "true"']],
  ])('cors %#', (res, problems) => {
    expect(corsProblems(res, cors)).toEqual(problems);
  });

  it('cors without credentials accepts wildcards', () => {
    const wildcard = response(204, '', {
      'access-control-allow-origin': '*',
      'access-control-allow-methods': '*',
      'access-control-allow-headers': '*',
    });
    expect(corsProblems(wildcard, { ...cors, credentials: false })).toEqual([]);
    expect(corsProblems(wildcard, cors)).toContain('Access-Control-Allow-Origin is "*", which browsers refuse with credentials');
  });

  const now = Date.parse('2026-11-24T12:00:00Z');
  it.each([
    [{ validTo: new Date('2027-11-24T00:00:00Z') }, 14, undefined],
    [{ validTo: new Date('2026-11-29T13:00:00Z') }, 14, 'certificate expires in 5 days (2026-11-29), less than tls-min-days 14'],
    [{ validTo: new Date('2026-11-20T00:00:00Z'), chainError: 'CERT_HAS_EXPIRED' }, 14, 'certificate expired on 2026-11-20'],
    [
      { validTo: new Date('2027-11-24T00:00:00Z'), chainError: 'DEPTH_ZERO_SELF_SIGNED_CERT' },
      14,
      'certificate is not trusted: DEPTH_ZERO_SELF_SIGNED_CERT',
    ],
    [
      { validTo: new Date('2027-11-24T00:00:00Z'), hostError: "Host: a. is not in the cert's altnames" },
      14,
      "certificate does not cover the host: Host: a. is not in the cert's altnames",
    ],
  ])('tls %#', (facts, minDays, reason) => {
    expect(evaluateCertificate({ subject: 'a', issuer: 'b', ...facts }, minDays, now)).toBe(reason);
  });

  const sha = 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678';
  it.each([
    [response(200, `{"version":"${sha}"}`), true],
    [response(200, '{"version":"a1b2c3d"}'), true],
    [response(200, 'ok', { 'x-version': 'a1b2c3d4e5' }), true],
    [response(200, '{"version":"ffa1b2c3d4"}'), false],
    [response(200, '{"version":"0123456"}'), false],
  ])('version %#', (res, found) => {
    expect(findsVersion(res, sha)).toBe(found);
  });
});

describe('routing', () => {
  it.each([
    [
      'https://shop.example.com/health?x=1',
      {},
      { address: 'shop.example.com', port: 443, host: 'shop.example.com', servername: 'shop.example.com', path: '/health?x=1' },
    ],
    [
      'https://shop.example.com:8443/',
      { resolve: '10.0.0.5' },
      { address: '10.0.0.5', port: 8443, host: 'shop.example.com:8443', servername: 'shop.example.com' },
    ],
    [
      'https://10.0.0.5/',
      { hostHeader: 'shop.example.com' },
      { address: '10.0.0.5', port: 443, host: 'shop.example.com', servername: 'shop.example.com' },
    ],
    [
      'http://10.0.0.5:8080/',
      { hostHeader: 'shop.example.com' },
      { address: '10.0.0.5', port: 8080, host: 'shop.example.com', servername: undefined },
    ],
    ['https://10.0.0.5/', {}, { address: '10.0.0.5', host: '10.0.0.5', servername: undefined }],
  ])('%s %j', (url, routing, expected) => {
    expect(endpoint(new URL(url), routing)).toMatchObject(expected);
  });
});

describe('inputs', () => {
  const raw = (values: Record<string, string>) => {
    const all: Record<string, string> = {};
    for (const name of Object.keys(smokeAction.schema.shape)) all[name] = values[name] ?? '';
    return parseInputs(smokeAction.schema, all) as SmokeInputs;
  };
  const masked: string[] = [];
  const logger = {
    info() {},
    warning() {},
    error() {},
    debug() {},
    mask: (v: string) => masked.push(v),
    group: <T>(_n: string, fn: () => Promise<T>) => fn(),
  };
  const ctx = { env: { sha: '' } as never, clock: systemClock, logger };
  it.each([
    [{}, 'input "url" or "checks"'],
    [{ expect: '200' }, 'input "expect": it applies to "url"'],
    [{ url: 'https://x/', presets: 'speed' }, 'unknown preset "speed"; known: security-headers, cors, tls, version'],
    [{ url: 'https://x/', presets: 'cors' }, 'input "origin"'],
    [{ url: 'http://x/', presets: 'tls' }, 'tls needs an https:// url'],
    [{ url: 'https://x/', presets: 'version', 'version-url': 'https://x/health' }, 'input "expect-version"'],
    [{ presets: 'version' }, 'the version preset runs only with "version-url"'],
    [{ url: 'https://x/', resolve: 'shop.example.com' }, 'input "resolve": expected an IP address'],
    [{ url: 'https://x/', 'ca-cert': 'nope' }, 'input "ca-cert"'],
  ])('%j fails before any request', (values, message) => {
    expect(() => planProbes(raw(values), ctx)).toThrow(message);
  });

  it.each([
    [{ url: 'x' }, 'input "url": expected an http:// or https:// URL'],
    [{ origin: 'https://app.example.com/path' }, 'input "origin"'],
    [{ 'tls-min-days': '-1' }, 'input "tls-min-days"'],
    [{ 'expect-version': 'main' }, 'input "expect-version"'],
    [{ 'host-header': 'a b' }, 'input "host-header"'],
  ])('schema rejects %j', (values, message) => {
    expect(() => raw(values)).toThrow(message);
  });

  it('masks credentials written into checks: auth headers, cookies, URL passwords', () => {
    const [probe] = planProbes(
      raw({
        checks:
          '- url: https://ops:pa55word@x/admin\n  headers: { Authorization: Bearer tok-123456789, Cookie: session=abcdef, Accept: text/html }',
      }),
      ctx,
    );
    expect(probe).toMatchObject({ name: 'GET https://x/admin', url: 'https://x/admin' });
    expect(masked).toEqual(expect.arrayContaining(['Bearer tok-123456789', 'tok-123456789', 'session=abcdef', 'pa55word']));
    expect(masked).not.toContain('text/html');
  });

  it('plans checks first, then each preset once', () => {
    const probes = planProbes(
      raw({
        url: 'https://x/',
        checks: '- https://x/a',
        presets: 'tls,security-headers,tls,version',
        'expect-version': 'abcdef1',
        'version-url': 'https://x/health',
      }),
      ctx,
    );
    expect(probes.map((p) => p.kind)).toEqual(['http', 'http', 'tls', 'security-headers', 'version']);
  });

  it('skips the version preset without version-url, and says so', () => {
    const inputs = raw({ url: 'https://x/', presets: 'version,security-headers', 'expect-version': 'abcdef1' });
    expect(planProbes(inputs, ctx).map((p) => p.kind)).toEqual(['http', 'security-headers']);
    expect(skippedPresets(inputs)).toEqual([{ name: 'version', reason: expect.stringContaining('no "version-url"') as string }]);
    expect(skippedPresets(raw({ url: 'https://x/', presets: 'version', 'version-url': 'https://x/health' }))).toEqual([]);
  });
});

import { parse as parseYaml } from 'yaml';
import { z } from 'zod';

import { ConfigurationError } from '../core/errors.js';
import {
  DEFAULT_STATUS,
  describeStatus,
  evaluateHeader,
  evaluateJson,
  type HeaderExpectation,
  type JsonExpectation,
  parseHeaderExpectation,
  parseJsonExpectation,
  parseStatusSpec,
  parseTextMatcher,
  statusMatches,
  type StatusRange,
  type TextMatcher,
} from './expect.js';
import type { SmokeResponse } from './request.js';

/** One HTTP check, parsed and validated; evaluated against each response. */
export interface HttpCheck {
  name: string;
  url: URL;
  method: string;
  headers: Record<string, string>;
  body?: string;
  status: readonly StatusRange[];
  bodyMatchers: TextMatcher[];
  json: JsonExpectation[];
  expectHeaders: HeaderExpectation[];
  maxLatencyMs?: number;
}

const oneOrMany = z.union([z.string(), z.array(z.string())]).transform((v) => (Array.isArray(v) ? v : [v]));

const checkEntry = z.strictObject({
  name: z.string().optional(),
  url: z.string(),
  method: z
    .string()
    .regex(/^[A-Za-z]+$/, 'expected an HTTP method such as GET')
    .optional(),
  headers: z.record(z.string(), z.union([z.string(), z.number()]).transform(String)).optional(),
  body: z.union([z.string(), z.record(z.string(), z.unknown()), z.array(z.unknown())]).optional(),
  'expect-status': z.union([z.string(), z.number(), z.array(z.union([z.string(), z.number()]))]).optional(),
  'expect-body': oneOrMany.optional(),
  'expect-json': oneOrMany.optional(),
  'expect-header': oneOrMany.optional(),
  'max-latency-ms': z.number().int().positive().optional(),
});

type CheckEntry = z.output<typeof checkEntry>;

function parseUrl(value: string, where: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigurationError(`${where}: expected an http:// or https:// URL, got ${JSON.stringify(value)}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new ConfigurationError(`${where}: expected an http:// or https:// URL, got ${JSON.stringify(value)}`);
  return url;
}

/** The URL as shown in names, logs and the report: without user and password. */
export function displayUrl(url: URL): string {
  if (!url.username && !url.password) return url.href;
  const copy = new URL(url.href);
  copy.username = '';
  copy.password = '';
  return copy.href;
}

function fromEntry(entry: CheckEntry, where: string): HttpCheck {
  const url = parseUrl(entry.url, `${where} url`);
  const method = (entry.method ?? 'GET').toUpperCase();
  let status = DEFAULT_STATUS;
  if (entry['expect-status'] !== undefined) {
    const parsed = parseStatusSpec(entry['expect-status']);
    if (!parsed)
      throw new ConfigurationError(
        `${where} expect-status: expected a code (200), a list (200, 204), or a range (2xx, 200-299), got ${JSON.stringify(entry['expect-status'])}`,
      );
    status = parsed;
  }
  const bodyMatchers = (entry['expect-body'] ?? []).map((text) => {
    const matcher = parseTextMatcher(text);
    if (!matcher) throw new ConfigurationError(`${where} expect-body: ${JSON.stringify(text)} is not a valid /regular expression/`);
    return matcher;
  });
  const json = (entry['expect-json'] ?? []).map((text) => {
    const expectation = parseJsonExpectation(text);
    if (!expectation)
      throw new ConfigurationError(`${where} expect-json: expected "$.path = value" or "$.path", got ${JSON.stringify(text)}`);
    return expectation;
  });
  const expectHeaders = (entry['expect-header'] ?? []).map((text) => {
    const expectation = parseHeaderExpectation(text);
    if (!expectation) throw new ConfigurationError(`${where} expect-header: expected "Name: value" or "Name", got ${JSON.stringify(text)}`);
    return expectation;
  });
  const headers = { ...(entry.headers ?? {}) };
  let body: string | undefined;
  if (typeof entry.body === 'string') body = entry.body;
  else if (entry.body !== undefined) {
    body = JSON.stringify(entry.body);
    if (!Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) headers['content-type'] = 'application/json';
  }
  return {
    name: entry.name ?? `${method} ${displayUrl(url)}`,
    url,
    method,
    headers,
    body,
    status,
    bodyMatchers,
    json,
    expectHeaders,
    maxLatencyMs: entry['max-latency-ms'],
  };
}

/** The `checks` input: a YAML list of check objects (or bare URLs). */
export function parseChecks(yamlText: string): HttpCheck[] {
  let data: unknown;
  try {
    data = parseYaml(yamlText);
  } catch (error) {
    throw new ConfigurationError(`input "checks": not valid YAML: ${(error as Error).message}`);
  }
  if (data === null || data === undefined) return [];
  if (!Array.isArray(data)) throw new ConfigurationError('input "checks": expected a YAML list of checks (- url: https://...)');
  return data.map((item, index) => {
    const where = `input "checks" item ${index + 1}`;
    const entry = checkEntry.safeParse(typeof item === 'string' ? { url: item } : item);
    if (!entry.success) {
      const issue = entry.error.issues[0]!;
      const field = issue.path.length > 0 ? ` ${issue.path.join('.')}` : '';
      throw new ConfigurationError(`${where}${field}: ${issue.message}`);
    }
    return fromEntry(entry.data, where);
  });
}

/** The `url` + `expect` shorthand: expect is a status spec, a body text, or both (`200 ok`, `2xx /ready/`). */
export function shorthandCheck(url: string, expect: string): HttpCheck {
  const [first = ''] = expect.trim().split(/\s+/);
  const status = first === '' ? undefined : parseStatusSpec(first);
  const bodyText = status ? expect.trim().slice(first.length).trim() : expect.trim();
  return fromEntry(
    { url, 'expect-status': status ? first : undefined, 'expect-body': bodyText ? [bodyText] : undefined },
    'input "url"/"expect":',
  );
}

/** Why a response does not satisfy the check, or undefined when it does. */
export function evaluateHttp(check: HttpCheck, response: SmokeResponse): string | undefined {
  if (!statusMatches(response.status, check.status)) {
    if (response.status >= 300 && response.status < 400) {
      const to = response.headers.location ? ` to ${response.headers.location}` : '';
      return `HTTP ${response.status} redirect${to}; a redirect is not a pass unless expect-status names it (expected ${describeStatus(check.status)})`;
    }
    return `HTTP ${response.status}, expected ${describeStatus(check.status)}${response.body ? `: ${response.body.slice(0, 200).trim()}` : ''}`;
  }
  for (const matcher of check.bodyMatchers)
    if (!matcher.test(response.body))
      return `HTTP ${response.status} but the body lacks ${matcher.source}: ${response.body.slice(0, 200).trim()}`;
  for (const expectation of check.json) {
    const reason = evaluateJson(response.body, expectation);
    if (reason) return reason;
  }
  for (const expectation of check.expectHeaders) {
    const reason = evaluateHeader(response.headers, expectation);
    if (reason) return reason;
  }
  if (check.maxLatencyMs !== undefined && response.latencyMs > check.maxLatencyMs)
    return `answered in ${response.latencyMs} ms, more than max-latency-ms ${check.maxLatencyMs}`;
  return undefined;
}

import { errorMessage } from './errors.js';
import { getWithHost, type HealthRouting, routingHeaders } from './health-host.js';
import type { Attempt } from './retry.js';
import { splitUrlCredentials } from './url-credentials.js';

/** What a health check expects: a status code and/or a text in the body (`200`, `ok`, `200 ok`). */
export interface HealthExpectation {
  status?: number;
  body?: string;
}

export function parseHealthExpect(value: string): HealthExpectation {
  const match = /^([1-5]\d\d)(?:\s+(.*))?$/s.exec(value.trim());
  if (match) return { status: Number(match[1]), body: match[2]?.trim() || undefined };
  return value.trim() === '' ? {} : { body: value.trim() };
}

export function describeExpectation(expect: HealthExpectation): string {
  const parts = [expect.status ? `status ${expect.status}` : 'a 2xx status'];
  if (expect.body) parts.push(`body containing ${JSON.stringify(expect.body)}`);
  return parts.join(' and ');
}

/**
 * One GET; a redirect is not healthy unless the expectation names that status. Credentials in the URL
 * go as Basic auth; `routing` sets the Host header (and TLS server name) and X-Forwarded-Proto.
 */
export async function checkHttp(
  url: string,
  expect: HealthExpectation,
  timeoutMs = 10_000,
  routing: HealthRouting = {},
): Promise<Attempt<string>> {
  const target = splitUrlCredentials(url);
  const headers = { ...(target.authorization ? { authorization: target.authorization } : {}), ...routingHeaders(routing) };
  if (routing.host) {
    try {
      const response = await getWithHost(target.url, headers, routing.host, timeoutMs);
      return judgeResponse(response.status, response.body, expect);
    } catch (error) {
      return { done: false, reason: errorMessage(error) };
    }
  }
  let response: Response;
  try {
    response = await fetch(target.url, { headers, redirect: 'manual', signal: AbortSignal.timeout(timeoutMs) });
  } catch (error) {
    // fetch says only "fetch failed"; the cause says why (ECONNREFUSED, a DNS or TLS error).
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    return { done: false, reason: `${errorMessage(error)}${cause ? `: ${cause.code ?? cause.message}` : ''}` };
  }
  return judgeResponse(response.status, await response.text(), expect);
}

/** Whether a status and body meet the expectation; shared by the runner-side and host-side checks. */
export function judgeResponse(status: number, body: string, expect: HealthExpectation): Attempt<string> {
  const statusOk = expect.status ? status === expect.status : status >= 200 && status < 300;
  if (!statusOk) return { done: false, reason: `HTTP ${status}${body ? `: ${body.slice(0, 200)}` : ''}` };
  if (expect.body && !body.includes(expect.body))
    return { done: false, reason: `HTTP ${status} but the body lacks ${JSON.stringify(expect.body)}: ${body.slice(0, 200)}` };
  return { done: true, value: `HTTP ${status}` };
}

import type { Clock } from '../core/clock.js';
import { displayUrl, evaluateHttp, type HttpCheck } from './checks.js';
import { endpoint, type Routing, send, type SmokeResponse } from './request.js';
import { evaluateCertificate, inspectCertificate } from './tls.js';

/** What one attempt saw: enough for the report's status and latency columns. */
export interface Observation {
  status?: number;
  latencyMs?: number;
  /** Why the attempt did not pass; undefined when it did. */
  failure?: string;
  /** What a passing attempt found (certificate expiry, version), for the report. */
  note?: string;
  /** Findings reported as a warning without failing or retrying (security headers without strict). */
  warning?: string;
}

/** One thing to verify, retried to the deadline by the runner. */
export interface Probe {
  name: string;
  kind: 'http' | 'security-headers' | 'cors' | 'tls' | 'version';
  url: string;
  attempt(timeoutMs: number): Promise<Observation>;
}

function observe(response: SmokeResponse, failure: string | undefined, note?: string): Observation {
  return { status: response.status, latencyMs: response.latencyMs, failure, note };
}

export function httpProbe(check: HttpCheck, routing: Routing): Probe {
  return {
    name: check.name,
    kind: 'http',
    url: displayUrl(check.url),
    async attempt(timeoutMs) {
      const response = await send({ url: check.url, method: check.method, headers: check.headers, body: check.body, timeoutMs }, routing);
      return observe(response, evaluateHttp(check, response));
    },
  };
}

function redirectOrStatus(response: SmokeResponse): string | undefined {
  if (response.status >= 200 && response.status < 300) return undefined;
  if (response.status >= 300 && response.status < 400)
    return `HTTP ${response.status} redirect to ${response.headers.location ?? '(no Location)'}; point the check at the final URL`;
  return `HTTP ${response.status}`;
}

/** The headers the seeds' apps set; HSTS only counts over https (browsers ignore it on http). */
export function securityHeaderProblems(url: URL, headers: Record<string, string>): string[] {
  const problems: string[] = [];
  if (url.protocol === 'https:' && !headers['strict-transport-security']) problems.push('Strict-Transport-Security missing');
  const csp = headers['content-security-policy'];
  if (!csp) problems.push('Content-Security-Policy missing');
  const nosniff = headers['x-content-type-options'];
  if (nosniff?.trim().toLowerCase() !== 'nosniff')
    problems.push(nosniff ? `X-Content-Type-Options is ${JSON.stringify(nosniff)}, expected nosniff` : 'X-Content-Type-Options missing');
  const frameOptions = headers['x-frame-options']?.trim().toUpperCase();
  const frameAncestors = csp ? /(?:^|;)\s*frame-ancestors\s/i.test(csp) : false;
  if (!frameAncestors && frameOptions !== 'DENY' && frameOptions !== 'SAMEORIGIN')
    problems.push('neither CSP frame-ancestors nor X-Frame-Options DENY/SAMEORIGIN');
  if (!headers['referrer-policy']) problems.push('Referrer-Policy missing');
  return problems;
}

/** Missing headers fail the check only with `strict`; otherwise they are reported as a warning. A bad status always fails. */
export function securityHeadersProbe(url: URL, routing: Routing, strict = false): Probe {
  return {
    name: 'security headers',
    kind: 'security-headers',
    url: displayUrl(url),
    async attempt(timeoutMs) {
      const response = await send({ url, method: 'GET', headers: {}, timeoutMs }, routing);
      const status = redirectOrStatus(response);
      const findings = securityHeaderProblems(url, response.headers).join('; ') || undefined;
      if (status || strict) return observe(response, status ?? findings);
      return { ...observe(response, undefined), warning: findings };
    },
  };
}

export interface CorsOptions {
  origin: string;
  method: string;
  requestHeaders: string[];
  credentials: boolean;
}

/** Why a preflight answer does not allow the request a browser at `origin` would make. */
export function corsProblems(response: SmokeResponse, options: CorsOptions): string[] {
  const h = response.headers;
  if (response.status < 200 || response.status >= 300) return [`preflight answered HTTP ${response.status}`];
  const problems: string[] = [];
  const allowOrigin = h['access-control-allow-origin'];
  if (!allowOrigin) problems.push('no Access-Control-Allow-Origin');
  else if (allowOrigin === '*' && options.credentials)
    problems.push('Access-Control-Allow-Origin is "*", which browsers refuse with credentials');
  else if (allowOrigin !== '*' && allowOrigin !== options.origin)
    problems.push(`Access-Control-Allow-Origin is ${JSON.stringify(allowOrigin)}, not ${options.origin}`);
  const methods = (h['access-control-allow-methods'] ?? '').split(',').map((m) => m.trim().toUpperCase());
  const simple = ['GET', 'HEAD', 'POST'].includes(options.method);
  const methodOk =
    methods.includes(options.method) || (methods.includes('*') && !options.credentials) || (simple && !h['access-control-allow-methods']);
  if (!methodOk)
    problems.push(
      `Access-Control-Allow-Methods ${JSON.stringify(h['access-control-allow-methods'] ?? '')} does not include ${options.method}`,
    );
  const allowedHeaders = (h['access-control-allow-headers'] ?? '').split(',').map((m) => m.trim().toLowerCase());
  for (const header of options.requestHeaders) {
    if (!allowedHeaders.includes(header.toLowerCase()) && !(allowedHeaders.includes('*') && !options.credentials))
      problems.push(`Access-Control-Allow-Headers does not include ${header}`);
  }
  if (options.credentials && h['access-control-allow-credentials'] !== 'true')
    problems.push('Access-Control-Allow-Credentials is not "true"');
  return problems;
}

export function corsProbe(url: URL, options: CorsOptions, routing: Routing): Probe {
  return {
    name: `CORS preflight from ${options.origin}`,
    kind: 'cors',
    url: displayUrl(url),
    async attempt(timeoutMs) {
      const headers: Record<string, string> = { origin: options.origin, 'access-control-request-method': options.method };
      if (options.requestHeaders.length > 0) headers['access-control-request-headers'] = options.requestHeaders.join(', ').toLowerCase();
      const response = await send({ url, method: 'OPTIONS', headers, timeoutMs }, routing);
      return observe(response, corsProblems(response, options).join('; ') || undefined);
    },
  };
}

export function tlsProbe(url: URL, minDays: number, routing: Routing, clock: Clock): Probe {
  return {
    name: `TLS certificate (≥ ${minDays} days)`,
    kind: 'tls',
    url: displayUrl(url),
    async attempt(timeoutMs) {
      const started = clock.now();
      const facts = await inspectCertificate(endpoint(url, routing), timeoutMs, routing.ca);
      const failure = evaluateCertificate(facts, minDays, clock.now());
      return {
        latencyMs: clock.now() - started,
        failure,
        note: `${facts.subject}, valid until ${facts.validTo.toISOString().slice(0, 10)}`,
      };
    },
  };
}

/** The version a response carries: the full sha or its 7+ character prefix, in the body or a header. */
export function findsVersion(response: SmokeResponse, sha: string): boolean {
  const short = sha.slice(0, 7);
  const texts = [response.body, ...Object.values(response.headers)];
  return texts.some((text) => text.includes(sha) || (short.length === 7 && new RegExp(`(^|[^0-9a-f])${short}`, 'i').test(text)));
}

export function versionProbe(url: URL, sha: string, routing: Routing): Probe {
  return {
    name: `version ${sha.slice(0, 12)}`,
    kind: 'version',
    url: displayUrl(url),
    async attempt(timeoutMs) {
      const response = await send({ url, method: 'GET', headers: {}, timeoutMs }, routing);
      const failure =
        redirectOrStatus(response) ??
        (findsVersion(response, sha)
          ? undefined
          : `the response does not contain ${sha.slice(0, 12)}; the old release may still be serving: ${response.body.slice(0, 120).trim()}`);
      return observe(response, failure);
    },
  };
}

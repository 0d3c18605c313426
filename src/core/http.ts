import type { Clock } from './clock.js';
import { errorMessage, OperationalError } from './errors.js';
import { splitUrlCredentials } from './url-credentials.js';

export interface HttpRequest {
  method?: string;
  url: string;
  headers?: Record<string, string>;
  body?: string | Uint8Array<ArrayBuffer>;
  timeoutMs?: number;
}

export interface HttpResponse {
  status: number;
  headers: Headers;
  body: string;
  json<T = unknown>(): T;
}

export interface HttpClient {
  /** Sends a request; retries 429, 502, 503, 504 and network errors, honouring Retry-After. */
  request(request: HttpRequest): Promise<HttpResponse>;
}

/** A response outside 2xx, kept whole so providers can read the vendor's error shape. */
export class HttpError extends OperationalError {
  constructor(
    readonly request: { method: string; url: string },
    readonly status: number,
    readonly body: string,
  ) {
    super(`${request.method} ${redactQuery(request.url)} returned ${status}: ${body.slice(0, 500)}`);
  }
}

const RETRYABLE = new Set([429, 502, 503, 504]);

function redactQuery(url: string): string {
  return url.replace(/([?&](?:token|access_token|key)=)[^&]+/gi, '$1***');
}

/** Retry-After is either seconds or an HTTP date. */
export function retryAfterMs(header: string | null, now: number): number | undefined {
  if (!header) return undefined;
  if (/^\d+$/.test(header.trim())) return Number(header.trim()) * 1000;
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

export interface HttpClientOptions {
  clock: Clock;
  retries?: number;
  /** Upper bound for one wait, whatever Retry-After says. */
  maxWaitMs?: number;
  onRetry?: (message: string) => void;
  /** The run's redaction: applied to text bodies sent and to the text of every error raised. */
  redact?: (text: string) => string;
}

const TEXT_BODY = /json|text|x-www-form-urlencoded/i;

/** Text bodies (JSON for GitHub comments and statuses, vendors' APIs) are redacted; binary uploads are sent as they are. */
function outgoingBody(request: HttpRequest, redact: (text: string) => string): HttpRequest['body'] {
  if (typeof request.body !== 'string') return request.body;
  const type = Object.entries(request.headers ?? {}).find(([name]) => name.toLowerCase() === 'content-type')?.[1] ?? 'application/json';
  return TEXT_BODY.test(type) ? redact(request.body) : request.body;
}

function headersWith(headers: Record<string, string> | undefined, authorization: string | undefined): Record<string, string> | undefined {
  if (!authorization || Object.keys(headers ?? {}).some((name) => name.toLowerCase() === 'authorization')) return headers;
  return { ...headers, authorization };
}

export function createHttpClient(options: HttpClientOptions): HttpClient {
  const retries = options.retries ?? 4;
  const maxWait = options.maxWaitMs ?? 60_000;
  const redact = options.redact ?? ((text: string) => text);
  return {
    async request(request) {
      const method = request.method ?? 'GET';
      const target = splitUrlCredentials(request.url);
      const headers = headersWith(request.headers, target.authorization);
      const body = outgoingBody(request, redact);
      try {
        return await send(method, target.url, headers, body, request.timeoutMs);
      } catch (error) {
        if (error instanceof Error) error.message = redact(error.message);
        throw error;
      }
    },
  };

  async function send(
    method: string,
    url: string,
    headers: HttpRequest['headers'],
    requestBody: HttpRequest['body'],
    timeoutMs?: number,
  ): Promise<HttpResponse> {
    for (let attempt = 0; ; attempt += 1) {
      let response: Response;
      try {
        response = await fetch(url, {
          method,
          headers,
          body: requestBody,
          redirect: 'manual',
          signal: AbortSignal.timeout(timeoutMs ?? 30_000),
        });
      } catch (error) {
        // fetch's network errors carry a cause; a request it refuses to build (a header value with a newline) never will work.
        const permanent = error instanceof TypeError && error.cause === undefined;
        if (attempt >= retries || permanent) throw new OperationalError(`${method} ${redactQuery(url)} failed: ${errorMessage(error)}`);
        const wait = Math.min(1000 * 2 ** attempt, maxWait);
        options.onRetry?.(`${method} ${redactQuery(url)}: ${errorMessage(error)}; retrying in ${wait} ms`);
        await options.clock.sleep(wait);
        continue;
      }
      const body = await response.text();
      if (RETRYABLE.has(response.status) && attempt < retries) {
        const wait = Math.min(retryAfterMs(response.headers.get('retry-after'), options.clock.now()) ?? 1000 * 2 ** attempt, maxWait);
        options.onRetry?.(`${method} ${redactQuery(url)} returned ${response.status}; retrying in ${wait} ms`);
        await options.clock.sleep(wait);
        continue;
      }
      const result: HttpResponse = {
        status: response.status,
        headers: response.headers,
        body,
        json: <T>() => JSON.parse(body) as T,
      };
      if (response.status >= 400) throw new HttpError({ method, url }, response.status, body);
      return result;
    }
  }
}

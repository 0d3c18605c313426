import type { Clock } from './clock.js';
import { errorMessage, OperationalError } from './errors.js';

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
}

export function createHttpClient(options: HttpClientOptions): HttpClient {
  const retries = options.retries ?? 4;
  const maxWait = options.maxWaitMs ?? 60_000;
  return {
    async request(request) {
      const method = request.method ?? 'GET';
      for (let attempt = 0; ; attempt += 1) {
        let response: Response;
        try {
          response = await fetch(request.url, {
            method,
            headers: request.headers,
            body: request.body,
            redirect: 'manual',
            signal: AbortSignal.timeout(request.timeoutMs ?? 30_000),
          });
        } catch (error) {
          if (attempt >= retries) throw new OperationalError(`${method} ${redactQuery(request.url)} failed: ${errorMessage(error)}`);
          const wait = Math.min(1000 * 2 ** attempt, maxWait);
          options.onRetry?.(`${method} ${redactQuery(request.url)}: ${errorMessage(error)}; retrying in ${wait} ms`);
          await options.clock.sleep(wait);
          continue;
        }
        const body = await response.text();
        if (RETRYABLE.has(response.status) && attempt < retries) {
          const wait = Math.min(retryAfterMs(response.headers.get('retry-after'), options.clock.now()) ?? 1000 * 2 ** attempt, maxWait);
          options.onRetry?.(`${method} ${redactQuery(request.url)} returned ${response.status}; retrying in ${wait} ms`);
          await options.clock.sleep(wait);
          continue;
        }
        const result: HttpResponse = {
          status: response.status,
          headers: response.headers,
          body,
          json: <T>() => JSON.parse(body) as T,
        };
        if (response.status >= 400) throw new HttpError({ method, url: request.url }, response.status, body);
        return result;
      }
    },
  };
}

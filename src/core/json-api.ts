import type { RunContext } from './action.js';
import { ConfigurationError } from './errors.js';
import { HttpError, type HttpResponse } from './http.js';

/** A JSON REST API behind a bearer token (Vercel, Netlify, GitHub); errors keep the vendor's body. */
export interface CallOptions {
  body?: unknown;
  raw?: Uint8Array<ArrayBuffer>;
  headers?: Record<string, string>;
  query?: Record<string, string | undefined>;
}

export interface JsonApi {
  call<T>(method: string, path: string, options?: CallOptions): Promise<T>;
  /** A GET of one page of a listing; `next` is the Link header's rel="next" URL, when there is one. */
  page<T>(pathOrUrl: string, options?: CallOptions): Promise<{ data: T; next?: string }>;
  /** Every page of a listing in turn, following `next` while the caller reads on; options go with each request. */
  pages<T>(pathOrUrl: string, options?: CallOptions): AsyncGenerator<T, void, undefined>;
  /** The whole response, for calls whose answer is in the headers (a 302's Location). */
  send(method: string, pathOrUrl: string, options?: CallOptions): Promise<HttpResponse>;
}

/** The rel="next" target of an RFC 8288 Link header, as GitHub sends for paginated listings. */
export function nextLink(header: string | null): string | undefined {
  return header
    ?.split(',')
    .map((part) => /<([^>]+)>\s*;\s*rel="?next"?/.exec(part)?.[1])
    .find(Boolean);
}

export function jsonApi(
  ctx: RunContext,
  base: string,
  token: string,
  fixedQuery: Record<string, string | undefined> = {},
  extraHeaders: Record<string, string> = {},
): JsonApi {
  const root = base.replace(/\/+$/, '');
  const send = async (method: string, pathOrUrl: string, options: CallOptions = {}) => {
    const url = new URL(/^https?:\/\//.test(pathOrUrl) ? pathOrUrl : root + pathOrUrl);
    for (const [k, v] of Object.entries({ ...fixedQuery, ...options.query })) if (v !== undefined) url.searchParams.set(k, v);
    const headers: Record<string, string> = {
      authorization: `Bearer ${token}`,
      accept: 'application/json',
      ...extraHeaders,
      ...options.headers,
    };
    let body: string | Uint8Array<ArrayBuffer> | undefined = options.raw;
    if (options.body !== undefined) {
      body = JSON.stringify(options.body);
      headers['content-type'] = 'application/json';
    }
    return ctx.http.request({ method, url: url.toString(), headers, body, timeoutMs: 120_000 });
  };
  const page = async <T>(pathOrUrl: string, options?: CallOptions) => {
    const response = await send('GET', pathOrUrl, options);
    return { data: response.json<T>(), next: nextLink(response.headers.get('link')) };
  };
  return {
    async call<T>(method: string, path: string, options?: CallOptions) {
      const response = await send(method, path, options);
      return (response.body === '' ? undefined : response.json<T>()) as T;
    },
    page,
    async *pages<T>(pathOrUrl: string, options?: CallOptions) {
      let next: string | undefined = pathOrUrl;
      while (next) {
        const current: { data: T; next?: string } = await page<T>(next, options);
        yield current.data;
        next = current.next;
      }
    },
    send,
  };
}

/** The vendor's own words from an error body: Vercel {error:{code,message}}, Netlify {code,message}, GitHub {message}. */
export function vendorMessage(error: unknown): string | undefined {
  if (!(error instanceof HttpError)) return undefined;
  try {
    const body = JSON.parse(error.body) as { error?: { code?: string; message?: string }; code?: unknown; message?: string };
    const inner = body.error ?? body;
    const code = inner.code !== undefined ? `${String(inner.code)}: ` : '';
    return inner.message ? `${code}${inner.message}` : undefined;
  } catch {
    return undefined;
  }
}

/** 401/403 from a vendor means the token is wrong or lacks access: a configuration problem, said plainly. */
export function rethrowAuth(error: unknown, vendor: string, what: string): never {
  if (error instanceof HttpError && (error.status === 401 || error.status === 403)) {
    throw new ConfigurationError(
      `input "token": ${vendor} refused ${what} (HTTP ${error.status}${vendorMessage(error) ? `, ${vendorMessage(error)}` : ''}); check that the token is valid and has access to it`,
    );
  }
  throw error;
}

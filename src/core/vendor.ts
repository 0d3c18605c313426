import type { z } from 'zod';

import { ConfigurationError, OperationalError } from './errors.js';
import { HttpError } from './http.js';

/**
 * How a hosted vendor's HTTP error reads to the user: 401/403 name the token input, a 404 on the call
 * that names the user's resource names that input, anything else keeps the vendor's own words.
 */
export interface VendorErrors {
  vendor: string;
  apiUrl: string;
  tokenInput: string;
  /** A 404 whose URL path ends with `pathEnd` means the resource in `input` does not exist. */
  notFound?: { pathEnd: string; input: string; what: string };
}

/** The message in an error body: `{message}` (DigitalOcean), `{error}` (Fly), `{detail}` (Sentry), or the body itself. */
export function bodyMessage(body: string): string {
  try {
    const parsed = JSON.parse(body) as { message?: unknown; error?: unknown; detail?: unknown };
    const found = [parsed.message, parsed.detail, parsed.error].find((v) => typeof v === 'string');
    return typeof found === 'string' ? found : body;
  } catch {
    return body;
  }
}

export function describeVendorError(error: unknown, shape: VendorErrors): Error {
  if (!(error instanceof HttpError)) return error instanceof Error ? error : new Error(String(error));
  const message = bodyMessage(error.body);
  if (error.status === 401 || error.status === 403) {
    return new ConfigurationError(
      `input "${shape.tokenInput}": ${shape.vendor} refused the token (${error.status}: ${message}); check that it is valid and may act on this resource`,
    );
  }
  const path = new URL(error.request.url).pathname.replace(/\/+$/, '');
  if (error.status === 404 && shape.notFound && path.endsWith(shape.notFound.pathEnd)) {
    return new ConfigurationError(`input "${shape.notFound.input}": ${shape.vendor} has no ${shape.notFound.what} for this token (404)`);
  }
  const where = error.request.url.replace(shape.apiUrl, '').replace(/\?.*$/, '');
  return new OperationalError(`${shape.vendor} ${error.request.method} ${where} returned ${error.status}: ${message}`);
}

/** A vendor response checked against the fields the kit reads; a different shape fails naming them. */
export function parseVendor<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => `${issue.path.join('.') || '(body)'}: ${issue.message}`).join('; ');
  throw new OperationalError(
    `${what} answered in a shape the kit does not know (${problems})`,
    'the vendor API may have changed; open an issue with this message',
  );
}

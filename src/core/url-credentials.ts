/**
 * Credentials written into a URL (`https://user:pass@host/health`): fetch refuses such URLs, and the
 * userinfo must never be printed, so the kit sends them as an `Authorization: Basic` header (what
 * browsers and curl do) and keeps only the URL without them. The runtimes register the userinfo of
 * every input as a secret before parsing (secrets.ts urlCredentialForms).
 */
export interface SplitUrl {
  /** The URL without userinfo; safe to show. */
  url: string;
  /** `Basic base64(user:password)` when the URL carried credentials. */
  authorization?: string;
}

export function splitUrlCredentials(raw: string): SplitUrl {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { url: raw };
  }
  if (!url.username && !url.password) return { url: raw };
  const pair = `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`;
  url.username = '';
  url.password = '';
  return { url: url.href, authorization: `Basic ${Buffer.from(pair).toString('base64')}` };
}

/** A URL as it may be shown: without its userinfo. */
export function displayUrl(raw: string): string {
  return splitUrlCredentials(raw).url;
}

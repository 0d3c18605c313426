/**
 * One registry of secrets per run. Every value registered here is replaced by *** in every byte the
 * kit writes (log, summary, outputs, state, history lines, request bodies, error messages), in each
 * form it can take on the way there: raw, each line, base64, URL-encoded in both hex cases, and
 * JSON-escaped (once and twice, as a JSON string inside another JSON document).
 */

/** Lines shorter than this are not registered on their own: they would redact ordinary words. */
const MIN_LINE_LENGTH = 8;

const MASK = '***';

function jsonEscaped(value: string): string {
  return JSON.stringify(value).slice(1, -1);
}

function lowerPercentEncoding(value: string): string {
  return value.replace(/%[0-9A-F]{2}/g, (escape) => escape.toLowerCase());
}

/** The forms in which a secret value may reach a sink. */
export function secretForms(secret: string): string[] {
  const value = secret.replace(/\r\n/g, '\n').trim();
  if (value === '') return [];
  const bases = new Set([value]);
  for (const line of value.split('\n')) if (line.trim().length >= MIN_LINE_LENGTH) bases.add(line.trim());
  const forms = new Set<string>();
  for (const base of bases) {
    const encoded = encodeURIComponent(base);
    for (const form of [
      base,
      Buffer.from(base).toString('base64'),
      encoded,
      lowerPercentEncoding(encoded),
      jsonEscaped(base),
      jsonEscaped(jsonEscaped(base)),
    ])
      forms.add(form);
  }
  return [...forms];
}

/** The `user:password` forms a URL's userinfo can take (Basic auth header, the userinfo text itself). */
export function basicAuthForms(user: string, password: string): string[] {
  const pair = `${user}:${password}`;
  return [...secretForms(password), Buffer.from(pair).toString('base64'), ...(user ? secretForms(pair) : [])];
}

/** Userinfo in any URL written in some text (`https://user:pass@host`, `postgres://u:p@db`). */
const USERINFO = /\b[a-z][a-z0-9+.-]*:\/\/([^\s/?#@]*)@/gi;

/** The credentials in every URL of a text, raw and decoded, so an input quoting a URL is covered before it is parsed. */
export function urlCredentialForms(text: string): string[] {
  const forms: string[] = [];
  for (const match of text.matchAll(USERINFO)) {
    const userinfo = match[1]!;
    const colon = userinfo.indexOf(':');
    if (colon < 0) continue;
    const decode = (part: string) => {
      try {
        return decodeURIComponent(part);
      } catch {
        return part;
      }
    };
    forms.push(...secretForms(userinfo), ...basicAuthForms(decode(userinfo.slice(0, colon)), decode(userinfo.slice(colon + 1))));
    forms.push(...secretForms(userinfo.slice(colon + 1)));
  }
  return forms;
}

export class SecretRegistry {
  private readonly forms = new Set<string>();
  private ordered: string[] = [];

  /** Registers a secret and its derived forms; returns the forms that were new (for the runner's masker). */
  add(secret: string): string[] {
    return this.addForms(secretForms(secret));
  }

  /** Registers the credentials found in URLs inside `text`. */
  addUrlCredentials(text: string): string[] {
    return this.addForms(urlCredentialForms(text));
  }

  /** Registers a `user:password` pair the kit sends as Basic auth. */
  addBasicAuth(user: string, password: string): string[] {
    return this.addForms(basicAuthForms(user, password));
  }

  addForms(forms: readonly string[]): string[] {
    const added = forms.filter((form) => form !== '' && !this.forms.has(form));
    if (added.length === 0) return [];
    for (const form of added) this.forms.add(form);
    // Longest first, so a value is replaced whole before any line of it.
    this.ordered = [...this.forms].sort((a, b) => b.length - a.length);
    return added;
  }

  redact(text: string): string {
    let out = text;
    for (const form of this.ordered) if (out.includes(form)) out = out.split(form).join(MASK);
    return out;
  }
}

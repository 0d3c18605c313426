/**
 * What a smoke check expects of a response, parsed once from the user's text and evaluated per
 * attempt. Every evaluator returns undefined when satisfied or a reason a person can act on.
 */

/** An inclusive status range; a single code is [code, code]. */
export type StatusRange = readonly [number, number];

const STATUS_PART = /^(?:([1-5])xx|([1-5]\d\d)(?:\s*-\s*([1-5]\d\d))?)$/i;

/** Parses `200`, `200,204`, `2xx`, `200-299` (or a YAML list of those); undefined for anything else. */
export function parseStatusSpec(value: string | number | readonly (string | number)[]): StatusRange[] | undefined {
  const parts = Array.isArray(value) ? value.map(String) : String(value).split(/[,\s]+/);
  const ranges: StatusRange[] = [];
  for (const raw of parts) {
    const part = raw.trim();
    if (part === '') continue;
    const match = STATUS_PART.exec(part);
    if (!match) return undefined;
    if (match[1]) ranges.push([Number(match[1]) * 100, Number(match[1]) * 100 + 99]);
    else {
      const low = Number(match[2]);
      const high = match[3] ? Number(match[3]) : low;
      if (high < low) return undefined;
      ranges.push([low, high]);
    }
  }
  return ranges.length > 0 ? ranges : undefined;
}

export const DEFAULT_STATUS: readonly StatusRange[] = [[200, 299]];

export function statusMatches(status: number, ranges: readonly StatusRange[]): boolean {
  return ranges.some(([low, high]) => status >= low && status <= high);
}

export function describeStatus(ranges: readonly StatusRange[]): string {
  return ranges
    .map(([low, high]) => (low === high ? String(low) : low % 100 === 0 && high === low + 99 ? `${low / 100}xx` : `${low}-${high}`))
    .join(', ');
}

/** A text to find: a substring, or `/regex/flags`. */
export interface TextMatcher {
  source: string;
  test(text: string): boolean;
}

export function parseTextMatcher(value: string): TextMatcher | undefined {
  const regex = /^\/(.+)\/([dgimsuy]*)$/s.exec(value);
  if (regex) {
    let re: RegExp;
    try {
      re = new RegExp(regex[1]!, regex[2]!.replace('g', ''));
    } catch {
      return undefined;
    }
    return { source: value, test: (text) => re.test(text) };
  }
  return { source: JSON.stringify(value), test: (text) => text.includes(value) };
}

/** `$.status = ok`, `$.items[0].id = 5`, or only `$.version` (the path must exist). */
export interface JsonExpectation {
  source: string;
  path: (string | number)[];
  value?: unknown;
}

export function parseJsonExpectation(text: string): JsonExpectation | undefined {
  const match = /^\s*(\$[^=]*?)\s*(?:=\s*(.*?))?\s*$/s.exec(text);
  if (!match) return undefined;
  const path = parseJsonPath(match[1]!);
  if (!path) return undefined;
  if (match[2] === undefined) return { source: text.trim(), path };
  return { source: text.trim(), path, value: parseScalar(match[2]) };
}

function parseJsonPath(text: string): (string | number)[] | undefined {
  const path: (string | number)[] = [];
  const re = /\.([A-Za-z_$][\w$-]*)|\[(\d+)\]|\[(["'])(.*?)\3\]/gy;
  re.lastIndex = 1;
  if (text[0] !== '$') return undefined;
  while (re.lastIndex < text.length) {
    const m = re.exec(text);
    if (!m) return undefined;
    if (m[1] !== undefined) path.push(m[1]);
    else if (m[2] !== undefined) path.push(Number(m[2]));
    else path.push(m[4]!);
  }
  return path;
}

/** `5`, `true`, `null`, `"quoted"` are JSON; anything else is a plain string. */
function parseScalar(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

export function evaluateJson(body: string, expectation: JsonExpectation): string | undefined {
  let data: unknown;
  try {
    data = JSON.parse(body);
  } catch {
    return `the body is not JSON (for ${expectation.source}): ${body.slice(0, 120)}`;
  }
  let node: unknown = data;
  for (const key of expectation.path) {
    if (node === null || typeof node !== 'object' || !(key in (node as object))) return `${expectation.source}: the path does not exist`;
    node = (node as Record<string | number, unknown>)[key];
  }
  if (!('value' in expectation)) return undefined;
  const same =
    JSON.stringify(node) === JSON.stringify(expectation.value) || (typeof node !== 'object' && String(node) === String(expectation.value));
  return same ? undefined : `${expectation.source}: got ${JSON.stringify(node)}`;
}

/** `name: value` (the header contains value, case-insensitive; `/regex/` allowed) or only `name` (present). */
export interface HeaderExpectation {
  source: string;
  name: string;
  value?: TextMatcher;
}

export function parseHeaderExpectation(text: string): HeaderExpectation | undefined {
  const match = /^\s*([A-Za-z0-9!#$%&'*+.^_`|~-]+)\s*(?::\s*(.*?))?\s*$/s.exec(text);
  if (!match) return undefined;
  const name = match[1]!.toLowerCase();
  const raw = match[2];
  if (raw === undefined || raw === '') return { source: text.trim(), name };
  const regex = raw.startsWith('/') ? parseTextMatcher(raw) : undefined;
  const value: TextMatcher = regex ?? { source: JSON.stringify(raw), test: (v) => v.toLowerCase().includes(raw.toLowerCase()) };
  return { source: text.trim(), name, value };
}

export function evaluateHeader(headers: Record<string, string>, expectation: HeaderExpectation): string | undefined {
  const actual = headers[expectation.name];
  if (actual === undefined) return `header ${expectation.name} is missing`;
  if (expectation.value && !expectation.value.test(actual))
    return `header ${expectation.name} is ${JSON.stringify(actual)}, expected ${expectation.value.source}`;
  return undefined;
}

import { existsSync, statSync } from 'node:fs';

import { z } from 'zod';

import { ConfigurationError } from './errors.js';
import { emptySecretText } from './missing-secret.js';

/**
 * Input helpers: every action input arrives as a string (empty when not given), so each helper
 * is a zod schema from string to the typed value, with a message that says what was expected.
 */

type StringInput<T> = z.ZodType<T, string>;

function fail(ctx: z.RefinementCtx, message: string): never {
  ctx.addIssue({ code: 'custom', message });
  return z.NEVER as never;
}

export function text(defaultValue = ''): StringInput<string> {
  return z.string().transform((v) => (v.trim() === '' ? defaultValue : v.trim()));
}

export function optionalText(): StringInput<string | undefined> {
  return z.string().transform((v) => (v.trim() === '' ? undefined : v.trim()));
}

/** Multi-line content kept as is (keys, known_hosts, scripts). */
export function content(): StringInput<string | undefined> {
  return z.string().transform((v) => (v.trim() === '' ? undefined : v.replace(/\r\n/g, '\n')));
}

export function required(message = 'a value (it is required)'): StringInput<string> {
  return z.string().transform((v, ctx) => (v.trim() === '' ? fail(ctx, `expected ${message}`) : v.trim()));
}

/** A secret the action cannot run without; empty means it did not reach the step, which the message explains. */
export function requiredSecret(input: string, neededFor: string): StringInput<string> {
  return z.string().transform((v, ctx) => (v.trim() === '' ? fail(ctx, emptySecretText(input, neededFor)) : v.trim()));
}

/** The YAML 1.2 core booleans, as the runner's getBooleanInput accepts them; anything else is an error. */
export function bool(defaultValue: boolean): StringInput<boolean> {
  return z.string().transform((v, ctx) => {
    const value = v.trim();
    if (value === '') return defaultValue;
    if (['true', 'True', 'TRUE'].includes(value)) return true;
    if (['false', 'False', 'FALSE'].includes(value)) return false;
    return fail(ctx, `expected true or false, got "${value}"`);
  });
}

/** A list split on commas and newlines; blanks dropped. */
export function list(): StringInput<string[]> {
  return z.string().transform((v) =>
    v
      .split(/[,\n]/)
      .map((item) => item.trim())
      .filter((item) => item !== ''),
  );
}

export function integer(defaultValue: number, min: number, max = Number.MAX_SAFE_INTEGER): StringInput<number> {
  return z.string().transform((v, ctx) => {
    const value = v.trim();
    if (value === '') return defaultValue;
    if (!/^\d+$/.test(value)) return fail(ctx, `expected a whole number, got "${value}"`);
    const n = Number(value);
    if (n < min || n > max) return fail(ctx, `expected a number from ${min} to ${max}, got ${n}`);
    return n;
  });
}

const DURATION_UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Parses "90", "90s", "5m", "1h", "500ms" into milliseconds; a bare number means seconds. */
export function parseDuration(value: string): number | undefined {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(value.trim());
  if (!match) return undefined;
  return Math.round(Number(match[1]) * DURATION_UNITS[match[2] ?? 's']!);
}

export function duration(defaultValue: string): StringInput<number> {
  return z.string().transform((v, ctx) => {
    const value = v.trim() === '' ? defaultValue : v.trim();
    const ms = parseDuration(value);
    return ms === undefined ? fail(ctx, `expected a duration such as 30s, 5m or 1h, got "${value}"`) : ms;
  });
}

export function choice<const T extends string>(values: readonly T[], defaultValue?: T): StringInput<T> {
  return z.string().transform((v, ctx) => {
    const value = v.trim();
    if (value === '' && defaultValue !== undefined) return defaultValue;
    if ((values as readonly string[]).includes(value)) return value as T;
    return fail(ctx, `expected one of ${values.join(', ')}, got "${value}"`);
  });
}

/** A value that must match a strict pattern (names that become paths or remote arguments). */
export function pattern(re: RegExp, what: string): StringInput<string | undefined> {
  return z.string().transform((v, ctx) => {
    const value = v.trim();
    if (value === '') return undefined;
    return re.test(value) ? value : fail(ctx, `expected ${what}, got ${JSON.stringify(value)}`);
  });
}

/** An http(s) URL: health and smoke URLs, S3 endpoints, vendor API bases (`api-url`, empty = the vendor's own). */
export function httpUrl(): StringInput<string | undefined> {
  return pattern(/^https?:\/\/\S+$/, 'an http:// or https:// URL');
}

/** Fails naming the input unless `path` (already resolved) is an existing directory. */
export function requireDirectory(input: string, path: string): void {
  if (!existsSync(path) || !statSync(path).isDirectory()) throw new ConfigurationError(`input "${input}": ${path} is not a directory`);
}

export type InputShape = Record<string, StringInput<unknown>>;

/** The parsed record of a group of inputs (a schema's fragment), instead of a hand-written copy. */
export type InputsOf<S extends InputShape> = z.output<z.ZodObject<S>>;

/** Turns raw input strings into the typed record, or one ConfigurationError naming every bad input. */
export function parseInputs<S extends z.ZodType<unknown, Record<string, string>>>(schema: S, raw: Record<string, string>): z.output<S> {
  const result = schema.safeParse(raw);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const name = issue.path.length > 0 ? String(issue.path[0]) : 'inputs';
    return `input "${name}": ${issue.message}`;
  });
  throw new ConfigurationError(problems.join('\n'));
}

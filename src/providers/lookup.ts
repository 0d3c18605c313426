import { ConfigurationError } from '../core/errors.js';

/** The entry for a `provider` input; any other name fails as `<unknown> "<name>"; known: <the names>`. */
export function providerEntry<T>(table: Readonly<Record<string, T>>, name: string, unknown: string): T {
  const entry = Object.hasOwn(table, name) ? table[name] : undefined;
  if (entry === undefined) throw new ConfigurationError(`input "provider": ${unknown} "${name}"; known: ${Object.keys(table).join(', ')}`);
  return entry;
}

/** A provider's required input, or `input "<input>": expected <what>`. */
export function requireInput(value: string | undefined, input: string, what: string): string {
  if (!value) throw new ConfigurationError(`input "${input}": expected ${what}`);
  return value;
}

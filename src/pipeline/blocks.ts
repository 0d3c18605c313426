import { parse } from 'yaml';

import { ConfigurationError, errorMessage } from '../core/errors.js';

/**
 * A stage block: the inputs of one action written as YAML (`hosts: ...`, `path: ...`), as a user
 * would write them under `with:`. Lists become newline-separated strings and scalars strings, so
 * the action's own schema parses them exactly as it parses INPUT_* values.
 */
export function parseBlock(input: string, yaml: string, known: readonly string[]): Record<string, string> {
  let value: unknown;
  try {
    value = parse(yaml);
  } catch (error) {
    // Only the first line (what and where): the code frame under it quotes the block, which may hold
    // a secret the run cannot know before the block is parsed (a token: line).
    const what = errorMessage(error).split('\n')[0]!.replace(/:$/, '');
    throw new ConfigurationError(`input "${input}": expected YAML mapping of the action's inputs: ${what}`);
  }
  if (value === null || value === undefined) return {};
  if (typeof value !== 'object' || Array.isArray(value))
    throw new ConfigurationError(
      `input "${input}": expected a YAML mapping such as "hosts: deploy@app1", got ${Array.isArray(value) ? 'a list' : `a ${typeof value}`} (not shown)`,
    );
  const raw: Record<string, string> = {};
  for (const [key, item] of Object.entries(value)) {
    if (!known.includes(key)) throw new ConfigurationError(`input "${input}": unknown input "${key}"; known: ${known.join(', ')}`);
    raw[key] = Array.isArray(item) ? item.map(String).join('\n') : item === null || item === undefined ? '' : String(item);
  }
  return raw;
}

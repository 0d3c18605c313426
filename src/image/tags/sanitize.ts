/**
 * Replaces what the tag grammar `[\w][\w.-]{0,127}` rejects with `-`, like metadata-action; the kit
 * also drops leading `.`/`-` and cuts to 128 characters, which registries reject. Undefined when empty.
 */
export function sanitizeTag(raw: string): string | undefined {
  const tag = raw
    .replace(/[^\w.-]+/g, '-')
    .replace(/^[.-]+/, '')
    .slice(0, 128);
  return tag === '' ? undefined : tag;
}

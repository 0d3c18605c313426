/** What domain code may say to the user; one implementation per runtime (Actions, CLI, tests). */
export interface Logger {
  info(message: string): void;
  warning(message: string): void;
  error(message: string): void;
  debug(message: string): void;
  /** Registers a value that must never be printed; every runtime redacts it. */
  mask(secret: string): void;
  group<T>(name: string, fn: () => Promise<T>): Promise<T>;
}

/** Masks a secret and the forms of it that commonly leak (each line, base64, URL-encoded). */
export function maskSecret(logger: Logger, secret: string): void {
  const value = secret.trim();
  if (value === '') return;
  const forms = new Set<string>([value, Buffer.from(value).toString('base64'), encodeURIComponent(value)]);
  for (const line of value.split('\n')) if (line.trim().length >= 8) forms.add(line.trim());
  for (const form of forms) logger.mask(form);
}

/** Replaces every registered secret in text; used by runtimes that print themselves. */
export function redact(text: string, secrets: Iterable<string>): string {
  let out = text;
  for (const secret of [...secrets].sort((a, b) => b.length - a.length)) {
    if (secret.length > 0) out = out.split(secret).join('***');
  }
  return out;
}

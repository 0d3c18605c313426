import { basicAuthForms, secretForms } from './secrets.js';

export type AnnotationKind = 'error' | 'warning' | 'notice';

/** Where an annotation points; file is relative to the repository root. */
export interface AnnotationPosition {
  file?: string;
  line?: number;
  col?: number;
  title?: string;
}

/** What domain code may say to the user; one implementation per runtime (Actions, CLI, tests). */
export interface Logger {
  info(message: string): void;
  warning(message: string): void;
  error(message: string): void;
  debug(message: string): void;
  /** Registers a value that must never be printed; every runtime redacts it. */
  mask(secret: string): void;
  group<T>(name: string, fn: () => Promise<T>): Promise<T>;
  /**
   * The run's redaction, for sinks the logger does not print to (history lines, files the kit writes).
   * Optional so test loggers need not implement it; call it through redactFor() below.
   */
  redact?(text: string): string;
  /**
   * An annotation on a file and line (a check annotation in Actions, `file:line:col: message` in the CLI).
   * Optional so existing loggers keep working; call it through annotate() below.
   */
  annotate?(kind: AnnotationKind, message: string, position: AnnotationPosition): void;
}

/** `file:line:col` for plain-text runtimes. */
export function formatPosition(position: AnnotationPosition): string {
  if (!position.file) return '';
  return [position.file, position.line, position.line !== undefined ? position.col : undefined].filter((p) => p !== undefined).join(':');
}

/** Annotates through the logger, or prints `file:line:col: message` where it cannot annotate. */
export function annotate(logger: Logger, kind: AnnotationKind, message: string, position: AnnotationPosition = {}): void {
  if (logger.annotate) return logger.annotate(kind, message, position);
  const where = formatPosition(position);
  const text = where ? `${where}: ${message}` : message;
  if (kind === 'error') logger.error(text);
  else if (kind === 'warning') logger.warning(text);
  else logger.info(text);
}

/** Text with every registered secret replaced, for a sink outside the log. */
export function redactFor(logger: Logger, text: string): string {
  return logger.redact ? logger.redact(text) : text;
}

/** Masks a secret and every derived form of it (each line, base64, URL-encoded in both cases, JSON-escaped). */
export function maskSecret(logger: Logger, secret: string): void {
  for (const form of secretForms(secret)) logger.mask(form);
}

/** Masks a `user:password` pair the kit sends as Basic auth, including its base64. */
export function maskBasicAuth(logger: Logger, user: string, password: string): void {
  for (const form of basicAuthForms(user, password)) logger.mask(form);
}

/** Replaces every registered secret in text; used by runtimes that print themselves. */
export function redact(text: string, secrets: Iterable<string>): string {
  let out = text;
  for (const secret of [...secrets].sort((a, b) => b.length - a.length)) {
    if (secret.length > 0) out = out.split(secret).join('***');
  }
  return out;
}

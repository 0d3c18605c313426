/** A mistake in what the user asked for (bad input, missing permission): fix the workflow, not the host. */
export class ConfigurationError extends Error {
  override readonly name = 'ConfigurationError';
}

/** Something failed while acting (host down, build failed, health check failed). */
export class OperationalError extends Error {
  override readonly name = 'OperationalError';
  constructor(
    message: string,
    readonly hint?: string,
  ) {
    super(message);
  }
}

/** A remote or local command exited non-zero; carries its exit code and last output lines. */
export class CommandError extends OperationalError {
  constructor(
    readonly what: string,
    readonly exitCode: number,
    readonly outputTail: string,
    hint?: string,
  ) {
    super(`${what} failed with exit code ${exitCode}${outputTail ? `:\n${outputTail}` : ''}`, hint);
  }
}

/** A program that could not start because it is not on PATH (spawn's ENOENT). */
export class ToolNotFoundError extends Error {
  override readonly name = 'ToolNotFoundError';
  constructor(readonly tool: string) {
    super(`${tool} is not installed or not on PATH`);
  }
}

export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}

/** The last `count` non-empty lines of a command's output, for error messages. */
export function tail(text: string, count = 20): string {
  const lines = text.split('\n').filter((line) => line.trim() !== '');
  return lines.slice(-count).join('\n');
}

import { ConfigurationError, errorMessage, OperationalError } from '../core/errors.js';

/** One wording for failures in every runtime: what went wrong, then what to do next. */
export function describeFailure(action: string, error: unknown): string {
  if (error instanceof ConfigurationError) {
    return `${action}: configuration error:\n${error.message}\nFix the inputs above; nothing was changed on any host.`;
  }
  if (error instanceof OperationalError) {
    return `${action}: ${error.message}${error.hint ? `\nNext: ${error.hint}` : ''}`;
  }
  return `${action}: unexpected error: ${errorMessage(error)}${error instanceof Error && error.stack ? `\n${error.stack}` : ''}`;
}

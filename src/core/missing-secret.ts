import { ConfigurationError } from './errors.js';

/** The docs section that says how secrets reach a step (environment secrets, reusable workflows, forks). */
export const SECRETS_DOCS = 'docs/strategies/README.md#secrets';

/**
 * The error for a secret input that arrived empty although the run needs it. An empty secret
 * usually means GitHub did not pass it, not that the user forgot it; saying so here saves a
 * `Permission denied (publickey)` or a 401 later.
 */
export function missingSecret(input: string, neededFor: string): ConfigurationError {
  return new ConfigurationError(`input "${input}": ${emptySecretText(input, neededFor)}`);
}

/** The text after `input "name": `, for checks that name the input themselves (the zod schemas). */
export function emptySecretText(input: string, neededFor: string): string {
  return (
    `empty, but ${neededFor}. The secret did not reach this step: check that the secret exists and is mapped to "${input}"; ` +
    'a secret kept in an environment reaches a reusable workflow only if the caller passes it (secrets: NAME: ${{ secrets.NAME }}) or uses `secrets: inherit`, ' +
    `and pull requests from forks get no secrets. See ${SECRETS_DOCS}`
  );
}

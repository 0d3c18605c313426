import type { RunContext } from '../core/action.js';
import { ConfigurationError } from '../core/errors.js';
import { HttpError } from '../core/http.js';
import { type JsonApi, jsonApi, vendorMessage } from '../core/json-api.js';

export interface GitHubRepo {
  owner: string;
  repo: string;
}

/** A REST client for GITHUB_API_URL (github.com, GHES, or a test double). */
export function githubApi(ctx: RunContext, token: string): JsonApi {
  return jsonApi(
    ctx,
    ctx.env.githubApiUrl,
    token,
    {},
    { accept: 'application/vnd.github+json', 'x-github-api-version': '2022-11-28', 'user-agent': 'deploy-kit' },
  );
}

export function parseRepository(full: string): GitHubRepo {
  const [owner, repo] = full.split('/');
  if (!owner || !repo) throw new ConfigurationError(`GITHUB_REPOSITORY must be owner/name, got ${JSON.stringify(full)}`);
  return { owner, repo };
}

/** Runs a call; a 403 becomes an error that names the permission the job's token is missing. */
export async function withPermission<T>(permission: string, what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof HttpError && error.status === 403) {
      throw new ConfigurationError(
        `input "github-token": GitHub refused to ${what} (HTTP 403${vendorMessage(error) ? `: ${vendorMessage(error)}` : ''}). The token needs "${permission}": add \`permissions:\n  ${permission}\` to the job`,
      );
    }
    throw error;
  }
}

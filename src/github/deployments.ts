import type { JsonApi } from '../core/json-api.js';
import { type GitHubRepo, withPermission } from './client.js';

export type DeploymentState = 'in_progress' | 'success' | 'failure' | 'error';

export interface DeploymentRequest {
  ref: string;
  environment: string;
  production: boolean;
  description: string;
}

/** A GitHub Deployment, so the URL shows on the PR and on the environments page. */
export async function createDeployment(api: JsonApi, repo: GitHubRepo, request: DeploymentRequest): Promise<number> {
  return withPermission('deployments: write', `create a deployment for ${request.environment}`, async () => {
    const created = await api.call<{ id: number }>('POST', `/repos/${repo.owner}/${repo.repo}/deployments`, {
      body: {
        ref: request.ref,
        environment: request.environment,
        description: request.description,
        auto_merge: false,
        required_contexts: [],
        transient_environment: !request.production,
        production_environment: request.production,
      },
    });
    return created.id;
  });
}

export interface StatusUpdate {
  state: DeploymentState;
  environment: string;
  logUrl?: string;
  environmentUrl?: string;
  description?: string;
}

export async function setDeploymentStatus(api: JsonApi, repo: GitHubRepo, id: number, update: StatusUpdate): Promise<void> {
  await withPermission('deployments: write', `set the status of deployment ${id}`, () =>
    api.call('POST', `/repos/${repo.owner}/${repo.repo}/deployments/${id}/statuses`, {
      body: {
        state: update.state,
        environment: update.environment,
        ...(update.logUrl ? { log_url: update.logUrl } : {}),
        ...(update.environmentUrl ? { environment_url: update.environmentUrl } : {}),
        ...(update.description ? { description: update.description.slice(0, 140) } : {}),
        auto_inactive: update.state === 'success',
      },
    }),
  );
}

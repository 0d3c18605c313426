import type { JsonApi } from '../core/json-api.js';
import { type GitHubRepo, withPermission } from './client.js';

const PER_PAGE = 100;

interface IssueComment {
  id: number;
  body?: string;
}

/** The hidden line that identifies the sticky comment of one action + provider + site on a PR. */
export function stickyMarker(action: string, provider: string, site: string): string {
  return `<!-- deploy-kit:${action}:${provider}:${site} -->`;
}

/** Reads the PR's comments 100 at a time, following the Link header's next page, until the marker is found. */
async function findComment(api: JsonApi, repo: GitHubRepo, issue: number, marker: string): Promise<IssueComment | undefined> {
  for await (const comments of api.pages<IssueComment[]>(
    `/repos/${repo.owner}/${repo.repo}/issues/${issue}/comments?per_page=${PER_PAGE}`,
  )) {
    const found = comments.find((c) => c.body?.includes(marker));
    if (found) return found;
  }
  return undefined;
}

/** Creates the PR comment carrying the marker, or updates the one already there: never a second one. */
export async function upsertStickyComment(
  api: JsonApi,
  repo: GitHubRepo,
  issue: number,
  marker: string,
  body: string,
): Promise<{ id: number; created: boolean }> {
  return withPermission('pull-requests: write', `comment on pull request #${issue}`, async () => {
    const text = `${marker}\n${body}`;
    const existing = await findComment(api, repo, issue, marker);
    if (existing) {
      await api.call('PATCH', `/repos/${repo.owner}/${repo.repo}/issues/comments/${existing.id}`, { body: { body: text } });
      return { id: existing.id, created: false };
    }
    const created = await api.call<IssueComment>('POST', `/repos/${repo.owner}/${repo.repo}/issues/${issue}/comments`, {
      body: { body: text },
    });
    return { id: created.id, created: true };
  });
}

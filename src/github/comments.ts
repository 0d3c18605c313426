import type { JsonApi } from '../providers/api.js';
import { withPermission, type GitHubRepo } from './client.js';

const PER_PAGE = 100;

interface IssueComment {
  id: number;
  body?: string;
}

/** The hidden line that identifies the sticky comment of one action + provider + site on a PR. */
export function stickyMarker(action: string, provider: string, site: string): string {
  return `<!-- deploy-kit:${action}:${provider}:${site} -->`;
}

/** Every comment on the PR, page by page (GitHub returns at most 100 per page). */
async function findComment(api: JsonApi, repo: GitHubRepo, issue: number, marker: string): Promise<IssueComment | undefined> {
  for (let page = 1; ; page += 1) {
    const comments = await api.call<IssueComment[]>('GET', `/repos/${repo.owner}/${repo.repo}/issues/${issue}/comments`, { query: { per_page: String(PER_PAGE), page: String(page) } });
    const found = comments.find((c) => c.body?.includes(marker));
    if (found) return found;
    if (comments.length < PER_PAGE) return undefined;
  }
}

/** Creates the PR comment carrying the marker, or updates the one already there: never a second one. */
export async function upsertStickyComment(api: JsonApi, repo: GitHubRepo, issue: number, marker: string, body: string): Promise<{ id: number; created: boolean }> {
  return withPermission('pull-requests: write', `comment on pull request #${issue}`, async () => {
    const text = `${marker}\n${body}`;
    const existing = await findComment(api, repo, issue, marker);
    if (existing) {
      await api.call('PATCH', `/repos/${repo.owner}/${repo.repo}/issues/comments/${existing.id}`, { body: { body: text } });
      return { id: existing.id, created: false };
    }
    const created = await api.call<IssueComment>('POST', `/repos/${repo.owner}/${repo.repo}/issues/${issue}/comments`, { body: { body: text } });
    return { id: created.id, created: true };
  });
}

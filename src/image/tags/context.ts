import { ConfigurationError } from '../../core/errors.js';
import { formatDate } from './dates.js';
import { type Helper, render } from './expressions.js';

/** What the rules read: the run's event, ref and sha, the event payload's facts, and the clock. */
export interface TagFacts {
  eventName: string;
  ref: string;
  sha: string;
  now: Date;
  /** The commit's date for `{{commit_date}}`; `now` when unknown. */
  commitDate?: Date;
  prNumber?: number;
  /** pull_request.head.sha: used for sha tags only with `usePrHeadSha` (metadata-action's DOCKER_METADATA_PR_HEAD_SHA). */
  prHeadSha?: string;
  usePrHeadSha?: boolean;
  /** pull_request.base.ref, for `{{base_ref}}` on PRs. */
  prBaseRef?: string;
  /** The push payload's base_ref, for `{{base_ref}}` on tags. */
  baseRef?: string;
  /** The repository's default branch, for type=edge and `{{is_default_branch}}`. */
  defaultBranch?: string;
  /** Characters of a short sha (metadata-action's DOCKER_METADATA_SHORT_SHA_LENGTH); 7 by default. */
  shortShaLength?: number;
  /**
   * The repository's git tags, when known: latest=auto then also requires this version to be the
   * highest release among them, so a backport (v1.9.1 after v2.0.0) does not move latest.
   */
  gitTags?: readonly string[];
}

/**
 * The run as the rules see it. A pull_request_target run checks out the base branch, but its tags
 * must be the PR's (`refs/pull/<n>/merge`): a branch tag from an untrusted PR would overwrite it.
 */
export function normalizeFacts(facts: TagFacts): TagFacts {
  const isPr = facts.eventName.startsWith('pull_request');
  const ref = facts.eventName === 'pull_request_target' && facts.prNumber !== undefined ? `refs/pull/${facts.prNumber}/merge` : facts.ref;
  const sha = isPr && facts.usePrHeadSha && facts.prHeadSha ? facts.prHeadSha : facts.sha;
  return { ...facts, ref, sha };
}

export function shortSha(facts: TagFacts): string {
  return facts.sha.slice(0, facts.shortShaLength ?? 7);
}

const after = (ref: string, prefix: string) => (ref.startsWith(prefix) ? ref.slice(prefix.length) : '');

export function isDefaultBranch(facts: TagFacts): boolean {
  const branch = facts.ref.replace(/^refs\/heads\//, '');
  if (branch === '') return false;
  if (facts.defaultBranch === branch) return true;
  // These events always run on the default branch's last commit.
  return /create|discussion|issues|schedule/.test(facts.eventName);
}

function dateHelper(date: Date): Helper {
  return (format, options) => {
    for (const key of Object.keys(options))
      if (key !== 'tz') throw new ConfigurationError(`input "tags": {{date}} takes only tz=, got ${key}=`);
    return formatDate(format, date, options.tz ?? 'UTC');
  };
}

/** Renders `{{branch}}`, `{{tag}}`, `{{sha}}`, `{{base_ref}}`, `{{is_default_branch}}`, `{{date}}`, `{{commit_date}}`. */
export function renderGlobal(template: string, facts: TagFacts): string {
  return render(template, {
    branch: () => after(facts.ref, 'refs/heads/'),
    tag: () => after(facts.ref, 'refs/tags/'),
    sha: () => shortSha(facts),
    base_ref: () => {
      if (facts.ref.startsWith('refs/tags/') && facts.baseRef) return facts.baseRef.replace(/^refs\/heads\//, '');
      if (facts.ref.startsWith('refs/pull/') && facts.prBaseRef) return facts.prBaseRef;
      return '';
    },
    is_default_branch: () => String(isDefaultBranch(facts)),
    is_not_default_branch: () => String(!isDefaultBranch(facts)),
    date: dateHelper(facts.now),
    commit_date: dateHelper(facts.commitDate ?? facts.now),
  });
}

import type { RunEnvironment } from '../core/action.js';
import { readEventPayload } from '../github/event.js';
import type { Target } from '../providers/host.js';

interface EventPayload {
  repository?: { default_branch?: string; full_name?: string };
  pull_request?: {
    number: number;
    head?: { sha?: string; ref?: string; repo?: { full_name?: string } | null };
    base?: { repo?: { full_name?: string } };
  };
}

/** What the triggering event says about where this publish belongs. */
export interface PublishEvent {
  branch: string;
  sha: string;
  defaultBranch?: string;
  pullRequest?: number;
  /** A pull request from another repository: the runner gives it no secrets. */
  fromFork: boolean;
}

export function readEvent(env: RunEnvironment): PublishEvent {
  let payload: EventPayload;
  try {
    // A missing or unreadable payload: the ref and sha from the environment are all there is.
    payload = readEventPayload<EventPayload>(env.eventPath) ?? {};
  } catch {
    payload = {};
  }
  const pr = payload.pull_request;
  const headRepo = pr?.head?.repo?.full_name;
  const baseRepo = pr?.base?.repo?.full_name ?? payload.repository?.full_name;
  return {
    branch: pr?.head?.ref ?? env.ref.replace(/^refs\/(heads|tags)\//, ''),
    sha: pr?.head?.sha ?? env.sha,
    defaultBranch: payload.repository?.default_branch,
    pullRequest: pr?.number,
    fromFork: pr !== undefined && (headRepo === undefined || headRepo !== baseRepo),
  };
}

/** `auto`: production for a push to the default branch, preview for anything else (PRs, other branches, unknown). */
export function chooseTarget(environment: 'auto' | Target, event: PublishEvent): Target {
  if (environment !== 'auto') return environment;
  return event.pullRequest === undefined && event.defaultBranch !== undefined && event.branch === event.defaultBranch
    ? 'production'
    : 'preview';
}

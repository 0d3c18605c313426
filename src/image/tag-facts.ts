import type { RunContext } from '../core/action.js';
import { ConfigurationError } from '../core/errors.js';
import { readEventPayload } from '../github/event.js';
import type { TagFacts } from './tags.js';

/** The repository's tags, so latest=auto can tell a backport from the newest release; undefined when unknown. */
async function gitTags(ctx: RunContext): Promise<string[] | undefined> {
  if (!ctx.env.ref.startsWith('refs/tags/')) return undefined;
  const result = await ctx.exec.run(['git', '-C', ctx.env.workspace, 'tag', '--list']).catch(() => undefined);
  if (result?.exitCode !== 0) return undefined;
  const tags = result.stdout
    .split('\n')
    .map((t) => t.trim())
    .filter(Boolean);
  return tags.length > 0 ? tags : undefined;
}

/** Reads what the tag rules need from the event payload (PR number and head sha, default branch) and git. */
export async function tagFacts(ctx: RunContext, options: { prHeadSha: boolean; shortShaLength: string }): Promise<TagFacts> {
  if (!/^\d{1,2}$/.test(options.shortShaLength) || Number(options.shortShaLength) < 1)
    throw new ConfigurationError(`input "short-sha-length": expected a number from 1 to 40, got "${options.shortShaLength}"`);
  const facts: TagFacts = {
    eventName: ctx.env.eventName,
    ref: ctx.env.ref,
    sha: ctx.env.sha,
    now: new Date(ctx.clock.now()),
    gitTags: await gitTags(ctx),
    usePrHeadSha: options.prHeadSha,
    shortShaLength: Number(options.shortShaLength),
  };
  try {
    const payload = readEventPayload<{
      pull_request?: { number?: number; head?: { sha?: string }; base?: { ref?: string } };
      repository?: { default_branch?: string };
      base_ref?: string;
      head_commit?: { timestamp?: string };
    }>(ctx.env.eventPath);
    if (payload === undefined) return facts;
    facts.prNumber = payload.pull_request?.number;
    facts.prHeadSha = payload.pull_request?.head?.sha;
    facts.prBaseRef = payload.pull_request?.base?.ref;
    facts.baseRef = payload.base_ref ?? undefined;
    facts.defaultBranch = payload.repository?.default_branch;
    const committed = payload.head_commit?.timestamp ? new Date(payload.head_commit.timestamp) : undefined;
    if (committed && !Number.isNaN(committed.getTime())) facts.commitDate = committed;
  } catch {
    ctx.logger.warning(`could not read the event payload ${ctx.env.eventPath}; PR tags use the ref only`);
  }
  return facts;
}

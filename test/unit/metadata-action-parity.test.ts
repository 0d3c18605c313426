import { readFileSync } from 'node:fs';

import { describe, expect, it } from 'vitest';

import { imageRefs, parseFlavor, parseImages, planTags, type TagFacts } from '../../src/image/tags.js';

/** docker/metadata-action's own expectations (test/fixtures/metadata-action/README.md says how they were taken). */
interface PeerCase {
  id: string;
  context: {
    eventName: string;
    ref: string;
    sha: string;
    payload: {
      pullRequestNumber: number | null;
      pullRequestHeadSha: string | null;
      pullRequestBaseRef: string | null;
      repositoryDefaultBranch: string | null;
      baseRef: string | null;
    };
    repoDefaultBranch: string | null;
    now: string;
    env: Record<string, string>;
  };
  inputs: { images: string[]; tags: string[]; flavor: string[] };
  expected: { tags: string[]; imageTags: string[]; version?: { main?: string; partial: string[]; latest: boolean } };
}

const { cases } = JSON.parse(readFileSync(new URL('../fixtures/metadata-action/cases.json', import.meta.url), 'utf8')) as {
  cases: PeerCase[];
};

function factsOf({ context }: PeerCase): TagFacts {
  const now = new Date(context.now);
  return {
    eventName: context.eventName,
    ref: context.ref,
    sha: context.sha,
    now,
    // meta.test.ts mocks the clock for both {{date}} and {{commit_date}}.
    commitDate: now,
    prNumber: context.payload.pullRequestNumber ?? undefined,
    prHeadSha: context.payload.pullRequestHeadSha ?? undefined,
    usePrHeadSha: context.env.DOCKER_METADATA_PR_HEAD_SHA === 'true',
    prBaseRef: context.payload.pullRequestBaseRef ?? undefined,
    baseRef: context.payload.baseRef ?? undefined,
    defaultBranch: context.repoDefaultBranch ?? undefined,
  };
}

describe('docker/metadata-action parity', () => {
  it('has every case of the peer', () => {
    expect(cases).toHaveLength(131);
  });

  it.each(cases.map((c) => [c.id, c] as const))('%s', (_id, peer) => {
    const plan = planTags(peer.inputs.tags, parseFlavor(peer.inputs.flavor), factsOf(peer));
    expect(plan.tags).toEqual(peer.expected.tags);
    const repositories = parseImages(peer.inputs.images);
    expect(repositories.length > 0 ? imageRefs(repositories, plan.tags) : plan.tags).toEqual(peer.expected.imageTags);
    if (peer.expected.version) {
      expect({ main: plan.version || undefined, partial: plan.partial, latest: plan.latest }).toEqual(peer.expected.version);
    }
  });
});

import { describe, expect, it } from 'vitest';

import { ociLabels, parseKeyValues, serverUrlFromRunUrl } from '../../src/image/labels.js';
import { compareSemver, parseSemver } from '../../src/image/semver.js';
import { formatDate, imageRefs, normalizeRepository, parseFlavor, planTags, sanitizeTag, type TagFacts } from '../../src/image/tags.js';

const SHA = '860c1904a1ce19322e91ac35af1ab07466440c37';
const HEAD = 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678';
const now = new Date('2026-11-24T03:04:05Z');
const push = (ref: string): TagFacts => ({ eventName: 'push', ref, sha: SHA, now, defaultBranch: 'main' });
const pr: TagFacts = { eventName: 'pull_request', ref: 'refs/pull/42/merge', sha: SHA, prHeadSha: HEAD, prNumber: 42, now };
const schedule: TagFacts = { eventName: 'schedule', ref: 'refs/heads/main', sha: SHA, now };
const auto = parseFlavor([]);
const SEMVER3 = ['type=semver,pattern={{version}}', 'type=semver,pattern={{major}}.{{minor}}', 'type=semver,pattern={{major}}'];

describe('planTags (docker/metadata-action rules)', () => {
  it.each<[string, readonly string[], TagFacts, string[]]>([
    ['default rules on a branch', [], push('refs/heads/main'), ['main']],
    ['branch names with slashes are sanitised', ['type=ref,event=branch'], push('refs/heads/feature/Login#2'), ['feature-Login-2']],
    ['tag v1.2.3 → 1.2.3, 1.2, 1, latest', SEMVER3, push('refs/tags/v1.2.3'), ['1.2.3', '1.2', '1', 'latest']],
    ['a pre-release only gets its full version and no latest', SEMVER3, push('refs/tags/v2.0.0-rc.1'), ['2.0.0-rc.1']],
    ['semver rules do nothing on a branch', SEMVER3, push('refs/heads/main'), []],
    ['semver rules ignore tags that are not versions', SEMVER3, push('refs/tags/release-7'), []],
    ['{{raw}} keeps the v', ['type=semver,pattern={{raw}}'], push('refs/tags/v1.2.3'), ['v1.2.3', 'latest']],
    [
      'semver value= overrides the git tag',
      ['type=semver,pattern={{major}}.{{minor}},value=3.4.5'],
      push('refs/heads/main'),
      ['3.4', 'latest'],
    ],
    ['build metadata is sanitised', ['type=semver,pattern={{version}}'], push('refs/tags/v1.2.3+linux'), ['1.2.3-linux', 'latest']],
    ['ref,event=tag adds latest for a release tag', ['type=ref,event=tag'], push('refs/tags/v1.0.0'), ['v1.0.0', 'latest']],
    [
      'ref,event=tag adds latest for any git tag, as metadata-action',
      ['type=ref,event=tag'],
      push('refs/tags/release-7'),
      ['release-7', 'latest'],
    ],
    [
      'a pre-release with only partial patterns falls back to its full version',
      ['type=semver,pattern={{major}}'],
      push('refs/tags/v2.0.0-rc.1'),
      ['2.0.0-rc.1'],
    ],
    [
      'a backport below the newest release does not take latest',
      SEMVER3,
      { ...push('refs/tags/v1.9.1'), gitTags: ['v1.9.0', 'v1.9.1', 'v2.0.0', 'v3.0.0-rc.1'] },
      ['1.9.1', '1.9', '1'],
    ],
    [
      'the newest release takes latest (pre-releases above it do not count)',
      SEMVER3,
      { ...push('refs/tags/v2.0.0'), gitTags: ['v1.9.1', 'v2.0.0', 'v3.0.0-rc.1', 'nightly'] },
      ['2.0.0', '2.0', '2', 'latest'],
    ],
    ['pull request → pr-42', ['type=ref,event=pr'], pr, ['pr-42']],
    ['pr rule does nothing on push', ['type=ref,event=pr'], push('refs/heads/main'), []],
    ['sha short', ['type=sha'], push('refs/heads/main'), ['sha-860c190']],
    ['sha long', ['type=sha,format=long'], push('refs/heads/main'), [`sha-${SHA}`]],
    ['sha on a PR is the merge commit (GITHUB_SHA) by default', ['type=sha'], pr, ['sha-860c190']],
    ['sha on a PR is the head sha with pr-head-sha', ['type=sha'], { ...pr, usePrHeadSha: true }, ['sha-a1b2c3d']],
    [
      'pull_request_target tags the PR, never the base branch',
      ['type=ref,event=branch', 'type=ref,event=pr'],
      { ...pr, eventName: 'pull_request_target', ref: 'refs/heads/main' },
      ['pr-42'],
    ],
    [
      'short-sha-length',
      ['type=sha', 'type=raw,x-{{sha}}'],
      { ...push('refs/heads/main'), shortShaLength: 12 },
      ['x-860c1904a1ce', 'sha-860c1904a1ce'],
    ],
    [
      '{{date}} in a time zone, moment tokens and [literals]',
      ["type=raw,{{date 'YYYY-MM-DD[T]HH:mm Z ddd Do MMM' tz='America/New_York'}}"],
      push('refs/heads/main'),
      ['2026-11-23T22-04--05-00-Mon-23rd-Nov'],
    ],
    ['sha with custom prefix', ['type=sha,prefix=git-,suffix=-x'], push('refs/heads/main'), ['git-860c190-x']],
    ['raw value', ['type=raw,value=stable'], push('refs/heads/main'), ['stable']],
    ['a bare line is raw', ['edge'], push('refs/heads/main'), ['edge']],
    ['raw with enable=false', ['type=raw,value=stable,enable=false', 'type=raw,value=kept'], push('refs/heads/main'), ['kept']],
    ['raw enabled on the default branch only', ['type=raw,value=stable,enable={{is_default_branch}}'], push('refs/heads/dev'), []],
    ['raw enabled on the default branch', ['type=raw,value=stable,enable={{is_default_branch}}'], push('refs/heads/main'), ['stable']],
    ['schedule default pattern', ['type=schedule'], schedule, ['nightly']],
    ['schedule with date', ["type=schedule,pattern=nightly-{{date 'YYYYMMDD'}}"], schedule, ['nightly-20261124']],
    ['schedule does nothing on push', ['type=schedule'], push('refs/heads/main'), []],
    [
      'priorities order the tags; equal priorities keep their order',
      ['type=sha', 'type=raw,value=edge', 'type=ref,event=branch', 'type=raw,value=first,priority=2000'],
      push('refs/heads/main'),
      ['first', 'main', 'edge', 'sha-860c190'],
    ],
    ['duplicates are dropped', ['type=raw,value=main', 'type=ref,event=branch'], push('refs/heads/main'), ['main']],
    ['invalid characters and leading dots', ['type=raw,value=.Hello World!'], push('refs/heads/main'), ['Hello-World-']],
    ['a tag is cut to 128 characters', [`type=raw,value=${'a'.repeat(200)}`], push('refs/heads/main'), ['a'.repeat(128)]],
  ])('%s', (_name, rules, facts, expected) => {
    expect(planTags(rules, auto, facts).tags).toEqual(expected);
  });

  it('flavor latest=false never adds latest, latest=true always does, prefix/suffix wrap every tag but latest', () => {
    expect(planTags(SEMVER3, parseFlavor(['latest=false']), push('refs/tags/v1.2.3')).tags).toEqual(['1.2.3', '1.2', '1']);
    expect(planTags(['type=ref,event=branch'], parseFlavor(['latest=true']), push('refs/heads/main')).tags).toEqual(['main', 'latest']);
    expect(planTags(['type=ref,event=branch'], parseFlavor(['prefix=app-', 'suffix=-slim']), push('refs/heads/main')).tags).toEqual([
      'app-main-slim',
    ]);
  });

  it('version is the highest-priority tag', () => {
    expect(planTags(['type=sha', ...SEMVER3], auto, push('refs/tags/v1.2.3')).version).toBe('1.2.3');
    expect(planTags(['type=sha'], auto, push('refs/heads/main')).version).toBe('sha-860c190');
  });

  it.each([
    ['type=nope', /unknown type=nope/],
    ['type=ref', /event=branch, tag or pr/],
    ['type=semver', /needs a pattern/],
    ['type=raw', /needs a value/],
    ['type=sha,format=medium', /short or long/],
    ['type=raw,value=x,enable=maybe', /enable must be/],
    ['type=raw,value=x,priority=high', /priority/],
    ['type=sha,value=x', /does not take "value"/],
  ])('rejects %s naming the input', (rule, message) => {
    expect(() => planTags([rule], auto, push('refs/heads/main'))).toThrow(message);
    expect(() => planTags([rule], auto, push('refs/heads/main'))).toThrow(/input "tags"/);
  });

  it('rejects an unknown flavor', () => {
    expect(() => parseFlavor(['latest=sometimes'])).toThrow(/input "flavor"/);
    expect(() => parseFlavor(['onlatest=true'])).toThrow(/input "flavor"/);
  });
});

describe('names', () => {
  it.each([
    ['', undefined],
    ['---', undefined],
    ['v1.2.3', 'v1.2.3'],
    ['a/b:c', 'a-b-c'],
    ['_ok', '_ok'],
  ])('sanitizeTag(%j) = %j', (input, expected) => expect(sanitizeTag(input)).toBe(expected));

  it('lower-cases repositories and refuses tags or digests in them', () => {
    expect(normalizeRepository('GHCR.io/Acme/Shop')).toBe('ghcr.io/acme/shop');
    expect(normalizeRepository('127.0.0.1:5000/acme/shop')).toBe('127.0.0.1:5000/acme/shop');
    expect(() => normalizeRepository('ghcr.io/acme/shop:v1')).toThrow(/input "images"/);
    expect(() => normalizeRepository('ghcr.io/acme/shop@sha256:00')).toThrow(/input "images"/);
    expect(() => normalizeRepository('acme shop')).toThrow(/input "images"/);
  });

  it('pairs every repository with every tag', () => {
    expect(imageRefs(['a/x', 'b/x'], ['1', 'latest'])).toEqual(['a/x:1', 'a/x:latest', 'b/x:1', 'b/x:latest']);
  });

  it.each([
    ['1.0.0', '2.0.0', -1],
    ['1.10.0', '1.9.0', 1],
    ['1.0.0-alpha', '1.0.0', -1],
    ['1.0.0-alpha.1', '1.0.0-alpha', 1],
    ['1.0.0-alpha.beta', '1.0.0-alpha.1', 1],
    ['1.0.0-beta.11', '1.0.0-beta.2', 1],
    ['1.0.0-rc.1', '1.0.0-beta.11', 1],
    ['1.0.0+a', '1.0.0+b', 0],
  ])('compareSemver(%s, %s) has sign %i', (a, b, sign) => {
    expect(Math.sign(compareSemver(parseSemver(a)!, parseSemver(b)!))).toBe(sign);
  });

  it('parses semver like semver.clean', () => {
    expect(parseSemver('v1.2.3')).toMatchObject({ version: '1.2.3', major: 1, minor: 2, patch: 3, prerelease: undefined });
    expect(parseSemver('1.2.3-rc.1')).toMatchObject({ version: '1.2.3-rc.1', prerelease: 'rc.1' });
    expect(parseSemver('1.2')).toBeUndefined();
    expect(parseSemver('01.2.3')).toBeUndefined();
  });

  it('formats dates in UTC', () => {
    expect(formatDate('YYYYMMDD-HHmmss', now)).toBe('20261124-030405');
  });
});

describe('OCI labels', () => {
  it('sets source, revision, created, version and title; user labels win', () => {
    const labels = ociLabels({ repository: 'acme/shop', serverUrl: 'https://github.com', sha: SHA, version: '1.2.3', created: now }, [
      'org.opencontainers.image.title=Shop',
      'team=web=1',
    ]);
    expect(labels).toMatchObject({
      'org.opencontainers.image.source': 'https://github.com/acme/shop',
      'org.opencontainers.image.revision': SHA,
      'org.opencontainers.image.created': '2026-11-24T03:04:05.000Z',
      'org.opencontainers.image.version': '1.2.3',
      'org.opencontainers.image.title': 'Shop',
      team: 'web=1',
    });
  });

  it('reads the server from the run URL (GHES)', () => {
    expect(serverUrlFromRunUrl('https://ghe.example.com/acme/shop/actions/runs/9', 'acme/shop')).toBe('https://ghe.example.com');
    expect(serverUrlFromRunUrl('cli run by bob', 'acme/shop')).toBe('https://github.com');
  });

  it('never prints a malformed secret line', () => {
    expect(() => parseKeyValues('secrets', ['hunter2-token'])).toThrow(/entry 1 has no KEY=/);
    expect(() => parseKeyValues('secrets', ['hunter2-token'])).not.toThrow(/hunter2/);
  });
});

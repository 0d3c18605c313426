import { ConfigurationError } from '../../core/errors.js';
import { compareSemver, parseSemver, type Semver } from '../semver.js';
import { normalizeFacts, renderGlobal, shortSha, type TagFacts } from './context.js';
import { isRawStatement, render } from './expressions.js';
import type { Flavor } from './flavor.js';
import { parsePep440 } from './pep440.js';
import { parseRules, type TagRule } from './rules.js';
import { sanitizeTag } from './sanitize.js';

export interface TagPlan {
  /** Tag names: main, partial..., then latest. */
  tags: string[];
  /** The main (highest priority) tag: metadata-action's `version`; empty when no rule applied. */
  version: string;
  partial: string[];
  latest: boolean;
}

/** What one rule yields: the tag before the rule's prefix/suffix, and whether it may carry latest under latest=auto. */
interface Yield {
  value: string;
  autoLatest: boolean;
}

const after = (ref: string, prefix: string) => (ref.startsWith(prefix) ? ref.slice(prefix.length) : undefined);

/** The version text a semver/pep440/match rule reads: its value=, or the git tag. */
function versionSource(rule: TagRule, facts: TagFacts): string | undefined {
  if (rule.attrs.value) return renderGlobal(rule.attrs.value, facts);
  return after(facts.ref, 'refs/tags/');
}

function matched(text: string, pattern: string | undefined): string {
  if (!pattern) return text;
  return new RegExp(pattern).exec(text)?.[1] ?? text;
}

function semverYield(rule: TagRule, facts: TagFacts): Yield | undefined {
  const source = versionSource(rule, facts);
  if (source === undefined) return undefined;
  const version = parseSemver(matched(source, rule.attrs.match).replace(/\//g, '-'));
  if (!version) return undefined;
  const fields = (v: Semver) => ({
    raw: () => v.raw,
    version: () => v.version,
    major: () => String(v.major),
    minor: () => String(v.minor),
    patch: () => String(v.patch),
    prerelease: () => v.prerelease ?? '',
    build: () => v.build ?? '',
  });
  // A pre-release gets its full version only, so 1.2 and 1 keep pointing at a release.
  const pattern = version.prerelease && !isRawStatement(rule.attrs.pattern!) ? '{{version}}' : rule.attrs.pattern!;
  return { value: render(pattern, fields(version)), autoLatest: !version.prerelease };
}

function pep440Yield(rule: TagRule, facts: TagFacts): Yield | undefined {
  const source = versionSource(rule, facts);
  if (source === undefined) return undefined;
  const raw = matched(source, rule.attrs.match).replace(/\//g, '-');
  const version = parsePep440(raw);
  if (!version) return undefined;
  if (version.unstable) return { value: isRawStatement(rule.attrs.pattern!) ? raw : version.version, autoLatest: false };
  const value = render(rule.attrs.pattern!, {
    raw: () => raw,
    version: () => version.version,
    major: () => String(version.major),
    minor: () => String(version.minor),
    patch: () => String(version.patch),
  });
  return { value, autoLatest: true };
}

function matchYield(rule: TagRule, facts: TagFacts): Yield | undefined {
  const source = versionSource(rule, facts);
  if (source === undefined) return undefined;
  const pattern = rule.attrs.pattern!;
  const literal = /^\/(.+)\/(.*)$/.exec(pattern);
  let regex: RegExp;
  try {
    regex = literal ? new RegExp(literal[1]!, literal[2]) : new RegExp(pattern);
  } catch {
    throw new ConfigurationError(`input "tags": type=match pattern is not a regular expression: ${pattern}`);
  }
  const group = source.match(regex)?.[Number(rule.attrs.group)];
  return group === undefined ? undefined : { value: group, autoLatest: true };
}

function ruleYield(rule: TagRule, facts: TagFacts): Yield | undefined {
  const branch = after(facts.ref, 'refs/heads/');
  switch (rule.type) {
    case 'schedule':
      return facts.eventName.includes('schedule') ? { value: renderGlobal(rule.attrs.pattern!, facts), autoLatest: false } : undefined;
    case 'semver':
      return semverYield(rule, facts);
    case 'pep440':
      return pep440Yield(rule, facts);
    case 'match':
      return matchYield(rule, facts);
    case 'edge':
      return branch !== undefined && branch === (rule.attrs.branch || facts.defaultBranch)
        ? { value: 'edge', autoLatest: false }
        : undefined;
    case 'ref': {
      if (rule.attrs.event === 'branch') return branch === undefined ? undefined : { value: branch, autoLatest: false };
      if (rule.attrs.event === 'tag') {
        const tag = after(facts.ref, 'refs/tags/');
        return tag === undefined ? undefined : { value: tag, autoLatest: true };
      }
      const pr = after(facts.ref, 'refs/pull/');
      return pr === undefined ? undefined : { value: pr.replace(/\/merge$/, ''), autoLatest: false };
    }
    case 'raw':
      return { value: renderGlobal(rule.attrs.value!, facts), autoLatest: false };
    case 'sha':
      return facts.sha ? { value: rule.attrs.format === 'long' ? facts.sha : shortSha(facts), autoLatest: false } : undefined;
  }
}

/** A rule's own prefix/suffix (the implicit `pr-`/`sha-` included) replaces the flavor's. */
function wrap(value: string, rule: TagRule, flavor: Flavor, facts: TagFacts): string {
  const prefix = Object.hasOwn(rule.attrs, 'prefix') ? rule.attrs.prefix! : flavor.prefix;
  const suffix = Object.hasOwn(rule.attrs, 'suffix') ? rule.attrs.suffix! : flavor.suffix;
  return `${renderGlobal(prefix, facts)}${value}${renderGlobal(suffix, facts)}`;
}

function enabled(rule: TagRule, facts: TagFacts): boolean {
  const value = renderGlobal(rule.attrs.enable ?? 'true', facts).trim();
  if (value !== 'true' && value !== 'false')
    throw new ConfigurationError(`input "tags": enable must be true, false or {{is_default_branch}}, got "${rule.attrs.enable}"`);
  return value === 'true';
}

/** A backport (a release below the newest git tag) does not move latest. */
function isBackport(facts: TagFacts): boolean {
  const current = parseSemver(after(facts.ref, 'refs/tags/') ?? '');
  if (!current || !facts.gitTags) return false;
  return facts.gitTags.map(parseSemver).some((other) => other && !other.prerelease && compareSemver(other, current) > 0);
}

/**
 * metadata-action's tag planning: rules by priority; the first tag produced is the main version
 * and also decides latest (under latest=auto: a git tag, a match or a release version); the rest
 * are partial tags, de-duplicated, each sanitised to the tag grammar.
 */
export function planTags(ruleLines: readonly string[], flavor: Flavor, runFacts: TagFacts): TagPlan {
  const facts = normalizeFacts(runFacts);
  const rules = parseRules(ruleLines);
  const tags: string[] = [];
  let latest: boolean | undefined;
  for (const rule of rules) {
    if (!enabled(rule, facts)) continue;
    const yielded = ruleYield(rule, facts);
    if (!yielded) continue;
    const tag = sanitizeTag(wrap(yielded.value, rule, flavor, facts));
    if (tag === undefined) continue;
    if (!tags.includes(tag)) tags.push(tag);
    latest ??= flavor.latest === 'auto' ? yielded.autoLatest && !isBackport(facts) : flavor.latest === 'true';
  }
  const [main = '', ...partial] = tags;
  const withLatest = latest === true && tags.length > 0;
  if (withLatest) {
    const latestTag = sanitizeTag(`${flavor.prefixLatest ? flavor.prefix : ''}latest${flavor.suffixLatest ? flavor.suffix : ''}`)!;
    if (!tags.includes(latestTag)) tags.push(latestTag);
  }
  return { tags, version: main, partial, latest: withLatest };
}

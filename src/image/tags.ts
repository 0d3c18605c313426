import { ConfigurationError } from '../core/errors.js';
import { compareSemver, parseSemver, type Semver } from './semver.js';

/**
 * Tag rules compatible with docker/metadata-action (`type=ref|semver|sha|raw|schedule`), as pure
 * functions of the run's facts, so every case is a row in a table test.
 */

export type RuleType = 'schedule' | 'semver' | 'ref' | 'raw' | 'sha';

export interface TagRule {
  type: RuleType;
  /** ref: branch | tag | pr. */
  event?: 'branch' | 'tag' | 'pr';
  /** semver / schedule pattern. */
  pattern?: string;
  /** raw: the tag; semver: the version to use instead of the git tag. */
  value?: string;
  /** sha: short (7 characters) or long. */
  format?: 'short' | 'long';
  prefix: string;
  suffix: string;
  enable: boolean;
  priority: number;
}

export interface Flavor {
  latest: 'auto' | 'true' | 'false';
  prefix: string;
  suffix: string;
}

/** What the rules read: the run's ref, sha and event, and the clock for schedule tags. */
export interface TagFacts {
  eventName: string;
  ref: string;
  sha: string;
  /** The PR's head sha (pull_request.head.sha in the event payload), used instead of the merge sha. */
  prHeadSha?: string;
  prNumber?: number;
  defaultBranch?: string;
  now: Date;
  /**
   * The repository's git tags, when known: latest=auto then also requires this version to be the
   * highest release among them, so a backport (v1.9.1 after v2.0.0) does not move latest.
   */
  gitTags?: readonly string[];
}

export interface TagPlan {
  /** Tag names, highest priority first, without repository. */
  tags: string[];
  /** The first (highest priority) tag: metadata-action's `version`. */
  version: string;
}

const DEFAULT_PRIORITY: Record<RuleType, number> = { schedule: 1000, semver: 900, ref: 600, raw: 200, sha: 100 };

const KEYS: Record<RuleType, readonly string[]> = {
  schedule: ['pattern'],
  semver: ['pattern', 'value'],
  ref: ['event'],
  raw: ['value'],
  sha: ['format'],
};

/** Splits `a=1,b=2`, keeping `{{date 'YYYY,MM'}}` whole (metadata-action uses a CSV parser with quotes). */
function splitAttributes(line: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quote = '';
  let current = '';
  for (const ch of line) {
    if (quote) {
      if (ch === quote) quote = '';
    } else if (ch === "'" || ch === '"') quote = ch;
    else if (ch === '{') depth += 1;
    else if (ch === '}') depth -= 1;
    if (ch === ',' && depth === 0 && !quote) {
      parts.push(current.trim());
      current = '';
    } else current += ch;
  }
  if (current.trim() !== '') parts.push(current.trim());
  return parts;
}

function evaluateEnable(value: string, facts: TagFacts): boolean {
  const v = value.trim();
  if (v === 'true') return true;
  if (v === 'false') return false;
  if (v === '{{is_default_branch}}') return facts.defaultBranch !== undefined && facts.ref === `refs/heads/${facts.defaultBranch}`;
  if (v === '{{is_not_default_branch}}') return !(facts.defaultBranch !== undefined && facts.ref === `refs/heads/${facts.defaultBranch}`);
  throw new ConfigurationError(`input "tags": enable must be true, false or {{is_default_branch}}, got "${v}"`);
}

/** Parses one `type=...,key=value` line of the `tags` input. A bare value is `type=raw,value=<it>`. */
function parseRule(line: string, facts: TagFacts): TagRule {
  const attributes = new Map<string, string>();
  const parts = splitAttributes(line);
  if (parts.length === 1 && !parts[0]!.includes('=')) return parseRule(`type=raw,value=${parts[0]}`, facts);
  for (const part of parts) {
    const eq = part.indexOf('=');
    if (eq <= 0) throw new ConfigurationError(`input "tags": expected key=value in "${line}", got "${part}"`);
    attributes.set(part.slice(0, eq).trim().toLowerCase(), part.slice(eq + 1).trim());
  }
  const type = attributes.get('type') as RuleType | undefined;
  if (!type || !(type in DEFAULT_PRIORITY)) {
    throw new ConfigurationError(`input "tags": expected type=schedule, semver, ref, raw or sha in "${line}"`);
  }
  const allowed = new Set(['type', 'prefix', 'suffix', 'enable', 'priority', ...KEYS[type]]);
  for (const key of attributes.keys()) {
    if (!allowed.has(key))
      throw new ConfigurationError(`input "tags": type=${type} does not take "${key}" (it takes ${[...allowed].join(', ')})`);
  }
  const priorityText = attributes.get('priority');
  if (priorityText !== undefined && !/^\d+$/.test(priorityText))
    throw new ConfigurationError(`input "tags": priority must be a whole number in "${line}"`);
  const rule: TagRule = {
    type,
    prefix: attributes.get('prefix') ?? (type === 'sha' ? 'sha-' : type === 'ref' && attributes.get('event') === 'pr' ? 'pr-' : ''),
    suffix: attributes.get('suffix') ?? '',
    enable: evaluateEnable(attributes.get('enable') ?? 'true', facts),
    priority: priorityText === undefined ? DEFAULT_PRIORITY[type] : Number(priorityText),
  };
  if (type === 'ref') {
    const event = attributes.get('event');
    if (event !== 'branch' && event !== 'tag' && event !== 'pr')
      throw new ConfigurationError(`input "tags": type=ref needs event=branch, tag or pr in "${line}"`);
    rule.event = event;
  }
  if (type === 'semver') {
    rule.pattern = attributes.get('pattern');
    if (!rule.pattern) throw new ConfigurationError(`input "tags": type=semver needs a pattern such as {{version}} in "${line}"`);
    rule.value = attributes.get('value');
  }
  if (type === 'schedule') rule.pattern = attributes.get('pattern') ?? 'nightly';
  if (type === 'raw') {
    rule.value = attributes.get('value');
    if (rule.value === undefined || rule.value === '') throw new ConfigurationError(`input "tags": type=raw needs a value in "${line}"`);
  }
  if (type === 'sha') {
    const format = attributes.get('format') ?? 'short';
    if (format !== 'short' && format !== 'long')
      throw new ConfigurationError(`input "tags": type=sha format must be short or long in "${line}"`);
    rule.format = format;
  }
  return rule;
}

export function parseFlavor(lines: readonly string[]): Flavor {
  const flavor: Flavor = { latest: 'auto', prefix: '', suffix: '' };
  for (const line of lines) {
    const eq = line.indexOf('=');
    const key = eq > 0 ? line.slice(0, eq).trim() : '';
    const value = eq > 0 ? line.slice(eq + 1).trim() : '';
    if (key === 'latest') {
      if (value !== 'auto' && value !== 'true' && value !== 'false')
        throw new ConfigurationError(`input "flavor": latest must be auto, true or false, got "${value}"`);
      flavor.latest = value;
    } else if (key === 'prefix' || key === 'suffix') flavor[key] = value;
    else throw new ConfigurationError(`input "flavor": expected latest=, prefix= or suffix=, got "${line}"`);
  }
  return flavor;
}

/** Replaces what the tag grammar `[\w][\w.-]{0,127}` rejects with `-`, like metadata-action; undefined when nothing is left. */
export function sanitizeTag(raw: string): string | undefined {
  const tag = raw
    .replace(/[^\w.-]+/g, '-')
    .replace(/^[.-]+/, '')
    .slice(0, 128);
  return tag === '' ? undefined : tag;
}

/** The subset of moment.js date tokens metadata-action's `{{date '...'}}` uses, in UTC. */
export function formatDate(format: string, date: Date): string {
  const pad = (n: number, width = 2) => String(n).padStart(width, '0');
  const tokens: Record<string, string> = {
    YYYY: String(date.getUTCFullYear()),
    YY: pad(date.getUTCFullYear() % 100),
    MM: pad(date.getUTCMonth() + 1),
    DD: pad(date.getUTCDate()),
    HH: pad(date.getUTCHours()),
    mm: pad(date.getUTCMinutes()),
    ss: pad(date.getUTCSeconds()),
  };
  return format.replace(/YYYY|YY|MM|DD|HH|mm|ss/g, (t) => tokens[t]!);
}

function expandDate(pattern: string, now: Date): string {
  return pattern.replace(/\{\{\s*date\s+'([^']*)'\s*\}\}/g, (_, format: string) => formatDate(format, now));
}

function expandSemver(pattern: string, version: Semver): string {
  return pattern
    .replace(/\{\{\s*raw\s*\}\}/g, version.raw)
    .replace(/\{\{\s*version\s*\}\}/g, version.version)
    .replace(/\{\{\s*major\s*\}\}/g, String(version.major))
    .replace(/\{\{\s*minor\s*\}\}/g, String(version.minor))
    .replace(/\{\{\s*patch\s*\}\}/g, String(version.patch));
}

function refName(ref: string, prefix: string): string | undefined {
  return ref.startsWith(prefix) ? ref.slice(prefix.length) : undefined;
}

interface Candidate {
  value: string;
  priority: number;
  /** A release version that may carry `latest` under latest=auto. */
  release?: Semver;
}

/** The tag one rule yields for these facts, or nothing when the rule does not apply to this event. */
function evaluateRule(rule: TagRule, facts: TagFacts): Candidate | undefined {
  if (!rule.enable) return undefined;
  const wrap = (value: string, release?: Semver): Candidate => ({
    value: `${rule.prefix}${value}${rule.suffix}`,
    priority: rule.priority,
    release,
  });
  switch (rule.type) {
    case 'schedule':
      return facts.eventName === 'schedule' ? wrap(expandDate(rule.pattern!, facts.now)) : undefined;
    case 'semver': {
      const source = rule.value ?? refName(facts.ref, 'refs/tags/');
      const version = source === undefined ? undefined : parseSemver(source);
      if (!version) return undefined;
      // Pre-releases only get the full version: 1.2 and 1 must keep pointing at a release.
      if (version.prerelease && !/\{\{\s*(version|raw)\s*\}\}/.test(rule.pattern!)) return undefined;
      return wrap(expandSemver(rule.pattern!, version), version.prerelease ? undefined : version);
    }
    case 'ref': {
      if (rule.event === 'branch') {
        const branch = refName(facts.ref, 'refs/heads/');
        return branch === undefined ? undefined : wrap(branch);
      }
      if (rule.event === 'tag') {
        const tag = refName(facts.ref, 'refs/tags/');
        if (tag === undefined) return undefined;
        const version = parseSemver(tag);
        return wrap(tag, version && !version.prerelease ? version : undefined);
      }
      const pr = facts.prNumber ?? Number(/^refs\/pull\/(\d+)\//.exec(facts.ref)?.[1] ?? NaN);
      return Number.isNaN(pr) || !facts.eventName.startsWith('pull_request') ? undefined : wrap(String(pr));
    }
    case 'raw':
      return wrap(expandDate(rule.value!, facts.now));
    case 'sha': {
      const sha = (facts.eventName.startsWith('pull_request') && facts.prHeadSha) || facts.sha;
      if (!sha) return undefined;
      return wrap(rule.format === 'long' ? sha : sha.slice(0, 7));
    }
  }
}

function isHighestRelease(version: Semver, gitTags: readonly string[] | undefined): boolean {
  if (!gitTags) return true;
  return gitTags.map(parseSemver).every((other) => !other || other.prerelease !== undefined || compareSemver(version, other) >= 0);
}

/** Default rules when `tags` is empty, as metadata-action: schedule, branch, tag, pr. */
const DEFAULT_RULES = ['type=schedule', 'type=ref,event=branch', 'type=ref,event=tag', 'type=ref,event=pr'];

/**
 * Evaluates the rules: candidates sorted by priority (stable), flavor prefix/suffix applied,
 * sanitised to the tag grammar, de-duplicated; `latest` added under latest=auto only when a
 * release version (no pre-release part) produced a tag and no git tag names a higher release.
 */
export function planTags(ruleLines: readonly string[], flavor: Flavor, facts: TagFacts): TagPlan {
  const rules = (ruleLines.length > 0 ? ruleLines : DEFAULT_RULES).map((line) => parseRule(line, facts));
  const candidates = rules
    .map((rule) => evaluateRule(rule, facts))
    .filter((c): c is Candidate => c !== undefined)
    .sort((a, b) => b.priority - a.priority);
  const tags: string[] = [];
  const add = (value: string) => {
    const tag = sanitizeTag(value);
    if (tag !== undefined && !tags.includes(tag)) tags.push(tag);
  };
  for (const c of candidates) add(`${flavor.prefix}${c.value}${flavor.suffix}`);
  const latest =
    flavor.latest === 'true' ||
    (flavor.latest === 'auto' && candidates.some((c) => c.release && isHighestRelease(c.release, facts.gitTags)));
  if (latest && tags.length > 0) add('latest');
  return { tags, version: tags[0] ?? '' };
}

/** Lower-cases a repository reference (registry host included) and rejects what cannot be one. */
export function normalizeRepository(image: string): string {
  const repo = image.trim().toLowerCase();
  if (!/^[a-z0-9]+(?:[._-][a-z0-9]+)*(?::\d+)?(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/.test(repo) || repo.includes('@')) {
    throw new ConfigurationError(`input "images": expected repositories such as ghcr.io/owner/app (no tag), got ${JSON.stringify(image)}`);
  }
  return repo;
}

/** Every repository × tag, as `repo:tag`. */
export function imageRefs(repositories: readonly string[], tags: readonly string[]): string[] {
  return repositories.flatMap((repo) => tags.map((tag) => `${repo}:${tag}`));
}

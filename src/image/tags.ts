import { ConfigurationError } from '../core/errors.js';
import { splitFields } from './tags/rules.js';

/**
 * Tag rules compatible with docker/metadata-action (`type=schedule|semver|pep440|match|edge|ref|raw|sha`,
 * `flavor`, `{{…}}` expressions), as pure functions of the run's facts; the parts live in ./tags/.
 */
export type { TagFacts } from './tags/context.js';
export { formatDate } from './tags/dates.js';
export { type Flavor, parseFlavor } from './tags/flavor.js';
export { planTags, type TagPlan } from './tags/plan.js';
export { parseRule, type RuleType, type TagRule } from './tags/rules.js';
export { sanitizeTag } from './tags/sanitize.js';

/** Lower-cases a repository reference (registry host included) and rejects what cannot be one. */
export function normalizeRepository(image: string): string {
  const repo = image.trim().toLowerCase();
  if (!/^[a-z0-9]+(?:[._-][a-z0-9]+)*(?::\d+)?(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/.test(repo) || repo.includes('@')) {
    throw new ConfigurationError(`input "images": expected repositories such as ghcr.io/owner/app (no tag), got ${JSON.stringify(image)}`);
  }
  return repo;
}

/**
 * The `images` input as metadata-action reads it: one line of comma-separated names, or lines of
 * `name=…,enable=true|false` (a bare field is the name). Returns the enabled repositories.
 */
export function parseImages(lines: readonly string[]): string[] {
  const rows = lines.map(splitFields);
  if (rows.length === 1 && rows[0]!.every((field) => !field.includes('='))) return rows[0]!.map(normalizeRepository);
  const repositories: string[] = [];
  for (const [index, fields] of rows.entries()) {
    let name = '';
    let enable = true;
    for (const field of fields) {
      const eq = field.indexOf('=');
      const key = eq > 0 ? field.slice(0, eq).trim().toLowerCase() : '';
      const value = field.slice(eq + 1).trim();
      if (eq <= 0 || key === 'name') name = value;
      else if (key === 'enable' && (value === 'true' || value === 'false')) enable = value === 'true';
      else throw new ConfigurationError(`input "images": line ${index + 1}: expected name=… and enable=true|false, got "${field}"`);
    }
    if (name === '') throw new ConfigurationError(`input "images": line ${index + 1} names no repository`);
    if (enable) repositories.push(normalizeRepository(name));
  }
  return repositories;
}

/** Every repository × tag, as `repo:tag`. */
export function imageRefs(repositories: readonly string[], tags: readonly string[]): string[] {
  return repositories.flatMap((repo) => tags.map((tag) => `${repo}:${tag}`));
}

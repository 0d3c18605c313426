import { ConfigurationError } from '../../core/errors.js';

/** One line of the `tags` input, parsed as metadata-action does (`type=…,key=value`, a bare field is the value). */
export type RuleType = 'schedule' | 'semver' | 'pep440' | 'match' | 'edge' | 'ref' | 'raw' | 'sha';

export interface TagRule {
  type: RuleType;
  /** Attributes as written; prefix/suffix are present only when the line (or the type's default) sets them. */
  attrs: Record<string, string>;
  priority: number;
}

const DEFAULT_PRIORITY: Record<RuleType, number> = {
  schedule: 1000,
  semver: 900,
  pep440: 900,
  match: 800,
  edge: 700,
  ref: 600,
  raw: 200,
  sha: 100,
};

const KEYS: Record<RuleType, readonly string[]> = {
  schedule: ['pattern'],
  semver: ['pattern', 'value', 'match'],
  pep440: ['pattern', 'value', 'match'],
  match: ['pattern', 'group', 'value'],
  edge: ['branch'],
  ref: ['event'],
  raw: ['value'],
  sha: ['format'],
};

/** Default rules when `tags` is empty, as metadata-action: schedule, branch, tag, pr. */
export const DEFAULT_RULES = ['type=schedule', 'type=ref,event=branch', 'type=ref,event=tag', 'type=ref,event=pr'];

/**
 * Splits a CSV line: a field wholly in double quotes may hold commas (`"pattern=\d{1,2}"`), and
 * commas inside `{{…}}` never split (so `{{date 'YYYY,MM'}}` needs no quotes).
 */
export function splitFields(line: string): string[] {
  const fields: string[] = [];
  let i = 0;
  while (i <= line.length) {
    let field = '';
    while (line[i] === ' ') i += 1;
    if (line[i] === '"') {
      i += 1;
      while (i < line.length && !(line[i] === '"' && line[i + 1] !== '"')) {
        field += line[i];
        i += line[i] === '"' ? 2 : 1;
      }
      i += 1;
      while (i < line.length && line[i] !== ',') field += line[i++];
    } else {
      let depth = 0;
      while (i < line.length && (line[i] !== ',' || depth > 0)) {
        if (line.startsWith('{{', i)) depth += 1;
        if (line.startsWith('}}', i)) depth = Math.max(0, depth - 1);
        field += line[i++];
      }
    }
    fields.push(field.trim());
    i += 1;
  }
  return fields.filter((f) => f !== '');
}

function need(rule: TagRule, key: string, line: string, what: string): void {
  if (!Object.hasOwn(rule.attrs, key)) throw new ConfigurationError(`input "tags": type=${rule.type} needs ${what} in "${line}"`);
}

export function parseRule(line: string): TagRule {
  const attrs: Record<string, string> = {};
  let type: RuleType = 'raw';
  for (const field of splitFields(line)) {
    const eq = field.indexOf('=');
    // `type=raw,{{date 'x' tz='UTC'}}`: a field whose "key" is not a word is a bare value.
    if (eq <= 0 || !/^\s*[a-z][\w-]*\s*$/i.test(field.slice(0, eq))) {
      attrs.value = field;
      continue;
    }
    const key = field.slice(0, eq).trim().toLowerCase();
    const value = field.slice(eq + 1).trim();
    if (key !== 'type') attrs[key] = value;
    else if (value in DEFAULT_PRIORITY) type = value as RuleType;
    else
      throw new ConfigurationError(`input "tags": unknown type=${value} in "${line}" (known: ${Object.keys(DEFAULT_PRIORITY).join(', ')})`);
  }
  const allowed = new Set(['prefix', 'suffix', 'enable', 'priority', ...KEYS[type]]);
  for (const key of Object.keys(attrs)) {
    if (!allowed.has(key))
      throw new ConfigurationError(`input "tags": type=${type} does not take "${key}" (it takes type, ${[...allowed].join(', ')})`);
  }
  const priorityText = attrs.priority;
  if (priorityText !== undefined && !/^\d+$/.test(priorityText))
    throw new ConfigurationError(`input "tags": priority must be a whole number in "${line}"`);
  const rule: TagRule = { type, attrs, priority: priorityText === undefined ? DEFAULT_PRIORITY[type] : Number(priorityText) };
  switch (type) {
    case 'schedule':
      attrs.pattern ??= 'nightly';
      break;
    case 'semver':
    case 'pep440':
      need(rule, 'pattern', line, 'a pattern such as {{version}}');
      break;
    case 'match':
      need(rule, 'pattern', line, 'a pattern (a regular expression)');
      attrs.group ??= '0';
      if (!/^\d+$/.test(attrs.group)) throw new ConfigurationError(`input "tags": group must be a whole number in "${line}"`);
      break;
    case 'ref':
      if (attrs.event !== 'branch' && attrs.event !== 'tag' && attrs.event !== 'pr')
        throw new ConfigurationError(`input "tags": type=ref needs event=branch, tag or pr in "${line}"`);
      if (attrs.event === 'pr') attrs.prefix ??= 'pr-';
      break;
    case 'raw':
      need(rule, 'value', line, 'a value');
      break;
    case 'sha':
      attrs.prefix ??= 'sha-';
      attrs.format ??= 'short';
      if (attrs.format !== 'short' && attrs.format !== 'long')
        throw new ConfigurationError(`input "tags": type=sha format must be short or long in "${line}"`);
      break;
    case 'edge':
      break;
  }
  return rule;
}

/** Parses the rules and orders them by priority, highest first; equal priorities keep their order. */
export function parseRules(lines: readonly string[]): TagRule[] {
  return (lines.length > 0 ? lines : DEFAULT_RULES).map(parseRule).sort((a, b) => b.priority - a.priority);
}

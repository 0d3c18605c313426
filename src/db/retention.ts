/**
 * Retention in restic's model (`restic forget --keep-*`): walk the backups newest first; each
 * `keep-<period>` rule keeps the newest backup of each of its last N calendar periods (UTC) that
 * have a backup at all, `keep-last` keeps the N newest. The rules are ORed: a backup stays when any
 * rule keeps it. The newest backup is never removed.
 */

export interface RetentionPolicy {
  last: number;
  hourly: number;
  daily: number;
  weekly: number;
  monthly: number;
  yearly: number;
}

const RULES = ['last', 'hourly', 'daily', 'weekly', 'monthly', 'yearly'] as const;
export type RetentionRule = (typeof RULES)[number];

export interface Dated {
  key: string;
  created: Date;
}

export interface RetentionDecision<T extends Dated> {
  keep: { item: T; reasons: string[] }[];
  remove: T[];
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** ISO 8601 week (weeks start on Monday; week 1 holds the year's first Thursday), as restic's Go time.ISOWeek. */
export function isoWeek(date: Date): string {
  const day = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));
  const weekday = day.getUTCDay() === 0 ? 7 : day.getUTCDay();
  day.setUTCDate(day.getUTCDate() + 4 - weekday);
  const year = day.getUTCFullYear();
  const week = Math.ceil(((day.getTime() - Date.UTC(year, 0, 1)) / 86_400_000 + 1) / 7);
  return `${year}-W${pad(week)}`;
}

/** The calendar period a backup falls in, per rule, in UTC. */
function periodOf(rule: Exclude<RetentionRule, 'last'>, date: Date): string {
  const y = date.getUTCFullYear();
  const m = pad(date.getUTCMonth() + 1);
  const d = pad(date.getUTCDate());
  switch (rule) {
    case 'hourly':
      return `${y}-${m}-${d}T${pad(date.getUTCHours())}`;
    case 'daily':
      return `${y}-${m}-${d}`;
    case 'weekly':
      return isoWeek(date);
    case 'monthly':
      return `${y}-${m}`;
    case 'yearly':
      return String(y);
  }
}

export function isEmptyPolicy(policy: RetentionPolicy): boolean {
  return RULES.every((rule) => policy[rule] === 0);
}

/** Decides which backups to keep; pure, so it can be table-tested and printed in dry-run mode. */
export function applyRetention<T extends Dated>(items: readonly T[], policy: RetentionPolicy): RetentionDecision<T> {
  const sorted = [...items].sort((a, b) => b.created.getTime() - a.created.getTime() || (a.key < b.key ? 1 : -1));
  const remaining: Record<RetentionRule, number> = { ...policy };
  const lastPeriod: Partial<Record<RetentionRule, string>> = {};
  const keep: RetentionDecision<T>['keep'] = [];
  const remove: T[] = [];
  sorted.forEach((item, index) => {
    const reasons: string[] = [];
    for (const rule of RULES) {
      if (remaining[rule] <= 0) continue;
      const period = rule === 'last' ? item.key : periodOf(rule, item.created);
      if (period === lastPeriod[rule]) continue;
      lastPeriod[rule] = period;
      remaining[rule] -= 1;
      reasons.push(rule === 'last' ? 'last' : `${rule} ${period}`);
    }
    if (index === 0 && reasons.length === 0) reasons.push('newest');
    if (reasons.length > 0) keep.push({ item, reasons });
    else remove.push(item);
  });
  return { keep, remove };
}

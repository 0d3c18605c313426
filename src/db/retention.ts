/**
 * Retention in restic's model (`restic forget --keep-*`, restic ≥ 0.16): walk the backups newest
 * first; `keep-last` keeps the N newest, each `keep-<period>` keeps the newest backup of each of its
 * last N calendar periods (UTC) that have a backup at all, and while a rule still has counts left at
 * the oldest backup it keeps that one too. `keep-within*` do the same for every backup (or period)
 * younger than a calendar duration before the newest backup; `keep-tag` keeps the backups carrying
 * all tags of one of its lists. The rules are ORed. The kit adds one rule: the newest is never removed.
 */

/** A count that never runs out (`unlimited`, restic's -1). */
export const UNLIMITED = -1;

/** restic's duration: calendar years, months, days and hours (`1y2m3d4h`). */
export interface CalendarDuration {
  years: number;
  months: number;
  days: number;
  hours: number;
}

const PERIODS = ['hourly', 'daily', 'weekly', 'monthly', 'yearly'] as const;
type Period = (typeof PERIODS)[number];

export interface RetentionPolicy {
  last: number;
  hourly: number;
  daily: number;
  weekly: number;
  monthly: number;
  yearly: number;
  within?: CalendarDuration;
  withinPeriod?: Partial<Record<Period, CalendarDuration>>;
  /** A backup is kept when it carries every tag of any one list. */
  tags?: readonly (readonly string[])[];
}

export interface Dated {
  key: string;
  created: Date;
  tags?: readonly string[];
}

export interface RetentionDecision<T extends Dated> {
  keep: { item: T; reasons: string[] }[];
  remove: T[];
}

const pad = (n: number) => String(n).padStart(2, '0');

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
function periodOf(period: Period, date: Date): string {
  const ymd = date.toISOString().slice(0, 10);
  switch (period) {
    case 'hourly':
      return `${ymd}T${pad(date.getUTCHours())}`;
    case 'daily':
      return ymd;
    case 'weekly':
      return isoWeek(date);
    case 'monthly':
      return ymd.slice(0, 7);
    case 'yearly':
      return ymd.slice(0, 4);
  }
}

/** Parses restic's duration syntax (`1y2m3d4h`; each unit at most once, any order); undefined when it is not one. */
export function parseCalendarDuration(text: string): CalendarDuration | undefined {
  const value = text.trim();
  if (!/^(\d+[ymdh])+$/.test(value)) return undefined;
  const duration: CalendarDuration = { years: 0, months: 0, days: 0, hours: 0 };
  const field = { y: 'years', m: 'months', d: 'days', h: 'hours' } as const;
  for (const [, n, unit] of value.matchAll(/(\d+)([ymdh])/g)) duration[field[unit as keyof typeof field]] = Number(n);
  return duration;
}

export function formatCalendarDuration(d: CalendarDuration): string {
  return `${d.years ? `${d.years}y` : ''}${d.months ? `${d.months}m` : ''}${d.days ? `${d.days}d` : ''}${d.hours ? `${d.hours}h` : ''}`;
}

const isZero = (d: CalendarDuration | undefined) => !d || (!d.years && !d.months && !d.days && !d.hours);

/** `latest` minus the duration, the calendar way (Go's AddDate, then hours): Mar 31 − 1m is Mar 3. */
function durationBefore(latest: Date, d: CalendarDuration): number {
  const t = new Date(latest.getTime());
  t.setUTCFullYear(t.getUTCFullYear() - d.years, t.getUTCMonth() - d.months, t.getUTCDate() - d.days);
  return t.getTime() - d.hours * 3_600_000;
}

export function isEmptyPolicy(policy: RetentionPolicy): boolean {
  return (
    policy.last === 0 &&
    PERIODS.every((p) => policy[p] === 0 && isZero(policy.withinPeriod?.[p])) &&
    isZero(policy.within) &&
    (policy.tags ?? []).length === 0
  );
}

interface Bucket {
  count: number;
  bucket: (item: Dated, index: number) => string;
  last?: string;
  reason: string;
  since?: number;
}

export interface RetentionOptions {
  /** Backups after this (clock skew) are not "the newest" that keep-within counts from, as in restic. */
  now?: number;
  /** The kit's rule on top of restic's: the newest backup always stays (restic: only when a rule keeps it). */
  keepNewest?: boolean;
}

/** Decides which backups to keep; pure, so it can be table-tested and printed in dry-run mode. */
export function applyRetention<T extends Dated>(
  items: readonly T[],
  policy: RetentionPolicy,
  { now = Infinity, keepNewest = true }: RetentionOptions = {},
): RetentionDecision<T> {
  // Newest first; equal times keep their order (restic's sort.Stable).
  const sorted = [...items].sort((a, b) => b.created.getTime() - a.created.getTime());
  const latest = new Date(Math.max(0, ...sorted.map((i) => i.created.getTime()).filter((t) => t < now)));
  const counted: Bucket[] = [
    { count: policy.last, bucket: (_item, index) => String(index), reason: 'last snapshot' },
    ...PERIODS.map((p) => ({ count: policy[p], bucket: (item: Dated) => periodOf(p, item.created), reason: `${p} snapshot` })),
  ];
  const within: Bucket[] = PERIODS.flatMap((p) => {
    const d = policy.withinPeriod?.[p];
    if (!d || isZero(d)) return [];
    const reason = `${p} within ${formatCalendarDuration(d)}`;
    return [{ count: UNLIMITED, bucket: (item: Dated) => periodOf(p, item.created), reason, since: durationBefore(latest, d) }];
  });
  const keep: RetentionDecision<T>['keep'] = [];
  const remove: T[] = [];
  sorted.forEach((item, index) => {
    const oldest = index === sorted.length - 1;
    const reasons: string[] = [];
    for (const tags of policy.tags ?? []) if (tags.every((tag) => item.tags?.includes(tag))) reasons.push(`has tags [${tags.join(', ')}]`);
    if (policy.within && !isZero(policy.within) && item.created.getTime() > durationBefore(latest, policy.within))
      reasons.push(`within ${formatCalendarDuration(policy.within)}`);
    for (const b of [...counted, ...within]) {
      if (b.count === 0 || (b.since !== undefined && item.created.getTime() <= b.since)) continue;
      const value = b.bucket(item, index);
      if (value === b.last && !oldest) continue;
      reasons.push(value === b.last ? `oldest ${b.reason}` : b.reason);
      b.last = value;
      if (b.count > 0) b.count -= 1;
    }
    if (keepNewest && index === 0 && reasons.length === 0) reasons.push('newest');
    if (reasons.length > 0) keep.push({ item, reasons });
    else remove.push(item);
  });
  return { keep, remove };
}

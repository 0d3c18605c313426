import { z } from 'zod';

import { list } from '../core/inputs.js';
import { type CalendarDuration, parseCalendarDuration, type RetentionPolicy, UNLIMITED } from '../db/retention.js';

type StringInput<T> = z.ZodType<T, string>;

/** A keep-* count: a whole number, or `unlimited` (restic's -1). */
function count(defaultValue: number): StringInput<number> {
  return z.string().transform((v, ctx) => {
    const value = v.trim();
    if (value === '') return defaultValue;
    if (value === 'unlimited') return UNLIMITED;
    if (/^\d+$/.test(value)) return Number(value);
    ctx.addIssue({ code: 'custom', message: `expected a whole number or unlimited, got "${value}"` });
    return z.NEVER;
  });
}

/** A keep-within* duration in restic's syntax (`1y2m3d4h`). */
function calendarDuration(): StringInput<CalendarDuration | undefined> {
  return z.string().transform((v, ctx) => {
    if (v.trim() === '') return undefined;
    const parsed = parseCalendarDuration(v);
    if (parsed) return parsed;
    ctx.addIssue({ code: 'custom', message: `expected a duration such as 7d, 2m, 1y6m or 36h (y, m, d, h), got "${v.trim()}"` });
    return z.NEVER;
  });
}

/** Tags are written into key-free manifests and matched by keep-tag, so they are plain words. */
export function tagList(): StringInput<string[]> {
  return list().refine((tags) => tags.every((t) => /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/.test(t)), {
    message: 'expected tags of letters, digits, ".", "_" and "-"',
  });
}

export const retentionInputs = {
  'keep-last': count(0),
  'keep-hourly': count(0),
  'keep-daily': count(7),
  'keep-weekly': count(4),
  'keep-monthly': count(0),
  'keep-yearly': count(0),
  'keep-within': calendarDuration(),
  'keep-within-hourly': calendarDuration(),
  'keep-within-daily': calendarDuration(),
  'keep-within-weekly': calendarDuration(),
  'keep-within-monthly': calendarDuration(),
  'keep-within-yearly': calendarDuration(),
  'keep-tag': tagList(),
};

type RetentionInputs = { [K in keyof typeof retentionInputs]: z.output<(typeof retentionInputs)[K]> };

export function policyFromInputs(inputs: RetentionInputs): RetentionPolicy {
  return {
    last: inputs['keep-last'],
    hourly: inputs['keep-hourly'],
    daily: inputs['keep-daily'],
    weekly: inputs['keep-weekly'],
    monthly: inputs['keep-monthly'],
    yearly: inputs['keep-yearly'],
    within: inputs['keep-within'],
    withinPeriod: {
      hourly: inputs['keep-within-hourly'],
      daily: inputs['keep-within-daily'],
      weekly: inputs['keep-within-weekly'],
      monthly: inputs['keep-within-monthly'],
      yearly: inputs['keep-within-yearly'],
    },
    // Each keep-tag keeps the backups carrying it (restic's --keep-tag with one tag per flag).
    tags: inputs['keep-tag'].map((tag) => [tag]),
  };
}

/** Roughly how many days back the policy keeps backups (for the artifact-expiry warning); Infinity for unlimited. */
export function policyReachDays(policy: RetentionPolicy): number {
  const days = (n: number, per: number) => (n === UNLIMITED ? Infinity : n * per);
  const within = [policy.within, ...Object.values(policy.withinPeriod ?? {})].map((d) =>
    d ? d.years * 366 + d.months * 31 + d.days + d.hours / 24 : 0,
  );
  return Math.max(days(policy.daily, 1), days(policy.weekly, 7), days(policy.monthly, 31), days(policy.yearly, 366), ...within);
}

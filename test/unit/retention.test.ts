import { describe, expect, it } from 'vitest';

import { applyRetention, isoWeek, type RetentionPolicy } from '../../src/db/retention.js';

const none: RetentionPolicy = { last: 0, hourly: 0, daily: 0, weekly: 0, monthly: 0, yearly: 0 };
const at = (iso: string) => ({ key: iso, created: new Date(iso) });
const kept = (items: { key: string; created: Date }[], policy: Partial<RetentionPolicy>) =>
  applyRetention(items, { ...none, ...policy })
    .keep.map((k) => k.item.key.slice(0, 10))
    .sort();

// restic's documentation ("Removing snapshots according to a policy"): a backup every Sunday for 12 weeks.
const sundays = [
  '2019-09-01',
  '2019-09-08',
  '2019-09-15',
  '2019-09-22',
  '2019-09-29',
  '2019-10-06',
  '2019-10-13',
  '2019-10-20',
  '2019-10-27',
  '2019-11-03',
  '2019-11-10',
  '2019-11-17',
].map((day) => at(`${day}T11:00:00Z`));

describe('retention (restic forget --keep-*)', () => {
  it.each([
    [
      '--keep-daily 4 keeps the last four Sundays (days without a backup do not count)',
      { daily: 4 },
      ['2019-10-27', '2019-11-03', '2019-11-10', '2019-11-17'],
    ],
    ['--keep-weekly 4 keeps the same four', { weekly: 4 }, ['2019-10-27', '2019-11-03', '2019-11-10', '2019-11-17']],
    ['--keep-monthly 3 keeps the last backup of each of the last three months', { monthly: 3 }, ['2019-09-29', '2019-10-27', '2019-11-17']],
    ['--keep-daily 2 --keep-monthly 3 ORs the rules', { daily: 2, monthly: 3 }, ['2019-09-29', '2019-10-27', '2019-11-10', '2019-11-17']],
    ['--keep-last 3', { last: 3 }, ['2019-11-03', '2019-11-10', '2019-11-17']],
    [
      "--keep-yearly 5 keeps the year's newest, and the oldest while counts are left (restic ≥ 0.16)",
      { yearly: 5 },
      ['2019-09-01', '2019-11-17'],
    ],
    ['more periods than backups keeps everything', { weekly: 50 }, sundays.map((s) => s.key.slice(0, 10))],
  ])('%s', (_name, policy, expected) => {
    expect(kept(sundays, policy)).toEqual(expected);
  });

  it('keeps the newest backup of each day, and removes the rest', () => {
    const items = [
      '2024-03-01T01:00:00Z',
      '2024-03-01T23:00:00Z',
      '2024-03-02T05:00:00Z',
      '2024-03-02T06:00:00Z',
      '2024-03-02T07:00:00Z',
    ].map(at);
    const decision = applyRetention(items, { ...none, daily: 2 });
    expect(decision.keep.map((k) => k.item.key)).toEqual(['2024-03-02T07:00:00Z', '2024-03-01T23:00:00Z']);
    expect(decision.remove.map((r) => r.key).sort()).toEqual(['2024-03-01T01:00:00Z', '2024-03-02T05:00:00Z', '2024-03-02T06:00:00Z']);
  });

  it('keeps the oldest backup too while a rule has counts left (restic ≥ 0.16)', () => {
    const items = ['2024-03-01T01:00:00Z', '2024-03-01T23:00:00Z', '2024-03-02T06:00:00Z'].map(at);
    const decision = applyRetention(items, { ...none, daily: 7 });
    expect(decision.keep.map((k) => [k.item.key, k.reasons])).toEqual([
      ['2024-03-02T06:00:00Z', ['daily snapshot']],
      ['2024-03-01T23:00:00Z', ['daily snapshot']],
      ['2024-03-01T01:00:00Z', ['oldest daily snapshot']],
    ]);
  });

  it('uses UTC calendar hours', () => {
    const items = ['2024-03-01T10:05:00Z', '2024-03-01T10:55:00Z', '2024-03-01T11:01:00Z', '2024-03-01T09:59:59Z'].map(at);
    expect(applyRetention(items, { ...none, hourly: 2 }).keep.map((k) => k.item.key)).toEqual([
      '2024-03-01T11:01:00Z',
      '2024-03-01T10:55:00Z',
    ]);
  });

  it('uses ISO weeks that run Monday to Sunday across a year boundary', () => {
    expect(isoWeek(new Date('2020-12-31T12:00:00Z'))).toBe('2020-W53');
    expect(isoWeek(new Date('2021-01-03T12:00:00Z'))).toBe('2020-W53');
    expect(isoWeek(new Date('2021-01-04T00:00:00Z'))).toBe('2021-W01');
    expect(isoWeek(new Date('2019-12-30T00:00:00Z'))).toBe('2020-W01');
    const items = ['2020-12-31T12:00:00Z', '2021-01-03T12:00:00Z', '2021-01-04T00:00:00Z'].map(at);
    expect(applyRetention(items, { ...none, weekly: 2 }).keep.map((k) => k.item.key)).toEqual([
      '2021-01-04T00:00:00Z',
      '2021-01-03T12:00:00Z',
    ]);
  });

  it("restic's daily-for-years example: 7 daily + 5 weekly + 12 monthly overlap rather than add up", () => {
    const items = [];
    for (let t = Date.UTC(2021, 0, 1, 3); t <= Date.UTC(2023, 11, 31, 3); t += 86_400_000)
      items.push({ key: new Date(t).toISOString(), created: new Date(t) });
    const decision = applyRetention(items, { ...none, daily: 7, weekly: 5, monthly: 12, yearly: 75 });
    const keys = decision.keep.map((k) => k.item.key.slice(0, 10));
    // 7 dailies (Dec 25-31, 2023; their ISO week 52 counts as the first weekly), the weeks ending Dec 24, 17, 10, 3,
    // month ends Nov 30 .. Jan 31 2023 (Dec is already kept), the last day of 2022 and 2021, and the oldest (yearly has counts left).
    expect(keys).toEqual([
      '2023-12-31',
      '2023-12-30',
      '2023-12-29',
      '2023-12-28',
      '2023-12-27',
      '2023-12-26',
      '2023-12-25',
      '2023-12-24',
      '2023-12-17',
      '2023-12-10',
      '2023-12-03',
      '2023-11-30',
      '2023-10-31',
      '2023-09-30',
      '2023-08-31',
      '2023-07-31',
      '2023-06-30',
      '2023-05-31',
      '2023-04-30',
      '2023-03-31',
      '2023-02-28',
      '2023-01-31',
      '2022-12-31',
      '2021-12-31',
      '2021-01-01',
    ]);
    expect(decision.keep[0]!.reasons).toEqual(['daily snapshot', 'weekly snapshot', 'monthly snapshot', 'yearly snapshot']);
    expect(decision.keep.at(-1)!.reasons).toEqual(['oldest yearly snapshot']);
  });

  it('never removes the newest backup, even with an empty policy', () => {
    const decision = applyRetention(sundays, none);
    expect(decision.keep.map((k) => k.item.key)).toEqual(['2019-11-17T11:00:00Z']);
    expect(decision.keep[0]!.reasons).toEqual(['newest']);
    expect(decision.remove).toHaveLength(11);
  });

  it('keeps nothing extra and removes nothing from an empty list', () => {
    expect(applyRetention([], { ...none, daily: 7 })).toEqual({ keep: [], remove: [] });
  });
});

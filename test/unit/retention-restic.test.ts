import { readFileSync } from 'node:fs';

import { describe, expect, it } from 'vitest';

import { applyRetention, parseCalendarDuration, type RetentionPolicy, UNLIMITED } from '../../src/db/retention.js';

// restic's own golden data (shared/peer/restic-retention, see its README); the expectations of the cases
// skipped.json lists come from the same golden files (test/fixtures/restic-retention).
const PEER = '/work/shared/peer/restic-retention';
const load = (path: string) => JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;

interface Snapshot {
  time: string;
  tags: string[] | null;
}
interface Case {
  case: number;
  goPolicy: string;
  expectedKept: Snapshot[];
  expectedReasons: string[][];
}

const snapshots = (load(`${PEER}/snapshots.json`).snapshots as Snapshot[]).map((s, index) => ({
  key: String(index),
  created: new Date(s.time),
  tags: s.tags ?? [],
}));
const golden = load(`${PEER}/cases.json`).cases as Case[];
const goPolicies = new Map((load(`${PEER}/skipped.json`).skipped as Case[]).map((c) => [c.case, c.goPolicy]));
const extra = (load(new URL('../fixtures/restic-retention/expected-18-35.json', import.meta.url).pathname).cases as Case[]).map((c) => ({
  ...c,
  goPolicy: goPolicies.get(c.case)!,
}));
const cases = [...golden, ...extra].sort((a, b) => a.case - b.case);

/** restic's Go policy literal (`{Last: 10, WithinDaily: data.ParseDurationOrPanic("7d"), Tags: ...}`) as a RetentionPolicy. */
function fromGo(literal: string): RetentionPolicy {
  const policy: RetentionPolicy = { last: 0, hourly: 0, daily: 0, weekly: 0, monthly: 0, yearly: 0 };
  for (const [, field, n] of literal.matchAll(/\b(Last|Hourly|Daily|Weekly|Monthly|Yearly): (-?\d+)/g))
    policy[field!.toLowerCase() as 'last'] = Number(n);
  for (const [, field, d] of literal.matchAll(/\b(Within\w*): data\.ParseDurationOrPanic\("(\w+)"\)/g)) {
    const duration = parseCalendarDuration(d!)!;
    if (field === 'Within') policy.within = duration;
    else policy.withinPeriod = { ...policy.withinPeriod, [field!.slice(6).toLowerCase()]: duration };
  }
  const tags = /Tags: \[\]data\.TagList\{(.*)\}\}/.exec(literal);
  if (tags) policy.tags = [...tags[1]!.matchAll(/\{([^}]*)\}/g)].map(([, l]) => [...l!.matchAll(/"(\w+)"/g)].map((m) => m[1]!));
  return policy;
}

const times = (list: { time: string }[]) => list.map((s) => new Date(s.time).toISOString()).sort();

describe("restic's golden retention cases", () => {
  it('covers all 40 cases', () => {
    expect(cases.map((c) => c.case)).toEqual([...Array(40).keys()]);
  });

  it.each(cases)('case $case: $goPolicy', (c) => {
    const decision = applyRetention(snapshots, fromGo(c.goPolicy), { keepNewest: false });
    const kept = decision.keep.map(({ item }) => ({ time: item.created.toISOString() }));
    expect(times(kept)).toEqual(times(c.expectedKept));
    // Reasons per kept snapshot, as multisets (restic keeps input order among equal times).
    const reasons = (list: string[][]) => list.map((r) => r.join(' | ')).sort();
    expect(reasons(decision.keep.map((k) => k.reasons))).toEqual(reasons(c.expectedReasons));
  });

  it('the kit never removes the newest, even where restic would (an empty or tag-only policy)', () => {
    for (const goPolicy of ['{}', '{Tags: []data.TagList{{"foo"}}}']) {
      const decision = applyRetention(snapshots, fromGo(goPolicy));
      expect(decision.keep.find((k) => k.reasons.includes('newest'))?.item.created.toISOString()).toBe('2016-01-18T12:02:03.000Z');
    }
  });

  it('unlimited never runs out', () => {
    const all = applyRetention(snapshots, { ...fromGo('{}'), daily: UNLIMITED });
    const days = new Set(snapshots.map((s) => s.created.toISOString().slice(0, 10)));
    expect(all.keep).toHaveLength(days.size);
  });
});

describe("restic's duration syntax", () => {
  it.each([
    ['1y2m3d4h', { years: 1, months: 2, days: 3, hours: 4 }],
    ['1y1d1m', { years: 1, months: 1, days: 1, hours: 0 }],
    ['13d23h', { years: 0, months: 0, days: 13, hours: 23 }],
    ['9999y', { years: 9999, months: 0, days: 0, hours: 0 }],
  ])('%s', (text, expected) => expect(parseCalendarDuration(text)).toEqual(expected));

  it.each(['', '5', '1w', '1.5d', 'd1', '-1d', '1d 2h'])('rejects %j', (text) => expect(parseCalendarDuration(text)).toBeUndefined());

  it('subtracts months the calendar way relative to the newest backup (Mar 31 - 1m = Mar 3, as Go)', () => {
    const at = (iso: string) => ({ key: iso, created: new Date(iso) });
    const items = ['2023-03-31T12:00:00Z', '2023-03-03T12:00:01Z', '2023-03-03T11:59:59Z'].map(at);
    const kept = applyRetention(items, { ...fromGo('{}'), within: parseCalendarDuration('1m')! }).keep.map((k) => k.item.key);
    expect(kept).toEqual(['2023-03-31T12:00:00Z', '2023-03-03T12:00:01Z']);
  });
});

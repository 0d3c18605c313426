import { describe, expect, it } from 'vitest';
import { z } from 'zod';

import { policyFromInputs, retentionInputs } from '../../src/backup/policy.js';
import { isEmptyPolicy, UNLIMITED } from '../../src/db/retention.js';

const schema = z.object(retentionInputs);
const parse = (given: Partial<Record<keyof typeof retentionInputs, string>>) =>
  schema.safeParse({ ...Object.fromEntries(Object.keys(retentionInputs).map((k) => [k, ''])), ...given });

describe('backup retention inputs', () => {
  it('reads counts, unlimited, restic durations and tags into a policy', () => {
    const parsed = parse({
      'keep-daily': 'unlimited',
      'keep-within': '1y2m3d4h',
      'keep-within-weekly': '6m',
      'keep-tag': 'manual, release',
    });
    expect(parsed.success).toBe(true);
    const policy = policyFromInputs(parsed.data!);
    expect(policy).toMatchObject({ daily: UNLIMITED, weekly: 4, within: { years: 1, months: 2, days: 3, hours: 4 } });
    expect(policy.withinPeriod?.weekly).toEqual({ years: 0, months: 6, days: 0, hours: 0 });
    expect(policy.tags).toEqual([['manual'], ['release']]);
  });

  it.each([
    ['keep-daily', '-1', 'whole number or unlimited'],
    ['keep-within', '2w', 'duration such as 7d'],
    ['keep-within-daily', '1.5d', 'duration such as 7d'],
    ['keep-tag', 'a b', 'tags of letters'],
  ] as const)('refuses %s: %s', (input, value, message) => {
    const parsed = parse({ [input]: value });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.message).toContain(message);
  });

  it('an all-zero policy is empty; any within or tag rule makes it not', () => {
    const zero = { 'keep-daily': '0', 'keep-weekly': '0' };
    expect(isEmptyPolicy(policyFromInputs(parse(zero).data!))).toBe(true);
    expect(isEmptyPolicy(policyFromInputs(parse({ ...zero, 'keep-within': '7d' }).data!))).toBe(false);
    expect(isEmptyPolicy(policyFromInputs(parse({ ...zero, 'keep-tag': 'manual' }).data!))).toBe(false);
  });
});

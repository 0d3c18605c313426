import { describe, expect, it } from 'vitest';

import { activations, parseHistoryLines, previousActivated, pruneCandidates } from '../../src/release/activation.js';
import { resolveRollbackTarget } from '../../src/release/rollback.js';

const ids = (n: number) => Array.from({ length: n }, (_, i) => `v${i + 1}`);
const switches = (releases: readonly string[]) => releases.map((release) => ({ event: 'switch', release }));

describe('activation order', () => {
  it('v1…v12 with keep 3: prune keeps v10–v12, by activation and not by name', () => {
    const history = activations(switches(ids(12)));
    expect(pruneCandidates(history, ids(12), 3, ['v12', 'v11'])).toEqual(ids(9));
  });

  it('previous is the release activated before current, not the greatest name below it', () => {
    const history = activations(switches(ids(12)));
    expect(previousActivated(history, 'v12', ids(12))).toBe('v11');
    expect(previousActivated(history, 'v10', ids(12))).toBe('v12');
  });

  it('an upload that never served is never previous, and goes first when pruning', () => {
    // v3 was uploaded (a run killed before the switch) but never activated.
    const history = activations(switches(['v1', 'v2']));
    expect(previousActivated(history, 'v2', ['v1', 'v2', 'v3'])).toBe('v1');
    expect(pruneCandidates(history, ['v1', 'v2', 'v3'], 2, ['v2'])).toEqual(['v3']);
  });

  it('a release reverted away from, failed or cancelled is bad until activated again', () => {
    const history = activations([
      ...switches(['v1', 'v2', 'v3']),
      { event: 'revert', release: 'v2', previous: 'v3' },
      { event: 'failed', release: 'v4' },
    ]);
    expect(history.order).toEqual(['v1', 'v3', 'v2']);
    expect(previousActivated(history, 'v2', ['v1', 'v2', 'v3', 'v4'])).toBe('v1');
    expect(activations([...switches(['v1', 'v2']), { event: 'cancelled', release: 'v2' }, ...switches(['v2'])]).bad.size).toBe(0);
  });

  it('reads older histories (deploy, rollback lines) and skips torn lines', () => {
    const lines = ['{"event":"deploy","release":"a"}', '{"event":"deploy","release":"b"}', '{"event":"rollback","release":"a"}', '{"eve'];
    const history = activations(parseHistoryLines(lines));
    expect(history.order).toEqual(['b', 'a']);
  });

  it('rollback to previous follows the activation order and says so when there is none', () => {
    const layout = {
      current: 'v10',
      releases: ['v1', 'v10', 'v2', 'v9'],
      history: activations(switches(['v9', 'v2', 'v10'])),
      partials: { removed: [], left: [] },
    };
    expect(resolveRollbackTarget(layout, 'previous', 'h')).toBe('v2');
    const fresh = { ...layout, history: activations(switches(['v10'])) };
    expect(() => resolveRollbackTarget(fresh, 'previous', 'h')).toThrow(/no release was activated before the current one \(v10\)/);
  });
});

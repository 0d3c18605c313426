/**
 * Activation order: which releases have served, newest last, read from history.jsonl. A release
 * counts once `current` pointed at it (the `switch` line the switch script writes, or the deploy,
 * rollback and revert lines of older histories); one reverted away from, or failed, is marked bad
 * until it is activated again. Names and mtimes never decide anything here.
 */

export interface HistoryRecord {
  event?: string;
  release?: string;
  previous?: string;
}

export interface Activations {
  /** Releases that have been current, by their last activation, oldest first. */
  order: string[];
  /** Releases whose last outcome was a failure or a revert away from them. */
  bad: Set<string>;
}

export function parseHistoryLines(lines: readonly string[]): HistoryRecord[] {
  const records: HistoryRecord[] = [];
  for (const line of lines) {
    try {
      const value = JSON.parse(line) as unknown;
      if (value && typeof value === 'object') records.push(value as HistoryRecord);
    } catch {
      // a torn line (a run killed mid-write) is skipped
    }
  }
  return records;
}

export function activations(records: readonly HistoryRecord[]): Activations {
  const order: string[] = [];
  const bad = new Set<string>();
  const activate = (release: string | undefined) => {
    if (!release) return;
    const at = order.indexOf(release);
    if (at >= 0) order.splice(at, 1);
    order.push(release);
    bad.delete(release);
  };
  for (const record of records) {
    switch (record.event) {
      case 'switch':
      case 'deploy':
      case 'rollback':
        activate(record.release);
        break;
      case 'revert':
        if (record.previous) bad.add(record.previous);
        activate(record.release);
        break;
      case 'failed':
      case 'cancelled':
        if (record.release) bad.add(record.release);
        break;
      default:
    }
  }
  return { order, bad };
}

/** The release served before `current`: the last activated, healthy, present one that is not current. */
export function previousActivated(history: Activations, current: string | undefined, present: readonly string[]): string | undefined {
  return history.order.filter((r) => r !== current && !history.bad.has(r) && present.includes(r)).at(-1);
}

/**
 * The releases prune removes to keep `keep`: never-activated and bad ones go first (by name), then
 * the longest-ago activated; `protect` (current, previous, the new release) always stays.
 */
export function pruneCandidates(history: Activations, present: readonly string[], keep: number, protect: readonly string[]): string[] {
  const activated = history.order.filter((r) => present.includes(r) && !history.bad.has(r));
  const others = present.filter((r) => !activated.includes(r)).sort();
  const ranked = [...others, ...activated];
  const kept = new Set([...ranked.slice(Math.max(0, ranked.length - keep)), ...protect]);
  return ranked.filter((r) => !kept.has(r));
}

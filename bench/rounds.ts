// How a bench compares two ways measured in alternating rounds on a shared, noisy machine.
export interface Timed {
  ms: number;
}

export const best = <T extends Timed>(runs: readonly T[]): T => runs.reduce((a, b) => (b.ms < a.ms ? b : a));

const middle = (values: readonly number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/**
 * "0.93x best of 5, 0.91x median, 0.92x paired median": the best of each (noise only ever adds time),
 * the medians, and the median of each round's own ratio (the two runs of a round see the same machine,
 * so a slow spell that spans rounds cancels out). The goal is judged on the paired median.
 */
export function throughputRatio(baseline: readonly Timed[], way: readonly Timed[]): string {
  const paired = middle(way.map((run, i) => baseline[i]!.ms / run.ms));
  const medians = middle(baseline.map((r) => r.ms)) / middle(way.map((r) => r.ms));
  return `${(best(baseline).ms / best(way).ms).toFixed(2)}x best of ${way.length}, ${medians.toFixed(2)}x median, ${paired.toFixed(2)}x paired median`;
}

import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';

export interface HistoryLine {
  event: string;
  release: string;
  previous?: string;
  reason?: string;
}

function historyLines(dir: string): HistoryLine[] {
  return readFileSync(join(dir, '.deploy-kit/history.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as HistoryLine);
}

/** Reads a deploy root the way a user on the host would look at it. */
export function releaseRoot(dir: string) {
  return {
    dir,
    current: () => readlinkSync(join(dir, 'current')),
    releases: () => readdirSync(join(dir, 'releases')).sort(),
    /** The outcome lines (deploy, rollback, revert, failed, cancelled), without the switch markers. */
    history: () => historyLines(dir).filter((line) => line.event !== 'switch'),
    /** Every line, the `switch` markers the switch script writes included. */
    activity: () => historyLines(dir),
  };
}

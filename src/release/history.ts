import { withVars } from '../core/shell.js';
import { RELEASE_LOCK_BODY } from './lock.js';
import { PRUNE_BODY } from './prune.js';

export type HistoryEvent = 'deploy' | 'rollback' | 'revert' | 'failed' | 'cancelled';

export interface HistoryFields {
  release?: string;
  previous?: string;
  reason?: string;
}

export function appendHistoryScript(root: string, entry: object): string {
  return withVars({ root, line: JSON.stringify(entry) }, `printf '%s\\n' "$line" >> "$root/.deploy-kit/history.jsonl"`);
}

/** History line, prune and unlock in one round trip (the end of a deploy); prune never fails it. */
export function finishScript(root: string, entry: object, prune: readonly string[], token: string): string {
  return withVars(
    { root, line: JSON.stringify(entry), prune: prune.join('\n'), token },
    `
printf '%s\\n' "$line" >> "$root/.deploy-kit/history.jsonl"
${PRUNE_BODY}
if [ -n "$token" ]; then
${RELEASE_LOCK_BODY}
fi
`,
  );
}

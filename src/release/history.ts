import { withVars } from '../core/shell.js';

export type HistoryEvent = 'deploy' | 'rollback' | 'revert' | 'failed';

export function appendHistoryScript(root: string, entry: object): string {
  return withVars({ root, line: JSON.stringify(entry) }, `printf '%s\\n' "$line" >> "$root/.deploy-kit/history.jsonl"`);
}

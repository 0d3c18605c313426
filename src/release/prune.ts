import { withVars } from '../core/shell.js';

/**
 * Removes the named releases (chosen by activation order, activation.ts), never the one current
 * points at. Housekeeping: a release that cannot be removed is reported (`left=`), never an error.
 */
export function pruneScript(root: string, releases: readonly string[]): string {
  return withVars({ root, prune: releases.join('\n') }, PRUNE_BODY);
}

/** Expects $root and $prune (one release id a line). */
export const PRUNE_BODY = `
current=$(basename "$(readlink "$root/current" 2>/dev/null || true)")
while IFS= read -r old; do
  if [ -z "$old" ] || [ "$old" = "$current" ] || [ ! -d "$root/releases/$old" ]; then continue; fi
  if err=$(rm -rf -- "$root/releases/$old" 2>&1); then echo "pruned=$old"; else echo "left=$old $(printf '%s' "$err" | head -n 1)"; fi
done <<< "$prune"
`;

export interface PruneResult {
  pruned: string[];
  /** Releases (some files of them) that could not be removed, with the first error line. */
  left: string[];
}

export function parsePrune(stdout: string): PruneResult {
  const lines = stdout.split('\n');
  const field = (name: string) => lines.filter((l) => l.startsWith(`${name}=`)).map((l) => l.slice(name.length + 1));
  return { pruned: field('pruned'), left: field('left') };
}

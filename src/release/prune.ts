import { withVars } from '../core/shell.js';

/** Keeps the newest `keep` releases; never removes the current or the previous release. */
export function pruneScript(root: string, keep: number, protect: readonly string[]): string {
  return withVars(
    { root, keep: String(keep), protect: protect.join('\n') },
    `
cd "$root/releases"
current=$(basename "$(readlink ../current 2>/dev/null || true)")
# shellcheck disable=SC2012 # release ids are plain names (names.ts), so ls output is safe to read
ls -1 | sort -r | tail -n +"$((keep + 1))" | while IFS= read -r old; do
  [ "$old" = "$current" ] && continue
  grep -qxF -- "$old" <<< "$protect" && continue
  rm -rf -- "$old"
  echo "pruned=$old"
done
`,
  );
}

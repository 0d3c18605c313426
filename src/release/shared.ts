import { withVars } from '../core/shell.js';

/** Links shared dirs (created when absent) and shared files (which must exist) into a release. */
export function linkSharedScript(root: string, release: string, dirs: readonly string[], files: readonly string[]): string {
  return withVars(
    { root, release, dirs: dirs.join('\n'), files: files.join('\n') },
    `
abs=$(cd "$root" && pwd -P)
rel="$abs/releases/$release"
while IFS= read -r d; do
  [ -n "$d" ] || continue
  mkdir -p "$abs/shared/$d"
  rm -rf "\${rel:?}/$d"
  mkdir -p "$(dirname "$rel/$d")"
  ln -s "$abs/shared/$d" "$rel/$d"
done <<< "$dirs"
while IFS= read -r f; do
  [ -n "$f" ] || continue
  if [ ! -e "$abs/shared/$f" ]; then
    echo "shared file $f is missing: create $abs/shared/$f on the host first" >&2
    exit 3
  fi
  rm -rf "\${rel:?}/$f"
  mkdir -p "$(dirname "$rel/$f")"
  ln -s "$abs/shared/$f" "$rel/$f"
done <<< "$files"
`,
  );
}

import { withVars } from '../core/shell.js';

/**
 * Links shared dirs (created when absent) and shared files (which must exist) into a release
 * directory (`dir`, under releases/). Every path is resolved physically first (realpath: a link in
 * the release is followed): one whose parent leads outside the release refuses the deploy before
 * anything is changed (exit 5), so `storage -> /elsewhere` never lets `storage/data` touch /elsewhere.
 */
export function linkSharedScript(root: string, dir: string, dirs: readonly string[], files: readonly string[]): string {
  return withVars({ root, dir, dirs: dirs.join('\n'), files: files.join('\n') }, LINK_SHARED_BODY);
}

/** Expects $root, $dir, $dirs and $files. */
export const LINK_SHARED_BODY = `
abs=$(cd "$root" && pwd -P)
rel=$(cd "$abs/releases/$dir" && pwd -P)
while IFS= read -r p; do
  [ -n "$p" ] || continue
  parent=$(realpath -m -- "$rel/$(dirname "$p")")
  case "$parent/" in
    "$rel/"*) ;;
    *) echo "shared path $p resolves to $parent/$(basename "$p"), outside the release (a symlink in the release leads there): remove the link from the source or choose another shared path; nothing was changed" >&2; exit 5 ;;
  esac
done <<< "$dirs
$files"
while IFS= read -r f; do
  [ -n "$f" ] || continue
  if [ ! -e "$abs/shared/$f" ]; then
    echo "shared file $f is missing: create $abs/shared/$f on the host first" >&2
    exit 3
  fi
done <<< "$files"
while IFS= read -r d; do
  [ -n "$d" ] || continue
  mkdir -p "$abs/shared/$d"
  rm -rf "\${rel:?}/$d"
  mkdir -p "$(dirname "$rel/$d")"
  ln -s "$abs/shared/$d" "$rel/$d"
done <<< "$dirs"
while IFS= read -r f; do
  [ -n "$f" ] || continue
  rm -rf "\${rel:?}/$f"
  mkdir -p "$(dirname "$rel/$f")"
  ln -s "$abs/shared/$f" "$rel/$f"
done <<< "$files"
`;

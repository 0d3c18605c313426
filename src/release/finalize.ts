import { withVars } from '../core/shell.js';
import { partialName } from './layout.js';
import { LINK_SHARED_BODY } from './shared.js';

/**
 * Turns a complete upload into a release in one round trip: refuses an empty one (exit 7), links
 * the shared paths inside the partial directory (shared.ts: exit 5 or 3), then renames it into
 * place, so `releases/<id>` only ever appears complete.
 */
export function finalizeScript(root: string, release: string, dirs: readonly string[], files: readonly string[]): string {
  return withVars(
    { root, release, dir: partialName(release), dirs: dirs.join('\n'), files: files.join('\n') },
    `
[ -d "$root/releases/$dir" ] || { echo "the upload of $release did not create releases/$dir" >&2; exit 6; }
if [ -z "$(find "$root/releases/$dir" -mindepth 1 ! -type d -print -quit)" ]; then
  echo "release $release has no files: check the source directory and exclude (a pattern like '*' leaves nothing)" >&2
  exit 7
fi
${LINK_SHARED_BODY}
[ ! -e "$root/releases/$release" ] || { echo "release $release already exists" >&2; exit 8; }
mv -T "$root/releases/$dir" "$root/releases/$release"
`,
  );
}

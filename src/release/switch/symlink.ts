import { withVars } from '../../core/shell.js';

/** Points current at a release atomically: a new symlink renamed over the old one (rename(2)). */
export function switchScript(root: string, release: string): string {
  return withVars(
    { root, release },
    `
cd "$root"
[ -d "releases/$release" ] || { echo "release $release does not exist" >&2; exit 4; }
ln -sfn "releases/$release" ".current.$release.tmp"
mv -T ".current.$release.tmp" current
`,
  );
}

/** Undoes a first deploy: there was no current before it. */
export function unlinkCurrentScript(root: string): string {
  return withVars({ root }, `rm -f "$root/current"`);
}

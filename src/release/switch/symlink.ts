import { withVars } from '../../core/shell.js';

/**
 * Points current at a release atomically: a new symlink renamed over the old one (rename(2)), then
 * records the activation in history.jsonl (activation.ts orders previous, rollback and prune by it).
 */
export function switchScript(root: string, release: string): string {
  return withVars(
    { root, release },
    `
cd "$root"
[ -d "releases/$release" ] || { echo "release $release does not exist" >&2; exit 4; }
was=$(basename "$(readlink current 2>/dev/null || true)")
ln -sfn "releases/$release" ".current.$release.tmp"
mv -T ".current.$release.tmp" current
mkdir -p .deploy-kit
# Release ids are plain names (names.ts), so they need no JSON escaping.
printf '{"time":"%s","event":"switch","release":"%s","previous":"%s"}\\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$release" "$was" >> .deploy-kit/history.jsonl
`,
  );
}

/** Undoes a first deploy: there was no current before it. */
export function unlinkCurrentScript(root: string): string {
  return withVars({ root }, `rm -f "$root/current"`);
}

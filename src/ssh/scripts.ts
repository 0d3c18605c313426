import { shellQuote } from './quote.js';

/**
 * Remote scripts of the release model. User values only ever enter as quoted variable
 * assignments at the top (`name='value'`), and the script body refers to "$name".
 */
export function withVars(vars: Record<string, string>, body: string): string {
  const assignments = Object.entries(vars).map(([name, value]) => `${name}=${shellQuote(value)}`);
  return `${assignments.join('\n')}\n${body.trim()}\n`;
}

/** Creates the layout if needed and reports the current release and every release present. */
export function inspectScript(root: string): string {
  return withVars(
    { root },
    `
mkdir -p "$root/releases" "$root/shared" "$root/.deploy-kit"
if [ -L "$root/current" ]; then echo "current=$(basename "$(readlink "$root/current")")"; fi
for dir in "$root"/releases/*/; do if [ -d "$dir" ]; then echo "release=$(basename "$dir")"; fi; done
echo "rsync=$(command -v rsync >/dev/null && echo yes || echo no)"
`,
  );
}

export interface Inspection {
  current?: string;
  releases: string[];
  /** Whether the host has rsync (undefined when the output does not say). */
  rsync?: boolean;
}

export function parseInspection(stdout: string): Inspection {
  const releases: string[] = [];
  let current: string | undefined;
  let rsync: boolean | undefined;
  for (const line of stdout.split('\n')) {
    if (line.startsWith('current=')) current = line.slice(8);
    else if (line.startsWith('release=')) releases.push(line.slice(8));
    else if (line.startsWith('rsync=')) rsync = line.slice(6) === 'yes';
  }
  return { current, releases: releases.sort(), rsync };
}

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

/**
 * Runs a user command inside a directory of the layout, with the deploy facts in its environment;
 * DEPLOY_KIT_ROOT is the absolute deploy root, so the command may cd anywhere.
 */
export function runInScript(root: string, dir: string, command: string, env: Record<string, string>): string {
  const exports = Object.keys(env).map((name) => `export ${name}`);
  return withVars(
    { root, dir, command, ...env },
    `
${exports.join('\n')}
DEPLOY_KIT_ROOT="$(cd "$root" && pwd -P)"
export DEPLOY_KIT_ROOT
cd "$root/$dir"
exec bash --noprofile --norc -eo pipefail -c "$command"
`,
  );
}

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

export function removeReleaseScript(root: string, release: string): string {
  return withVars(
    { root, release },
    `
cd "$root"
if [ "$(basename "$(readlink current 2>/dev/null || true)")" = "$release" ]; then exit 0; fi
rm -rf "releases/$release"
`,
  );
}

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

export function appendHistoryScript(root: string, entry: object): string {
  return withVars({ root, line: JSON.stringify(entry) }, `printf '%s\\n' "$line" >> "$root/.deploy-kit/history.jsonl"`);
}

/** The release layout on a host: what is there, commands run inside it, a release removed. */
import { withVars } from '../core/shell.js';

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

/** The release layout on a host: what is there, commands run inside it, a release removed. */
import { withVars } from '../core/shell.js';
import { type Activations, activations, parseHistoryLines } from './activation.js';

/** Where a release is uploaded until it is complete: a dot name, so no listing or glob ever sees it. */
export function partialName(release: string): string {
  return `.${release}.partial`;
}

/** The inspect part of a script run under the deploy lock (see lock.ts); expects $root. */
export const INSPECT_BODY = `
mkdir -p "$root/releases" "$root/shared" "$root/.deploy-kit"
if [ -L "$root/current" ]; then echo "current=$(basename "$(readlink "$root/current")")"; fi
# Partial uploads left by a run that died: only a lock holder inspects, so none is in progress.
for dir in "$root"/releases/.*.partial; do
  if [ -d "$dir" ]; then
    if rm -rf "$dir" 2>/dev/null; then echo "removed-partial=$(basename "$dir")"; else echo "left-partial=$(basename "$dir")"; fi
  fi
done
for dir in "$root"/releases/*/; do if [ -d "$dir" ]; then echo "release=$(basename "$dir")"; fi; done
echo "rsync=$(command -v rsync >/dev/null && echo yes || echo no)"
if [ -f "$root/.deploy-kit/history.jsonl" ]; then tail -n 2000 "$root/.deploy-kit/history.jsonl" | sed 's/^/history=/'; fi
`;

/** Creates the layout if needed and reports current, every release, activations; removes stale partials. */
export function inspectScript(root: string): string {
  return withVars({ root }, INSPECT_BODY);
}

export interface Inspection {
  current?: string;
  releases: string[];
  /** Whether the host has rsync (undefined when the output does not say). */
  rsync?: boolean;
  /** Activation order from history.jsonl. */
  history: Activations;
  /** Partial uploads of dead runs: removed, or left (could not be removed). */
  partials: { removed: string[]; left: string[] };
}

export function parseInspection(stdout: string): Inspection {
  const releases: string[] = [];
  const lines: string[] = [];
  const partials = { removed: [] as string[], left: [] as string[] };
  let current: string | undefined;
  let rsync: boolean | undefined;
  for (const line of stdout.split('\n')) {
    const eq = line.indexOf('=');
    const [key, value] = [line.slice(0, eq), line.slice(eq + 1)];
    if (key === 'current') current = value;
    else if (key === 'release') releases.push(value);
    else if (key === 'rsync') rsync = value === 'yes';
    else if (key === 'history') lines.push(value);
    else if (key === 'removed-partial') partials.removed.push(value);
    else if (key === 'left-partial') partials.left.push(value);
  }
  return { current, releases: releases.sort(), rsync, history: activations(parseHistoryLines(lines)), partials };
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
rm -rf "releases/$release" "releases/.$release.partial"
`,
  );
}

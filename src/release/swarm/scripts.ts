import { withVars } from '../../core/shell.js';

/** The remote scripts of `mode: swarm`; user values enter only through withVars. */

/** Prints `swarm=<LocalNodeState> <ControlAvailable>`, e.g. `swarm=active true` on a manager. */
export function managerCheckScript(): string {
  return withVars(
    {},
    `
command -v docker >/dev/null 2>&1 || { echo "docker is not installed for this user" >&2; exit 127; }
echo "swarm=$(docker info --format '{{.Swarm.LocalNodeState}} {{.Swarm.ControlAvailable}}')"
`,
  );
}

export function parseManagerCheck(stdout: string): { state: string; manager: boolean } {
  const [state, control] = (/^swarm=(.*)$/m.exec(stdout)?.[1] ?? '').trim().split(/\s+/);
  return { state: state || 'unknown', manager: state === 'active' && control === 'true' };
}

/** Writes the rendered stack file into a release (deploy only; before `current` moves). */
export function writeRenderedScript(root: string, release: string, rendered: string, content: string): string {
  return withVars({ root, release, rendered, content }, `printf '%s' "$content" > "$root/releases/$release/$rendered"`);
}

/**
 * `docker stack deploy` of a release's stack file, run in the file's directory so relative
 * env_file paths resolve inside that release. A release without the rendered file (deployed before
 * the kit rendered one) deploys its compose-file as it is.
 */
export function stackDeployScript(options: { root: string; release: string; rendered: string; file: string; stack: string }): string {
  return withVars(
    { ...options },
    `
dir="$root/releases/$release"
if [ -f "$dir/$rendered" ]; then path="$rendered"; elif [ -f "$dir/$file" ]; then path="$file"; else
  echo "release $release has neither $rendered nor $file" >&2; exit 66
fi
cd "$dir/$(dirname "$path")"
docker stack deploy --with-registry-auth --prune --compose-file "$(basename "$path")" "$stack" 2>&1
`,
  );
}

/**
 * The stack's services (`docker service inspect`) and all their tasks still in the task history
 * (`docker inspect --type task`), as two JSON arrays after marker lines. A task that vanishes
 * between the two calls is left out rather than failing the read.
 */
export function snapshotScript(stack: string): string {
  return withVars(
    { stack },
    `
ids=$(docker service ls -q --filter "label=com.docker.stack.namespace=$stack")
echo "=services"
if [ -n "$ids" ]; then docker service inspect $ids; else echo '[]'; fi
echo "=tasks"
tasks=""
if [ -n "$ids" ]; then tasks=$(docker service ps -q --no-trunc $ids 2>/dev/null || true); fi
if [ -n "$tasks" ]; then docker inspect --type task $tasks 2>/dev/null || true; else echo '[]'; fi
`,
  );
}

import { OperationalError } from '../core/errors.js';
import { withVars } from '../core/shell.js';
import type { Connections } from '../release/connect.js';
import { RENDERED_NAME } from '../release/swarm/stack-file.js';
import type { SwitchConfig } from '../release/switch/index.js';

/**
 * How the release in `current` was deployed, read on each host before smoke's rollback changes
 * anything: a rollback that does not start the older release the same way (blue/green behind nginx,
 * a swarm stack, compose) would move `current` while the failed release keeps serving. Read-only.
 */
export interface DeployedMode {
  /** `.deploy-kit/active-port`: the deploy used switch: blue-green and nginx routes to this port. */
  activePort?: number;
  /** The rendered stack file in the current release: the deploy used mode: swarm. */
  stackFile?: string;
  /** The working directory of a running compose project inside the deploy root: the deploy used mode: compose. */
  composeDir?: string;
}

/** What smoke's rollback will do, as its inputs say. */
export interface PlannedMode {
  mode: 'release' | 'compose' | 'swarm';
  switch?: SwitchConfig;
  /** A restart command of the user's own (release mode) may well be the compose up: then compose is not second-guessed. */
  restartCommand?: string;
}

export function deployedModeScript(root: string): string {
  return withVars(
    { root, rendered: RENDERED_NAME },
    `
state="$root/.deploy-kit"
if [ -s "$state/active-port" ]; then echo "active-port=$(head -n 1 "$state/active-port")"; fi
[ -d "$root/current/" ] || exit 0
abs=$(cd "$root" && pwd -P)
stack=$(find "$root/current/" -maxdepth 3 -name "$rendered" -type f -print 2>/dev/null | head -n 1)
[ -z "$stack" ] || echo "stack-file=\${stack#"$root/current/"}"
# Compose labels each container with its project's directory: one under the deploy root is a compose release.
for tool in docker podman; do
  command -v "$tool" >/dev/null 2>&1 || continue
  # No daemon, or no access to it: nothing is known about compose, which is not a reason to stop.
  { "$tool" ps --format '{{.Label "com.docker.compose.project.working_dir"}}' 2>/dev/null || true; } | while IFS= read -r dir; do
    case "$dir" in "$abs"/current | "$abs"/current/* | "$abs"/releases/*) echo "compose-dir=$dir" ;; esac
  done
  break
done
exit 0
`,
  );
}

export function parseDeployedMode(stdout: string): DeployedMode {
  const port = /^active-port=(\d+)$/m.exec(stdout)?.[1];
  return {
    activePort: port ? Number(port) : undefined,
    stackFile: /^stack-file=(.+)$/m.exec(stdout)?.[1],
    composeDir: /^compose-dir=(.+)$/m.exec(stdout)?.[1],
  };
}

const NEXT_STEP = 'nothing on the hosts was changed and the failed release is still live: run the rollback action with those inputs now';

/** Why smoke's rollback would not start the older release the way the deploy started this one; undefined when it would. */
export function modeMismatch(label: string, deployed: DeployedMode, planned: PlannedMode): OperationalError | undefined {
  if (deployed.stackFile !== undefined && planned.mode !== 'swarm')
    return new OperationalError(
      `${label}: the current release was deployed with mode: swarm (it holds ${deployed.stackFile}), but smoke's mode is ${planned.mode}; rolling back would move current while the stack keeps running the failed release. Not rolled back.`,
      `give smoke the deploy's "mode: swarm", "stack" (default the last segment of path) and "compose-file", then smoke rolls the stack back itself; ${NEXT_STEP}`,
    );
  if (deployed.activePort !== undefined && planned.switch?.kind !== 'blue-green')
    return new OperationalError(
      `${label}: the current release was deployed with switch: blue-green (.deploy-kit/active-port: nginx sends requests to port ${deployed.activePort}), but smoke's switch is restart; rolling back would move current while nginx keeps routing to the failed instance. Not rolled back.`,
      `give smoke the deploy's "switch: blue-green", "ports", "start-command" and "nginx-upstream-file" (and stop-command, health-path, nginx-test-command, nginx-reload-command if the deploy set them); ${NEXT_STEP} (if the app no longer runs blue/green, remove .deploy-kit/active-port under path)`,
    );
  if (deployed.composeDir !== undefined && planned.mode === 'release' && !planned.restartCommand)
    return new OperationalError(
      `${label}: a compose project runs from the deploy root (${deployed.composeDir}), so the deploy used mode: compose, but smoke's mode is release without a restart-command; rolling back would move current while the failed release's containers keep running. Not rolled back.`,
      `give smoke the deploy's "mode: compose", "compose-file" and "compose-project"; ${NEXT_STEP}`,
    );
  return undefined;
}

/** Reads every host's deployed mode over the rollback's own connections; throws the first mismatch. */
export async function checkDeployedMode(connections: Connections, planned: PlannedMode): Promise<void> {
  for (const host of connections.hosts) {
    const deployed = parseDeployedMode(await host.script('reading how the current release was deployed', deployedModeScript(host.root)));
    const mismatch = modeMismatch(host.label, deployed, planned);
    if (mismatch) throw mismatch;
  }
}

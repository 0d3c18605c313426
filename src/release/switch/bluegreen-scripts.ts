import type { HealthRouting } from '../../core/health-host.js';
import { withVars } from '../../core/shell.js';

/**
 * Remote scripts of the blue/green switch. The kit's state lives next to the lock:
 * <path>/.deploy-kit/active-port, and per port port-<PORT>.pid ("pid starttime"),
 * port-<PORT>.release and port-<PORT>.log; <path>/ports/<PORT> links to the release started there.
 */

/** Prints a process's start time (field 22 of /proc/PID/stat), so a recycled pid is never signalled. */
const STARTTIME_FN = `
starttime() {
  local s
  s=$(cat "/proc/$1/stat" 2>/dev/null) || { echo -; return 0; }
  s=\${s##*) }
  # shellcheck disable=SC2086 # split the stat line into its fields
  set -- $s
  echo "\${20}"
}
# Prints the pid recorded for a port if that process (same start time) still runs.
recorded_pid() {
  local file="$state/port-$1.pid" pid started
  [ -f "$file" ] || return 0
  read -r pid started < "$file" || true
  [ -n "$pid" ] || return 0
  kill -0 "$pid" 2>/dev/null || return 0
  [ "$started" = "$(starttime "$pid")" ] || return 0
  echo "$pid"
}
`;

export function stateScript(root: string): string {
  return withVars(
    { root },
    `
state="$root/.deploy-kit"
mkdir -p "$state"
if [ -s "$state/active-port" ]; then echo "active=$(cat "$state/active-port")"; fi
echo "curl=$(command -v curl >/dev/null 2>&1 && echo yes || echo no)"
`,
  );
}

export interface BlueGreenState {
  active?: number;
  curl: boolean;
}

export function parseState(stdout: string): BlueGreenState {
  const active = /^active=(\d+)$/m.exec(stdout)?.[1];
  return { active: active ? Number(active) : undefined, curl: /^curl=yes$/m.test(stdout) };
}

/**
 * Starts a release on a port, detached from the SSH session (setsid, no inherited descriptors),
 * in the release's real directory, with PORT and the release in its environment. Refuses a port
 * that something else already listens on, so the health check can only ever reach the new release.
 */
export function startInstanceScript(root: string, release: string, port: number, command: string): string {
  return withVars(
    { root, release, port: String(port), start_command: command },
    `
state="$root/.deploy-kit"
${STARTTIME_FN}
if { exec 3<>"/dev/tcp/127.0.0.1/$port"; } 2>/dev/null; then
  exec 3>&-
  echo "port $port is already in use by a process the kit did not start; stop it, or choose other ports" >&2
  exit 30
fi
abs_root=$(cd "$root" && pwd -P)
dir=$(cd "$root/releases/$release" && pwd -P)
log="$state/port-$port.log"
pidfile="$state/port-$port.pid"
[ -f "$log" ] && mv -f "$log" "$log.1"
rm -f "$pidfile"
printf '%s\\n' "$release" > "$state/port-$port.release"
# A stable path per port for units that cannot take the release from the environment (WorkingDirectory=<path>/ports/%i).
mkdir -p "$abs_root/ports"
ln -sfn "../releases/$release" "$abs_root/ports/.$port.tmp"
mv -T "$abs_root/ports/.$port.tmp" "$abs_root/ports/$port"
export PORT="$port" DEPLOY_KIT_RELEASE="$release" DEPLOY_KIT_RELEASE_DIR="$dir" DEPLOY_KIT_ROOT="$abs_root" DEPLOY_KIT_START="$start_command" DEPLOY_KIT_PIDFILE="$pidfile"
export -f starttime
cd "$dir"
setsid bash --noprofile --norc -c 'echo "$$ $(starttime $$)" > "$DEPLOY_KIT_PIDFILE.tmp" && mv -f "$DEPLOY_KIT_PIDFILE.tmp" "$DEPLOY_KIT_PIDFILE"; unset -f starttime; exec bash --noprofile --norc -eo pipefail -c "$DEPLOY_KIT_START"' < /dev/null >> "$log" 2>&1 &
for _ in $(seq 1 50); do [ -f "$pidfile" ] && break; sleep 0.1; done
[ -f "$pidfile" ] || { echo "start-command did not start within 5s; log $log:" >&2; tail -n 20 "$log" >&2; exit 31; }
echo "started=$(cut -d' ' -f1 "$pidfile")"
`,
  );
}

/**
 * Stops what runs on a port: the stop-command when given (PORT and the release in its environment),
 * else SIGTERM to the process group the kit recorded, SIGKILL after `graceSeconds`.
 */
export function stopInstanceScript(root: string, port: number, stopCommand: string | undefined, graceSeconds: number): string {
  return withVars(
    { root, port: String(port), stop_command: stopCommand ?? '', grace: String(graceSeconds) },
    `
state="$root/.deploy-kit"
${STARTTIME_FN}
release=$(cat "$state/port-$port.release" 2>/dev/null || true)
if [ -n "$stop_command" ]; then
  abs_root=$(cd "$root" && pwd -P)
  (cd "$abs_root" && PORT="$port" DEPLOY_KIT_RELEASE="$release" DEPLOY_KIT_ROOT="$abs_root" bash --noprofile --norc -eo pipefail -c "$stop_command")
  echo "stopped=command"
else
  pid=$(recorded_pid "$port")
  if [ -n "$pid" ]; then
    kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 $((grace * 10))); do kill -0 -- "-$pid" 2>/dev/null || kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    if kill -0 -- "-$pid" 2>/dev/null || kill -0 "$pid" 2>/dev/null; then
      kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
      echo "killed=$pid"
    else
      echo "stopped=$pid"
    fi
  fi
fi
rm -f "$state/port-$port.pid" "$state/port-$port.release"
`,
  );
}

/**
 * One health probe of 127.0.0.1:<port><path> from the host: curl when present, else a plain
 * HTTP/1.0 request over bash's /dev/tcp. Prints alive=, status= and the body after a "---" line.
 * `routing` sends the public Host (Django's ALLOWED_HOSTS) and X-Forwarded-Proto (SECURE_SSL_REDIRECT).
 */
export function probeScript(root: string, port: number, path: string, useCurl: boolean, routing: HealthRouting = {}): string {
  return withVars(
    {
      root,
      port: String(port),
      path,
      use_curl: useCurl ? 'yes' : 'no',
      host_header: routing.host ?? '',
      forwarded_proto: routing.forwardedProto ?? '',
    },
    `
state="$root/.deploy-kit"
${STARTTIME_FN}
if [ -n "$(recorded_pid "$port")" ]; then echo "alive=yes"; else echo "alive=no"; fi
body=$(mktemp)
trap 'rm -f "$body" "$body.raw"' EXIT
code=000
[ -n "$host_header" ] || host_header="127.0.0.1:$port"
extra=()
[ -z "$forwarded_proto" ] || extra=(-H "X-Forwarded-Proto: $forwarded_proto")
if [ "$use_curl" = yes ]; then
  code=$(curl -sS -o "$body" -w '%{http_code}' --max-time 5 -H "Host: $host_header" \${extra[@]+"\${extra[@]}"} "http://127.0.0.1:$port$path" 2>/dev/null) || code=000
elif { exec 3<>"/dev/tcp/127.0.0.1/$port"; } 2>/dev/null; then
  proto_line=""
  [ -z "$forwarded_proto" ] || proto_line="X-Forwarded-Proto: $forwarded_proto"$'\\r\\n'
  printf 'GET %s HTTP/1.0\\r\\nHost: %s\\r\\n%sConnection: close\\r\\n\\r\\n' "$path" "$host_header" "$proto_line" >&3
  timeout 5 cat <&3 > "$body.raw" || true
  exec 3>&-
  code=$(head -n 1 "$body.raw" | cut -d' ' -f2)
  sed '1,/^\\r\\{0,1\\}$/d' "$body.raw" > "$body"
fi
echo "status=\${code:-000}"
echo "---"
head -c 2000 "$body"
`,
  );
}

export interface Probe {
  alive: boolean;
  status: number;
  body: string;
}

export function parseProbe(stdout: string): Probe {
  const split = stdout.indexOf('\n---\n');
  const head = split >= 0 ? stdout.slice(0, split) : stdout;
  return {
    alive: /^alive=yes$/m.test(head),
    status: Number(/^status=(\d+)$/m.exec(head)?.[1] ?? 0),
    body: split >= 0 ? stdout.slice(split + 5) : '',
  };
}

/** The last lines an instance wrote, for an error message. */
export function logTailScript(root: string, port: number, lines = 15): string {
  return withVars(
    { root, port: String(port), lines: String(lines) },
    `tail -n "$lines" "$root/.deploy-kit/port-$port.log" 2>/dev/null || true`,
  );
}

export function recordActivePortScript(root: string, port: number | undefined): string {
  return withVars(
    { root, port: port === undefined ? '' : String(port) },
    `
state="$root/.deploy-kit"
if [ -z "$port" ]; then rm -f "$state/active-port"; exit 0; fi
printf '%s\\n' "$port" > "$state/.active-port.tmp"
mv -f "$state/.active-port.tmp" "$state/active-port"
`,
  );
}

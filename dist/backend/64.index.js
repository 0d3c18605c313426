export const id = 64;
export const ids = [64];
export const modules = {

/***/ 4064:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  deploy: () => (/* binding */ deploy)
});

// EXTERNAL MODULE: ./src/core/cancel.ts
var cancel = __webpack_require__(9317);
// EXTERNAL MODULE: ./src/core/errors.ts
var errors = __webpack_require__(4296);
// EXTERNAL MODULE: ./src/release/activation.ts
var activation = __webpack_require__(4301);
// EXTERNAL MODULE: ./src/release/connect.ts + 6 modules
var connect = __webpack_require__(5956);
// EXTERNAL MODULE: ./src/core/shell.ts
var shell = __webpack_require__(6673);
// EXTERNAL MODULE: ./src/release/layout.ts
var release_layout = __webpack_require__(835);
;// CONCATENATED MODULE: ./src/release/shared.ts

/**
 * Links shared dirs (created when absent) and shared files (which must exist) into a release
 * directory (`dir`, under releases/). Every path is resolved physically first (realpath: a link in
 * the release is followed): one whose parent leads outside the release refuses the deploy before
 * anything is changed (exit 5), so `storage -> /elsewhere` never lets `storage/data` touch /elsewhere.
 */
function linkSharedScript(root, dir, dirs, files) {
    return withVars({ root, dir, dirs: dirs.join('\n'), files: files.join('\n') }, LINK_SHARED_BODY);
}
/** Expects $root, $dir, $dirs and $files. */
const LINK_SHARED_BODY = `
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

;// CONCATENATED MODULE: ./src/release/finalize.ts



/**
 * Turns a complete upload into a release in one round trip: refuses an empty one (exit 7), links
 * the shared paths inside the partial directory (shared.ts: exit 5 or 3), then renames it into
 * place, so `releases/<id>` only ever appears complete.
 */
function finalizeScript(root, release, dirs, files) {
    return (0,shell/* withVars */.Jj)({ root, release, dir: (0,release_layout/* partialName */.t4)(release), dirs: dirs.join('\n'), files: files.join('\n') }, `
[ -d "$root/releases/$dir" ] || { echo "the upload of $release did not create releases/$dir" >&2; exit 6; }
if [ -z "$(find "$root/releases/$dir" -mindepth 1 ! -type d -print -quit)" ]; then
  echo "release $release has no files: check the source directory and exclude (a pattern like '*' leaves nothing)" >&2
  exit 7
fi
${LINK_SHARED_BODY}
[ ! -e "$root/releases/$release" ] || { echo "release $release already exists" >&2; exit 8; }
mv -T "$root/releases/$dir" "$root/releases/$release"
`);
}

// EXTERNAL MODULE: ./src/core/retry.ts
var retry = __webpack_require__(7253);
// EXTERNAL MODULE: external "node:util"
var external_node_util_ = __webpack_require__(7975);
;// CONCATENATED MODULE: ./src/release/swarm/converge.ts

function parseSnapshot(stdout) {
    const services = /^=services\n([\s\S]*?)^=tasks\n/m.exec(stdout)?.[1];
    const tasks = /^=tasks\n([\s\S]*)$/m.exec(stdout)?.[1];
    if (services === undefined || tasks === undefined)
        throw new Error(`unexpected output reading the stack: ${stdout.slice(0, 200)}`);
    const json = (text) => (text.trim() ? JSON.parse(text) : []);
    return { services: json(services), tasks: json(tasks) };
}
const FAILED_TASK = new Set(['failed', 'rejected', 'orphaned']);
const PAUSED = new Set(['paused', 'update_paused', 'rollback_paused']);
const shortName = (name, stack) => (name.startsWith(`${stack}_`) ? name.slice(stack.length + 1) : name);
const imageOf = (spec) => spec?.ContainerSpec?.Image ?? '';
/** A failed task as `docker service ps --no-trunc` would show it: name, image, state, error. */
function describeTask(task, service) {
    const error = task.Status.Err ?? task.Status.Message ?? '';
    return `${service}.${task.Slot ?? task.ID.slice(0, 12)} (${imageOf(task.Spec)}): ${task.Status.State}${error ? `: ${error}` : ''}`;
}
function reportServices(snapshot, stack) {
    const out = {};
    for (const service of snapshot.services) {
        const image = imageOf(service.Spec.TaskTemplate);
        const mine = snapshot.tasks.filter((t) => t.ServiceID === service.ID && t.DesiredState === 'running');
        const running = mine.filter((t) => t.Status.State === 'running' && imageOf(t.Spec) === image).length;
        const desired = service.Spec.Mode?.Global ? mine.length : (service.Spec.Mode?.Replicated?.Replicas ?? 1);
        out[shortName(service.Spec.Name, stack)] = { image, digest: /@(sha256:[0-9a-f]{64})$/.exec(image)?.[1], running, desired };
    }
    return out;
}
/** Judges the stack after a deploy against the snapshot taken just before it. */
function judge(before, after, stack, expected) {
    const services = reportServices(after, stack);
    const known = new Map(before.services.map((s) => [s.ID, s]));
    const oldTasks = new Set(before.tasks.map((t) => t.ID));
    const waiting = [];
    const reasons = [];
    const rolledBack = [];
    const taskErrors = [];
    let changedOthers = 0;
    const missing = expected.filter((name) => !services[name]);
    if (missing.length > 0)
        waiting.push(`${missing.join(', ')} not created yet`);
    for (const service of after.services) {
        const name = shortName(service.Spec.Name, stack);
        const old = known.get(service.ID);
        const update = service.UpdateStatus;
        const ours = update?.StartedAt !== undefined && update.StartedAt !== old?.UpdateStatus?.StartedAt;
        const templateChanged = old !== undefined && !(0,external_node_util_.isDeepStrictEqual)(old.Spec.TaskTemplate, service.Spec.TaskTemplate);
        const failedTasks = after.tasks.filter((t) => t.ServiceID === service.ID && !oldTasks.has(t.ID) && FAILED_TASK.has(t.Status.State));
        taskErrors.push(...failedTasks.map((t) => describeTask(t, name)));
        const state = ours ? (update?.State ?? '') : '';
        if (state === 'rollback_completed') {
            rolledBack.push(name);
            reasons.push(`${name}: Swarm rolled the update back by itself (${update?.Message ?? 'rollback_completed'})`);
            continue;
        }
        if (templateChanged)
            changedOthers += 1;
        if (PAUSED.has(state)) {
            reasons.push(`${name}: the update is ${state} (${update?.Message ?? 'no message'})`);
            continue;
        }
        if (state === 'updating' || state === 'rollback_started') {
            waiting.push(`${name}: ${state}`);
            continue;
        }
        // Swarm judges an update with failure_action rollback itself; a new service or any other
        // failure action has nobody to do that, so this deploy's failed task is the verdict.
        const swarmDecides = old !== undefined && templateChanged && service.Spec.UpdateConfig?.FailureAction === 'rollback';
        const image = imageOf(service.Spec.TaskTemplate);
        const newFailures = failedTasks.filter((t) => imageOf(t.Spec) === image);
        if (newFailures.length > 0 && !swarmDecides) {
            reasons.push(`${name}: ${newFailures.length} task(s) of ${image} failed`);
            continue;
        }
        if (templateChanged && !ours) {
            waiting.push(`${name}: update not started yet`);
            continue;
        }
        const report = services[name];
        const stale = after.tasks.filter((t) => t.ServiceID === service.ID && t.DesiredState === 'running' && (t.Status.State !== 'running' || imageOf(t.Spec) !== image));
        if (report.running < report.desired || stale.length > 0) {
            const states = stale.map((t) => t.Status.State).join(', ');
            waiting.push(`${name}: ${report.running}/${report.desired} running${states ? ` (others ${states})` : ''}`);
        }
    }
    if (reasons.length > 0) {
        const added = after.services.filter((s) => !known.has(s.ID)).length;
        const removed = before.services.filter((s) => !after.services.some((a) => a.ID === s.ID)).length;
        const swarmRestoredAll = rolledBack.length > 0 && changedOthers === 0 && added === 0 && removed === 0;
        return { state: 'failed', services, rolledBack, swarmRestoredAll, reasons, taskErrors };
    }
    if (waiting.length > 0)
        return { state: 'waiting', reason: waiting.join('; ') };
    return { state: 'converged', services };
}

// EXTERNAL MODULE: ./src/release/swarm/scripts.ts
var scripts = __webpack_require__(4162);
;// CONCATENATED MODULE: ./src/release/swarm/strategy.ts




/**
 * `mode: swarm` as a switch strategy, so deploy and rollback keep their fixed sequence (lock,
 * upload, before-switch, switch, health-url, revert, history): activate switches `current`, runs
 * `docker stack deploy` of the release's stack file and waits until the stack has converged;
 * revert deploys the previous release's stack file again, unless Swarm already put every changed
 * service back by itself (`update_config.failure_action: rollback`), which it then says.
 */
function swarmStrategy(config, ctx) {
    /** The last failed wait per host, so revert knows whether Swarm already rolled back. */
    const failures = new Map();
    const snapshot = async (host) => parseSnapshot(await host.script(`reading stack ${config.stack}`, (0,scripts/* snapshotScript */.Wz)(config.stack)));
    async function deployStack(host, release) {
        const before = await snapshot(host);
        const script = (0,scripts/* stackDeployScript */.DO)({ root: host.root, release, rendered: config.rendered, file: config.file, stack: config.stack });
        const output = await host.script(`docker stack deploy of ${release}`, script);
        if (output.trim())
            ctx.logger.info((0,errors/* tail */.RT)(output, 30));
        return before;
    }
    /** Polls the stack until it converges or fails; every attempt is one SSH round trip. */
    async function waitFor(host, release, before, expected) {
        const started = ctx.clock.now();
        const result = await (0,retry/* pollUntil */.g)({
            what: `stack ${config.stack} to converge on ${release} on ${host.label}`,
            timeoutMs: config.timeoutMs,
            clock: ctx.clock,
            initialDelayMs: 500,
            maxDelayMs: 2000,
        }, async () => {
            const verdict = judge(before, await snapshot(host), config.stack, expected);
            return verdict.state === 'waiting' ? { done: false, reason: verdict.reason } : { done: true, value: verdict };
        });
        const seconds = (ctx.clock.now() - started) / 1000;
        const verdict = result.value;
        if (config.report)
            config.report.services = verdict.services;
        ctx.logger.info(`${host.label}: stack ${config.stack} ${verdict.state} on ${release} after ${seconds.toFixed(1)}s (${result.attempts} reads)`);
        return { verdict, seconds };
    }
    function failure(host, release, verdict) {
        const swarm = verdict.rolledBack.length > 0 ? ` Swarm rolled back ${verdict.rolledBack.join(', ')} by itself.` : '';
        const tasks = verdict.taskErrors.length > 0
            ? `\nfailed tasks (docker service ps --no-trunc):\n${[...new Set(verdict.taskErrors)].slice(-10).join('\n')}`
            : '';
        return new errors/* OperationalError */.LE(`${host.label}: stack ${config.stack} did not converge on ${release}: ${verdict.reasons.join('; ')}.${swarm}${tasks}`, `look at docker service ps --no-trunc ${config.stack}_<service> and docker service logs on the manager, fix the release and deploy again`);
    }
    return {
        async activate(host, release, switched) {
            failures.delete(host.label);
            if (config.content !== undefined) {
                await host.script('writing the stack file', (0,scripts/* writeRenderedScript */.yv)(host.root, release, config.rendered, config.content));
            }
            await host.switchTo(release);
            switched();
            const { verdict, seconds } = await ctx.logger.group(`${host.label}: docker stack deploy ${config.stack}`, async () => {
                const before = await deployStack(host, release);
                return waitFor(host, release, before, config.services ?? []);
            });
            if (verdict.state === 'failed') {
                failures.set(host.label, verdict);
                throw failure(host, release, verdict);
            }
            const services = verdict.state === 'converged' ? verdict.services : {};
            const summary = Object.entries(services).map(([name, s]) => `${name} ${s.running}/${s.desired}`);
            return [`stack ${config.stack} converged in ${seconds.toFixed(1)}s: ${summary.join(', ')}`];
        },
        async revert(host, previous, why) {
            const failed = failures.get(host.label);
            failures.delete(host.label);
            await host.switchTo(previous);
            if (!previous) {
                ctx.logger.warning(`${host.label}: the first deploy of stack ${config.stack} failed; it is left as it is for inspection (docker stack rm ${config.stack} removes it)`);
                return;
            }
            if (failed?.swarmRestoredAll) {
                ctx.logger.warning(`${host.label}: Swarm already rolled ${failed.rolledBack.join(', ')} back to the previous spec by itself (update_config.failure_action: rollback); current points at ${previous} again, its stack file is not deployed a second time`);
                return;
            }
            await ctx.logger.group(`${host.label}: ${why}: docker stack deploy ${config.stack} of ${previous}`, async () => {
                const before = await deployStack(host, previous);
                const { verdict } = await waitFor(host, previous, before, []);
                if (verdict.state === 'failed')
                    throw failure(host, previous, verdict);
            });
        },
    };
}

// EXTERNAL MODULE: ./src/core/health.ts
var core_health = __webpack_require__(4365);
;// CONCATENATED MODULE: ./src/release/switch/bluegreen-scripts.ts

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
function stateScript(root) {
    return (0,shell/* withVars */.Jj)({ root }, `
state="$root/.deploy-kit"
mkdir -p "$state"
if [ -s "$state/active-port" ]; then echo "active=$(cat "$state/active-port")"; fi
echo "curl=$(command -v curl >/dev/null 2>&1 && echo yes || echo no)"
`);
}
function parseState(stdout) {
    const active = /^active=(\d+)$/m.exec(stdout)?.[1];
    return { active: active ? Number(active) : undefined, curl: /^curl=yes$/m.test(stdout) };
}
/**
 * Starts a release on a port, detached from the SSH session (setsid, no inherited descriptors),
 * in the release's real directory, with PORT and the release in its environment. Refuses a port
 * that something else already listens on, so the health check can only ever reach the new release.
 */
function startInstanceScript(root, release, port, command) {
    return (0,shell/* withVars */.Jj)({ root, release, port: String(port), start_command: command }, `
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
`);
}
/**
 * Stops what runs on a port: the stop-command when given (PORT and the release in its environment),
 * else SIGTERM to the process group the kit recorded, SIGKILL after `graceSeconds`.
 */
function stopInstanceScript(root, port, stopCommand, graceSeconds) {
    return (0,shell/* withVars */.Jj)({ root, port: String(port), stop_command: stopCommand ?? '', grace: String(graceSeconds) }, `
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
`);
}
/**
 * One health probe of 127.0.0.1:<port><path> from the host: curl when present, else a plain
 * HTTP/1.0 request over bash's /dev/tcp. Prints alive=, status= and the body after a "---" line.
 * `routing` sends the public Host (Django's ALLOWED_HOSTS) and X-Forwarded-Proto (SECURE_SSL_REDIRECT).
 */
function probeScript(root, port, path, useCurl, routing = {}) {
    return (0,shell/* withVars */.Jj)({
        root,
        port: String(port),
        path,
        use_curl: useCurl ? 'yes' : 'no',
        host_header: routing.host ?? '',
        forwarded_proto: routing.forwardedProto ?? '',
    }, `
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
`);
}
function parseProbe(stdout) {
    const split = stdout.indexOf('\n---\n');
    const head = split >= 0 ? stdout.slice(0, split) : stdout;
    return {
        alive: /^alive=yes$/m.test(head),
        status: Number(/^status=(\d+)$/m.exec(head)?.[1] ?? 0),
        body: split >= 0 ? stdout.slice(split + 5) : '',
    };
}
/** The last lines an instance wrote, for an error message. */
function logTailScript(root, port, lines = 15) {
    return (0,shell/* withVars */.Jj)({ root, port: String(port), lines: String(lines) }, `tail -n "$lines" "$root/.deploy-kit/port-$port.log" 2>/dev/null || true`);
}
function recordActivePortScript(root, port) {
    return (0,shell/* withVars */.Jj)({ root, port: port === undefined ? '' : String(port) }, `
state="$root/.deploy-kit"
if [ -z "$port" ]; then rm -f "$state/active-port"; exit 0; fi
printf '%s\\n' "$port" > "$state/.active-port.tmp"
mv -f "$state/.active-port.tmp" "$state/active-port"
`);
}

;// CONCATENATED MODULE: ./src/release/switch/nginx.ts

/** Exit codes of the switch script, so the error can say which step refused. */
const NGINX_TEST_FAILED = 20;
const NGINX_RELOAD_FAILED = 21;
function upstreamFileContent(port) {
    return `# written by deploy-kit (switch: blue-green); do not edit, the next deploy rewrites it\nserver 127.0.0.1:${port};\n`;
}
/**
 * Points the upstream include at `port`: a temp file renamed over the old one (rename(2)), then
 * the test command, then a graceful reload. If the test or the reload fails, the old file is put
 * back, so the configuration nginx runs with and the one on disk never point at the new port.
 */
function switchUpstreamScript(config, port) {
    return (0,shell/* withVars */.Jj)({
        file: config.upstreamFile,
        port: String(port),
        content: upstreamFileContent(port),
        test_command: config.testCommand,
        reload_command: config.reloadCommand,
    }, `
dir=$(dirname "$file")
base=$(basename "$file")
mkdir -p "$dir"
tmp="$dir/.$base.deploy-kit.$$"
backup="$dir/.$base.deploy-kit-previous"
had=no
if [ -e "$file" ]; then cp -p "$file" "$backup"; had=yes; fi
printf '%s' "$content" > "$tmp"
if [ "$had" = yes ]; then chmod --reference="$backup" "$tmp" 2>/dev/null || true; else chmod 0644 "$tmp"; fi
mv -f "$tmp" "$file"
restore() {
  if [ "$had" = yes ]; then mv -f "$backup" "$file"; else rm -f "$file"; fi
}
if ! out=$(bash --noprofile --norc -c "$test_command" 2>&1); then
  restore
  printf '%s\\n' "$out" >&2
  echo "the nginx configuration test ($test_command) failed with the new upstream; the previous $file is back and nginx was not reloaded" >&2
  exit ${NGINX_TEST_FAILED}
fi
if ! out=$(bash --noprofile --norc -c "$reload_command" 2>&1); then
  restore
  printf '%s\\n' "$out" >&2
  echo "the nginx reload ($reload_command) failed; the previous $file is back" >&2
  exit ${NGINX_RELOAD_FAILED}
fi
rm -f "$backup"
echo "upstream=$port"
`);
}

;// CONCATENATED MODULE: ./src/release/switch/bluegreen.ts





/** Seconds a stopped instance gets between SIGTERM and SIGKILL when the kit stops it itself. */
const STOP_GRACE_SECONDS = 30;
/**
 * Blue/green behind nginx: start the release on the idle port, check it there, point the upstream
 * include at it (nginx -t, graceful reload), switch `current`, record the port, let in-flight
 * requests drain, stop the old instance. Until the reload, the old instance is the one serving;
 * any failure before then stops the new instance and leaves the upstream file as it was.
 */
function blueGreenStrategy(config, health, ctx) {
    const stop = (host, port) => host.script(`stopping the instance on port ${port}`, stopInstanceScript(host.root, port, config.stopCommand, STOP_GRACE_SECONDS));
    const stopQuietly = (host, port) => stop(host, port).catch((error) => ctx.logger.warning(`${host.label}: could not stop the instance on port ${port}: ${(0,errors/* errorMessage */.gJ)(error)}`));
    /** Fails the check with the last lines of the instance's log appended, when there are any. */
    async function failWithLog(host, port, message, separator) {
        const log = await host.script('reading the instance log', logTailScript(host.root, port)).catch(() => '');
        throw new errors/* OperationalError */.LE(`${message}${log.trim() ? `${separator}last lines of .deploy-kit/port-${port}.log:\n${(0,errors/* tail */.RT)(log, 15)}` : ''}`, 'the old instance is still serving; fix the release or start-command and deploy again');
    }
    async function checkPort(host, port, curl) {
        const what = `health check http://127.0.0.1:${port}${config.healthPath} on ${host.label} (expecting ${(0,core_health/* describeExpectation */.uN)(health.expect)})`;
        const result = await (0,retry/* pollUntil */.g)({ what, timeoutMs: health.timeoutMs, clock: ctx.clock, initialDelayMs: 200, maxDelayMs: 2000 }, async () => {
            const probe = parseProbe(await host.script('probing the new instance', probeScript(host.root, port, config.healthPath, curl, health.routing)));
            // A process the kit started that is gone will not come back: stop waiting.
            if (!config.stopCommand && !probe.alive)
                return { done: true, value: { exited: true, detail: `HTTP ${probe.status || 'none'}` } };
            if (probe.status === 0)
                return { done: false, reason: `nothing answers on 127.0.0.1:${port}` };
            const judged = (0,core_health/* judgeResponse */.xB)(probe.status, probe.body, health.expect);
            return judged.done ? { done: true, value: { exited: false, detail: judged.value } } : judged;
        }).catch((error) => failWithLog(host, port, (0,errors/* errorMessage */.gJ)(error), '\n'));
        if (result.value.exited)
            await failWithLog(host, port, `${host.label}: the instance started on port ${port} exited before it was healthy`, '; ');
        return `port ${port}: ${result.value.detail} after ${result.attempts} attempt(s)`;
    }
    async function activate(host, release, switched) {
        const state = parseState(await host.script('reading the blue-green state', stateScript(host.root)));
        const live = state.active;
        const idle = live === config.ports[0] ? config.ports[1] : config.ports[0];
        ctx.logger.info(`${host.label}: live port ${live ?? 'none'}, starting ${release} on port ${idle}${state.curl ? '' : ' (no curl on the host: checking over /dev/tcp)'}`);
        // Whatever a failed run left on the idle port goes first, so the check can only reach this release.
        await stop(host, idle);
        const notes = [];
        await host.script(`start-command for ${release} on port ${idle}`, startInstanceScript(host.root, release, idle, config.startCommand));
        try {
            notes.push(await checkPort(host, idle, state.curl));
            await host.script(`switching nginx to port ${idle}`, switchUpstreamScript(config.nginx, idle));
        }
        catch (error) {
            await stopQuietly(host, idle);
            throw error;
        }
        switched();
        await host.switchTo(release);
        await host.script('recording the active port', recordActivePortScript(host.root, idle));
        if (live !== undefined && live !== idle) {
            ctx.logger.info(`${host.label}: nginx now sends new requests to port ${idle}; draining port ${live} for ${config.drainMs / 1000}s`);
            if (config.drainMs > 0)
                await ctx.clock.sleep(config.drainMs);
            await stopQuietly(host, live);
        }
        return notes;
    }
    return {
        activate,
        async revert(host, previous, why) {
            if (previous) {
                ctx.logger.warning(`${host.label}: ${why}: starting ${previous} again on the idle port`);
                await activate(host, previous, () => undefined);
                return;
            }
            const state = parseState(await host.script('reading the blue-green state', stateScript(host.root)));
            if (state.active !== undefined)
                await stopQuietly(host, state.active);
            await host.script('clearing the active port', recordActivePortScript(host.root, undefined));
            await host.switchTo(undefined);
        },
    };
}

;// CONCATENATED MODULE: ./src/release/switch/restart.ts
/**
 * `restart-command` holds one command per line (a line ending in `\` continues on the next), so the
 * web process, Celery workers and beat each get theirs: `sudo systemctl restart app`, then
 * `sudo systemctl restart celery-worker`, ... Blank lines are ignored.
 */
function restartCommands(text) {
    const commands = [];
    let pending = '';
    for (const line of (text ?? '').split('\n')) {
        const joined = pending + line;
        if (/\\\s*$/.test(joined)) {
            // Kept as written: bash reads backslash-newline as a continuation.
            pending = `${joined}\n`;
            continue;
        }
        pending = '';
        if (joined.trim())
            commands.push(joined.trim());
    }
    if (pending.trim())
        commands.push(pending.trim());
    return commands;
}
function label(command) {
    const first = command.split('\n')[0];
    return first.length > 60 ? `${first.slice(0, 57)}...` : first;
}
/**
 * Runs every restart command in `current`, in order; each must succeed (the first failure stops the
 * rest and fails the step, naming the command). Returns one line per command for the report.
 */
async function runRestarts(host, commands, release, why) {
    const notes = [];
    for (const [index, command] of commands.entries()) {
        const name = commands.length > 1 ? `${why} ${index + 1}/${commands.length} (${label(command)})` : `${why} (${label(command)})`;
        await host.runCommand(name, 'current', command, release);
        notes.push(`restarted: ${label(command)}`);
    }
    return notes;
}
/** `restart`: switch `current`, then run each restart-command in it (systemctl restart, docker compose up -d). */
function restartStrategy(commands, ctx) {
    return {
        async activate(host, release, switched) {
            await host.switchTo(release);
            switched();
            if (commands.length === 0)
                return [];
            return ctx.logger.group(`${host.label}: restart`, () => runRestarts(host, commands, release, 'restart-command'));
        },
        async revert(host, previous, why) {
            await host.switchTo(previous);
            if (previous)
                await runRestarts(host, commands, previous, why);
        },
    };
}
/**
 * Beside another strategy (blue/green runs the web pair): after it has switched, the restart
 * commands restart the processes that are not the web pair (Celery worker, beat), and again after
 * a revert, so they always run the code `current` points at.
 */
function withRestarts(strategy, commands, ctx) {
    if (commands.length === 0)
        return strategy;
    return {
        async activate(host, release, switched) {
            const notes = await strategy.activate(host, release, switched);
            notes.push(...(await ctx.logger.group(`${host.label}: restart`, () => runRestarts(host, commands, release, 'restart-command'))));
            return notes;
        },
        async revert(host, previous, why) {
            await strategy.revert(host, previous, why);
            if (previous)
                await runRestarts(host, commands, previous, why);
        },
    };
}

;// CONCATENATED MODULE: ./src/release/switch/index.ts



/**
 * The strategy a deploy or rollback switches with: blue/green behind nginx (then the restart commands
 * for the other processes), or switch and restart. `restartCommand` holds one command per line.
 */
function switchStrategy(config, options, ctx) {
    const commands = restartCommands(options.restartCommand);
    if (config?.kind === 'blue-green')
        return withRestarts(blueGreenStrategy(config, options.health, ctx), commands, ctx);
    if (config?.kind === 'swarm')
        return swarmStrategy(config, ctx);
    return restartStrategy(commands, ctx);
}

;// CONCATENATED MODULE: ./src/release/deploy.ts







async function revert(run, config, reason, ctx) {
    const { host, report } = run;
    try {
        await run.strategy.revert(host, report.previous, 'restart after revert');
        run.switched = false;
        report.status = 'reverted';
        await host.history('revert', { release: report.previous, previous: config.releaseId, reason });
        ctx.logger.warning(`${host.label}: reverted to ${report.previous ?? 'no release (this was the first deploy)'}`);
        // Say whether the old release serves again, so the log tells how urgent the failure is. Only the
        // status is checked: the expected body may name the new release's version.
        if (report.previous && config.health.url && !ctx.signal?.aborted) {
            await host.checkUrl({ ...config.health, expect: { status: config.health.expect.status } }).then((result) => ctx.logger.info(`${host.label}: ${report.previous} passes the health check again (${result})`), (error) => ctx.logger.error(`${host.label}: after the revert, ${report.previous} fails the health check too: ${(0,errors/* errorMessage */.gJ)(error)}`));
        }
    }
    catch (error) {
        ctx.logger.error(`${host.label}: revert to ${report.previous} failed: ${(0,errors/* errorMessage */.gJ)(error)}`);
    }
}
/** lock + inspect → upload → finish upload → before-switch → check → switch → restart → check → history + prune + unlock. */
async function deployHost(run, config, ctx) {
    const { host, report } = run;
    const started = ctx.clock.now();
    const release = config.releaseId;
    const step = (what) => (0,cancel/* checkCancelled */.S5)(ctx.signal, `the deploy of ${release} on ${host.label} (${what})`);
    let uploaded = false;
    // Every failure: mark the host failed, undo what was done on it, time it, re-raise.
    const fail = async (error, undo) => {
        const cancelled = (0,cancel/* isCancelled */.mm)(error, ctx.signal);
        report.status = cancelled ? 'cancelled' : 'failed';
        report.error = cancelled ? `cancelled: ${(0,errors/* errorMessage */.gJ)(error)}` : (0,errors/* errorMessage */.gJ)(error);
        await undo();
        // A cancelled run says so in history, after whatever it undid.
        if (cancelled && host.locked)
            await host.history('cancelled', { release, previous: report.previous, reason: report.error });
        report.seconds = (ctx.clock.now() - started) / 1000;
        throw error;
    };
    const discard = async (remove) => {
        if (remove)
            await host.script('removing the failed release', (0,release_layout/* removeReleaseScript */.JA)(config.root, release)).catch(() => undefined);
        if (host.locked && !ctx.signal?.aborted)
            await host.history('failed', { release, previous: report.previous, reason: report.error });
    };
    let layout;
    try {
        step('taking the lock');
        layout = await host.lockAndInspect(config.lock, `deploy ${release}`);
        report.previous = layout.current;
        if (layout.partials.removed.length > 0)
            ctx.logger.info(`${host.label}: removed partial uploads left by a run that died: ${layout.partials.removed.join(', ')}`);
        if (layout.releases.includes(release)) {
            throw new errors/* OperationalError */.LE(`${host.label}: release ${release} already exists`, 'choose another release-id, or use rollback to return to it');
        }
        await ctx.logger.group(`${host.label}: upload ${release}`, async () => {
            step('upload');
            uploaded = true;
            // Into a partial name, renamed into place when complete: a cut upload is never a release.
            const linkDest = layout.current ? `../${layout.current}` : undefined;
            const result = await host.transport.upload(config.source, `${config.root}/releases/${(0,release_layout/* partialName */.t4)(release)}`, {
                linkDest,
                exclude: config.exclude,
                remoteRsync: layout.rsync,
            });
            report.upload = `${result.method}, ${result.bytesSent} bytes sent`;
            ctx.logger.info(`${host.label}: ${report.upload}`);
            step('upload');
            await host.script('finishing the upload', finalizeScript(config.root, release, config.sharedDirs, config.sharedFiles));
        });
        if (config.beforeSwitch) {
            step('before-switch');
            await ctx.logger.group(`${host.label}: before-switch`, () => host.runCommand('before-switch', `releases/${release}`, config.beforeSwitch, release));
        }
        if (config.health.command)
            report.health.push(await host.checkCommand(config.health, release));
        step('switch');
    }
    catch (error) {
        return fail(error, () => discard(uploaded));
    }
    try {
        report.health.push(...(await run.strategy.activate(host, release, () => (run.switched = true))));
        step('health check');
        if (config.health.url)
            report.health.push(await host.checkUrl(config.health));
        step('health check');
    }
    catch (error) {
        return fail(error, () => (run.switched ? revert(run, config, report.error, ctx) : discard(true)));
    }
    report.status = 'deployed';
    // Pruning follows activation order; this release was just switched to, so it is the newest.
    const present = [...layout.releases, release];
    const order = { ...layout.history, order: [...layout.history.order.filter((r) => r !== release), release] };
    const protect = [release, report.previous, (0,activation/* previousActivated */.Nf)(order, release, present)].filter((r) => r !== undefined);
    // With one host the lock goes in the same round trip; with several, every host stays locked
    // until the rollout is over, since a later failure reverts this one.
    const prune = (0,activation/* pruneCandidates */.Bu)(order, present, config.keepReleases, protect);
    await host.finish('deploy', { release, previous: report.previous }, prune, config.hosts.length <= 1);
    report.seconds = (ctx.clock.now() - started) / 1000;
}
function batches(items, size) {
    const out = [];
    for (let i = 0; i < items.length; i += size)
        out.push(items.slice(i, i + size));
    return out;
}
/**
 * Rolls a release out host by host in batches of max-parallel. The first failed batch stops the
 * rollout, and every host already switched goes back to its previous release. `report` gets one
 * entry per host once they are connected, filled in as the rollout goes, also when it fails.
 */
async function deploy(config, ctx, report) {
    // The strategy first: a switch config it refuses must not leave the connections open.
    const strategy = switchStrategy(config.switch, { restartCommand: config.restartCommand, health: config.health }, ctx);
    const connections = await (0,connect/* connect */.N)(config, ctx);
    const runs = connections.hosts.map((host) => ({
        host,
        switched: false,
        strategy,
        report: { host: host.label, status: 'not started', health: [], seconds: 0 },
    }));
    report.hosts.push(...runs.map((r) => r.report));
    try {
        for (const batch of batches(runs, config.maxParallel)) {
            const results = await Promise.allSettled(batch.map((run) => deployHost(run, config, ctx)));
            report.previous ??= batch.find((r) => r.report.previous)?.report.previous;
            const failure = results.find((r) => r.status === 'rejected');
            if (failure) {
                const switched = runs.filter((r) => r.switched);
                for (const run of switched)
                    await revert(run, config, `another host failed: ${(0,errors/* errorMessage */.gJ)(failure.reason)}`, ctx);
                throw failure.reason;
            }
        }
    }
    finally {
        for (const run of runs)
            await run.host.unlock();
        await connections.close();
    }
}


/***/ })

};

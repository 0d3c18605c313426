export const id = 810;
export const ids = [810];
export const modules = {

/***/ 444:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Z: () => (/* binding */ jsonApi),
/* harmony export */   cA: () => (/* binding */ vendorMessage),
/* harmony export */   mb: () => (/* binding */ rethrowAuth)
/* harmony export */ });
/* unused harmony export nextLink */
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(4296);
/* harmony import */ var _http_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(1983);


/** The rel="next" target of an RFC 8288 Link header, as GitHub sends for paginated listings. */
function nextLink(header) {
    return header
        ?.split(',')
        .map((part) => /<([^>]+)>\s*;\s*rel="?next"?/.exec(part)?.[1])
        .find(Boolean);
}
function jsonApi(ctx, base, token, fixedQuery = {}, extraHeaders = {}) {
    const root = base.replace(/\/+$/, '');
    const send = async (method, pathOrUrl, options = {}) => {
        const url = new URL(/^https?:\/\//.test(pathOrUrl) ? pathOrUrl : root + pathOrUrl);
        for (const [k, v] of Object.entries({ ...fixedQuery, ...options.query }))
            if (v !== undefined)
                url.searchParams.set(k, v);
        const headers = {
            authorization: `Bearer ${token}`,
            accept: 'application/json',
            ...extraHeaders,
            ...options.headers,
        };
        let body = options.raw;
        if (options.body !== undefined) {
            body = JSON.stringify(options.body);
            headers['content-type'] = 'application/json';
        }
        return ctx.http.request({ method, url: url.toString(), headers, body, timeoutMs: 120_000 });
    };
    const page = async (pathOrUrl, options) => {
        const response = await send('GET', pathOrUrl, options);
        return { data: response.json(), next: nextLink(response.headers.get('link')) };
    };
    return {
        async call(method, path, options) {
            const response = await send(method, path, options);
            return (response.body === '' ? undefined : response.json());
        },
        page,
        async *pages(pathOrUrl, options) {
            let next = pathOrUrl;
            while (next) {
                const current = await page(next, options);
                yield current.data;
                next = current.next;
            }
        },
        send,
    };
}
/** The vendor's own words from an error body: Vercel {error:{code,message}}, Netlify {code,message}, GitHub {message}. */
function vendorMessage(error) {
    if (!(error instanceof _http_js__WEBPACK_IMPORTED_MODULE_1__/* .HttpError */ .j$))
        return undefined;
    try {
        const body = JSON.parse(error.body);
        const inner = body.error ?? body;
        const code = inner.code !== undefined ? `${String(inner.code)}: ` : '';
        return inner.message ? `${code}${inner.message}` : undefined;
    }
    catch {
        return undefined;
    }
}
/** 401/403 from a vendor means the token is wrong or lacks access: a configuration problem, said plainly. */
function rethrowAuth(error, vendor, what) {
    if (error instanceof _http_js__WEBPACK_IMPORTED_MODULE_1__/* .HttpError */ .j$ && (error.status === 401 || error.status === 403)) {
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ConfigurationError */ .j1(`input "token": ${vendor} refused ${what} (HTTP ${error.status}${vendorMessage(error) ? `, ${vendorMessage(error)}` : ''}); check that the token is valid and has access to it`);
    }
    throw error;
}


/***/ }),

/***/ 7810:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  rollbackFrontend: () => (/* binding */ rollbackFrontend)
});

// EXTERNAL MODULE: ./src/core/errors.ts
var errors = __webpack_require__(4296);
;// CONCATENATED MODULE: ./src/providers/lookup.ts

/** The entry for a `provider` input; any other name fails as `<unknown> "<name>"; known: <the names>`. */
function providerEntry(table, name, unknown) {
    const entry = Object.hasOwn(table, name) ? table[name] : undefined;
    if (entry === undefined)
        throw new errors/* ConfigurationError */.j1(`input "provider": ${unknown} "${name}"; known: ${Object.keys(table).join(', ')}`);
    return entry;
}
/** A provider's required input, or `input "<input>": expected <what>`. */
function requireInput(value, input, what) {
    if (!value)
        throw new errors/* ConfigurationError */.j1(`input "${input}": expected ${what}`);
    return value;
}

// EXTERNAL MODULE: ./src/core/json-api.ts
var json_api = __webpack_require__(444);
// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(1455);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
;// CONCATENATED MODULE: ./src/providers/files.ts



async function walk(dir) {
    const entries = await readdir(dir, { withFileTypes: true });
    const nested = await Promise.all(entries.map(async (entry) => {
        const full = join(dir, entry.name);
        if (entry.isDirectory())
            return walk(full);
        return entry.isFile() ? [full] : [];
    }));
    return nested.flat();
}
/** The absolute path of every regular file under root, sorted. */
async function listSite(root) {
    return (await walk(root)).sort();
}
/** Every regular file under root with its sha1 digest (what Vercel and Netlify deduplicate by), sorted by path. */
async function digestSite(root, concurrency = 16) {
    return digestFiles(root, await listSite(root), concurrency);
}
/** The given files under root (from listSite) with their sha1 digests, in the same order. */
async function digestFiles(root, paths, concurrency = 16) {
    return mapPool(paths, concurrency, async (absolute) => {
        const data = await readFile(absolute);
        return {
            path: relative(root, absolute).split(sep).join('/'),
            absolute,
            sha: createHash('sha1').update(data).digest('hex'),
            size: data.length,
        };
    });
}
/** Runs fn over items with at most `limit` in flight; results keep the input order; the first failure rejects. */
async function mapPool(items, limit, fn) {
    const results = new Array(items.length);
    let next = 0;
    const worker = async () => {
        while (next < items.length) {
            const index = next++;
            results[index] = await fn(items[index]);
        }
    };
    await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
    return results;
}
/** The files whose sha1 is in the wanted list, one per digest (identical files are uploaded once). */
function filesForDigests(files, digests) {
    const wanted = new Set(digests);
    const seen = new Set();
    return files.filter((f) => wanted.has(f.sha) && !seen.has(f.sha) && seen.add(f.sha));
}
/** Files sent to a vendor at once. */
const UPLOAD_CONCURRENCY = 8;
/** Reads and sends each file, a few at a time; `sent` runs after each file that was sent. */
async function uploadFiles(files, send, sent) {
    await mapPool(files, UPLOAD_CONCURRENCY, async (file) => {
        const data = await (0,promises_.readFile)(file.absolute);
        await send(file, new Uint8Array(data));
        sent?.();
    });
}

// EXTERNAL MODULE: ./src/core/wait.ts
var core_wait = __webpack_require__(3210);
;// CONCATENATED MODULE: ./src/providers/wait.ts


/**
 * Polls a vendor deployment to a ready state within the deadline. A failed state fails with the
 * vendor's message; on timeout the deployment is cancelled and the error says which state it was in.
 */
async function waitForState(wait, ctx, pollMs = 1000) {
    let result;
    try {
        ({ value: result } = await (0,core_wait/* waitFor */.f)({
            what: wait.what,
            timeoutMs: wait.timeoutMs,
            clock: ctx.clock,
            initialDelayMs: Math.min(pollMs, 500),
            maxDelayMs: pollMs,
            read: () => wait.read(),
            state: (seen) => seen.state,
            initial: 'unknown',
            ended: (state) => wait.ready.includes(state) || wait.failed.includes(state),
            onChange: (_seen, state) => wait.onState?.(state),
        }));
    }
    catch (error) {
        let cancelled = 'cancelled it';
        try {
            await wait.cancel();
        }
        catch (cancelError) {
            cancelled = `could not cancel it: ${(0,errors/* errorMessage */.gJ)(cancelError)}`;
        }
        const last = error instanceof core_wait/* WaitTimeoutError */.D ? (error.lastState ?? 'unknown') : 'unknown';
        throw new errors/* OperationalError */.LE(`${wait.what} was still ${last} after ${Math.round(wait.timeoutMs / 1000)}s; ${cancelled}`, 'raise "timeout" if builds are slow, or look at the deployment in the vendor dashboard');
    }
    if (wait.failed.includes(result.state))
        throw new errors/* OperationalError */.LE(`${wait.what} ended ${result.state}: ${wait.failure(result.state, result.value)}`);
    return result.value;
}
/** waitForState for a publish: each new state is logged as "<what>: <state>" and kept in progress.state. */
async function waitForPublish(wait, ctx, progress) {
    return waitForState({
        ...wait,
        onState: (state) => {
            progress.state = state;
            ctx.logger.info(`${wait.what}: ${state}`);
        },
    }, ctx);
}

;// CONCATENATED MODULE: ./src/providers/netlify.ts




const NETLIFY_API = 'https://api.netlify.com/api/v1';
function netlifyApi(config, ctx) {
    return (0,json_api/* jsonApi */.Z)(ctx, config.apiUrl ?? NETLIFY_API, config.token);
}
const encodePath = (path) => path.split('/').map(encodeURIComponent).join('/');
function netlifyHost(inputs, site) {
    return {
        provider: 'netlify',
        site,
        needsDigests: true,
        async publish(request, ctx, progress) {
            const api = netlifyApi({ token: inputs.token, site, apiUrl: inputs['api-url'] }, ctx);
            const files = Object.fromEntries(request.files.map((f) => [`/${f.path}`, f.sha]));
            const created = await api
                .call('POST', `/sites/${encodeURIComponent(site)}/deploys`, {
                body: { files, draft: request.target === 'preview', branch: request.branch },
                query: { title: request.title },
            })
                .catch((error) => (0,json_api/* rethrowAuth */.mb)(error, 'Netlify', `deploys to site ${site}`));
            progress.providerDeploymentId = created.id;
            const toSend = filesForDigests(request.files, created.required ?? []);
            ctx.logger.info(`Netlify: uploading ${toSend.length} of ${request.files.length} files`);
            progress.filesUploaded = 0;
            await uploadFiles(toSend, (file, data) => api.call('PUT', `/deploys/${encodeURIComponent(created.id)}/files/${encodePath(file.path)}`, {
                raw: data,
                headers: { 'content-type': 'application/octet-stream' },
            }), () => {
                progress.filesUploaded += 1;
            });
            const ready = await waitForPublish({
                what: `Netlify deploy ${created.id}`,
                timeoutMs: request.timeoutMs,
                read: async () => {
                    const d = await api.call('GET', `/sites/${encodeURIComponent(site)}/deploys/${encodeURIComponent(created.id)}`);
                    return { state: d.state, value: d };
                },
                ready: ['ready'],
                failed: ['error', 'rejected'],
                failure: (_state, d) => d.error_message ?? 'no error message (see the deploy log on Netlify)',
                cancel: () => api.call('POST', `/deploys/${encodeURIComponent(created.id)}/cancel`),
            }, ctx, progress);
            progress.url = (request.target === 'production' ? ready.ssl_url : ready.deploy_ssl_url) ?? ready.deploy_ssl_url ?? ready.ssl_url;
        },
    };
}
/** Restores `to` (a deploy id) or the newest ready production deploy older than the published one. */
async function rollbackNetlify(config, to, ctx) {
    const api = netlifyApi(config, ctx);
    const site = encodeURIComponent(config.site);
    const info = await api
        .call('GET', `/sites/${site}`)
        .catch((error) => (0,json_api/* rethrowAuth */.mb)(error, 'Netlify', `site ${config.site}`));
    const published = info.published_deploy ?? undefined;
    let target = to;
    if (to === 'previous') {
        const deploys = await api.call('GET', `/sites/${site}/deploys`, { query: { per_page: '100' } });
        const candidates = deploys
            .filter((d) => d.state === 'ready' && !d.draft && d.context === 'production' && d.id !== published?.id)
            .filter((d) => !published?.created_at || (d.created_at ?? '') < published.created_at)
            .sort((a, b) => (b.created_at ?? '').localeCompare(a.created_at ?? ''));
        if (!candidates[0])
            throw new errors/* OperationalError */.LE(`Netlify site ${config.site} has no ready production deploy older than the published one (${published?.id ?? 'none'})`);
        target = candidates[0].id;
    }
    const restored = await api
        .call('POST', `/sites/${site}/deploys/${encodeURIComponent(target)}/restore`)
        .catch((error) => (0,json_api/* rethrowAuth */.mb)(error, 'Netlify', `a restore on site ${config.site}`));
    return { from: published?.id, to: restored.id, url: restored.ssl_url ?? restored.deploy_ssl_url };
}

// EXTERNAL MODULE: ./src/core/health.ts
var health = __webpack_require__(4365);
// EXTERNAL MODULE: ./src/core/cancel.ts
var cancel = __webpack_require__(9317);
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

// EXTERNAL MODULE: ./src/release/switch/index.ts + 6 modules
var release_switch = __webpack_require__(4288);
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
    const strategy = (0,release_switch/* switchStrategy */.U)(config.switch, { restartCommand: config.restartCommand, health: config.health }, ctx);
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

// EXTERNAL MODULE: ./src/release/lock.ts
var lock = __webpack_require__(4722);
// EXTERNAL MODULE: ./src/release/names.ts
var names = __webpack_require__(5365);
// EXTERNAL MODULE: ./src/ssh/inputs.ts
var ssh_inputs = __webpack_require__(7241);
;// CONCATENATED MODULE: ./src/providers/ssh-static.ts





const KEEP_RELEASES = 5;
/**
 * Ships the built site as a release with backend's release model (lock, rsync with --link-dest,
 * atomic switch, keep N, history): an nginx on the host serves <path>/current.
 */
function sshStaticHost(inputs) {
    const connection = (0,ssh_inputs/* connectionConfig */.tv)(inputs);
    return {
        provider: 'ssh',
        site: connection.root,
        needsDigests: false,
        async publish(request, ctx, progress) {
            const releaseId = (0,names/* defaultReleaseId */.sQ)(ctx.clock.now(), request.sha);
            const config = {
                ...connection,
                releaseId,
                source: request.dir,
                exclude: [],
                sharedDirs: [],
                sharedFiles: [],
                keepReleases: KEEP_RELEASES,
                health: { url: inputs.url, expect: (0,health/* parseHealthExpect */.Dq)(''), timeoutMs: Math.min(request.timeoutMs, 60_000) },
                lock: (0,lock/* lockConfig */.kV)(inputs),
                maxParallel: 1,
            };
            progress.providerDeploymentId = releaseId;
            progress.url = inputs.url;
            const report = { release: releaseId, hosts: [] };
            try {
                await deploy(config, ctx, report);
            }
            finally {
                if (report.hosts.length > 0)
                    progress.state = report.hosts.map((h) => `${h.host}: ${h.status}${h.upload ? ` (${h.upload})` : ''}`).join('; ');
            }
        },
    };
}

// EXTERNAL MODULE: ./src/core/http.ts
var http = __webpack_require__(1983);
;// CONCATENATED MODULE: ./src/providers/vercel.ts





const VERCEL_API = 'https://api.vercel.com';
const CREATE_ATTEMPTS = 3;
function vercelApi(config, ctx) {
    return (0,json_api/* jsonApi */.Z)(ctx, config.apiUrl ?? VERCEL_API, config.token, { teamId: config.team });
}
/** The missing sha1 list of a `missing_files` error, or undefined for any other error. */
function missingFiles(error) {
    if (!(error instanceof http/* HttpError */.j$))
        return undefined;
    try {
        const body = JSON.parse(error.body);
        return body.error?.code === 'missing_files' ? (body.error.missing ?? []) : undefined;
    }
    catch {
        return undefined;
    }
}
async function upload(api, files) {
    await uploadFiles(files, (file, data) => api.call('POST', '/v2/files', {
        raw: data,
        headers: { 'content-type': 'application/octet-stream', 'x-vercel-digest': file.sha, 'content-length': String(data.length) },
    }));
}
/** Creates the deployment; each `missing_files` answer uploads exactly those digests and tries again. */
async function create(api, config, request, progress, ctx) {
    const body = {
        name: config.project,
        project: config.project,
        ...(request.target === 'production' ? { target: 'production' } : {}),
        files: request.files.map((f) => ({ file: f.path, sha: f.sha, size: f.size })),
        projectSettings: { framework: null },
        meta: { githubCommitSha: request.sha, githubCommitRef: request.branch, deployKit: 'frontend' },
        gitMetadata: { commitSha: request.sha, commitRef: request.branch, commitMessage: request.title },
    };
    progress.filesUploaded = 0;
    for (let attempt = 1;; attempt += 1) {
        try {
            return await api.call('POST', '/v13/deployments', { body, query: { skipAutoDetectionConfirmation: '1' } });
        }
        catch (error) {
            const missing = missingFiles(error);
            if (missing === undefined)
                (0,json_api/* rethrowAuth */.mb)(error, 'Vercel', `deployments to project ${config.project}`);
            if (attempt >= CREATE_ATTEMPTS)
                throw new errors/* OperationalError */.LE(`Vercel still reports ${missing.length} missing files after ${attempt} attempts`);
            const toSend = filesForDigests(request.files, missing);
            ctx.logger.info(`Vercel: uploading ${toSend.length} of ${request.files.length} files`);
            await upload(api, toSend);
            progress.filesUploaded += toSend.length;
        }
    }
}
/** A READY production deployment the production domains do not point at (STAGED, or no alias assigned). */
function isStaged(d) {
    return d.readySubstate === 'STAGED' || !d.aliasAssigned;
}
/**
 * After an Instant Rollback, Vercel stops assigning the production domains to new production
 * deployments until one is promoted (https://vercel.com/docs/instant-rollback): the deployment is
 * READY but the old build keeps serving. The kit promotes it (POST /v10/projects/{id}/promote/{dpl},
 * no rebuild), says so, and waits until the domains point at it.
 */
async function ensureProduction(api, config, ready, timeoutMs, ctx, progress) {
    if (!isStaged(ready))
        return ready;
    ctx.logger.warning(`Vercel: production deployment ${ready.id} is READY but the production domains do not point at it (auto-assignment is off after an Instant Rollback); promoting it`);
    await api
        .call('POST', `/v10/projects/${encodeURIComponent(config.project)}/promote/${encodeURIComponent(ready.id)}`)
        .catch((error) => (0,json_api/* rethrowAuth */.mb)(error, 'Vercel', `promoting deployments of project ${config.project}`));
    progress.note = `promoted ${ready.id} to production: the production domains had stayed on an older deployment after an Instant Rollback`;
    const promoted = await waitForPublish({
        what: `Vercel promotion of ${ready.id}`,
        timeoutMs,
        read: async () => {
            const d = await api.call('GET', `/v13/deployments/${encodeURIComponent(ready.id)}`);
            return { state: isStaged(d) ? 'STAGED' : 'PROMOTED', value: d };
        },
        ready: ['PROMOTED'],
        failed: [],
        failure: () => 'the production domains still point at another deployment',
        cancel: () => Promise.reject(new Error('a promotion is not cancelled; it may still complete, check the project on Vercel')),
    }, ctx, progress);
    ctx.logger.info(`Vercel: ${ready.id} now serves the production domains`);
    return promoted;
}
function vercelHost(inputs, project) {
    return {
        provider: 'vercel',
        site: project,
        needsDigests: true,
        async publish(request, ctx, progress) {
            const config = { token: inputs.token, project, team: inputs.team, apiUrl: inputs['api-url'] };
            const api = vercelApi(config, ctx);
            const created = await create(api, config, request, progress, ctx);
            progress.providerDeploymentId = created.id;
            progress.url = `https://${created.url}`;
            const ready = await waitForPublish({
                what: `Vercel deployment ${created.id}`,
                timeoutMs: request.timeoutMs,
                read: async () => {
                    const d = await api.call('GET', `/v13/deployments/${encodeURIComponent(created.id)}`);
                    return { state: d.readyState, value: d };
                },
                ready: ['READY'],
                failed: ['ERROR', 'CANCELED'],
                failure: (_state, d) => d.errorMessage ?? d.errorCode ?? 'no error message (see the build logs on Vercel)',
                cancel: () => api.call('PATCH', `/v12/deployments/${encodeURIComponent(created.id)}/cancel`),
            }, ctx, progress);
            const live = request.target === 'production' ? await ensureProduction(api, config, ready, request.timeoutMs, ctx, progress) : ready;
            // Production is served at the project's domains, which Vercel lists in `alias` once assigned.
            if (request.target === 'production' && live.aliasAssigned && live.alias?.[0])
                progress.url = `https://${live.alias[0]}`;
            if (ready.aliasError)
                progress.aliasError = ready.aliasError.message ?? ready.aliasError.code;
            if (request.alias) {
                try {
                    await api.call('POST', `/v2/deployments/${encodeURIComponent(created.id)}/aliases`, { body: { alias: request.alias } });
                    progress.aliasUrl = `https://${request.alias}`;
                }
                catch (error) {
                    progress.aliasError = (0,json_api/* vendorMessage */.cA)(error) ?? error.message;
                }
            }
            if (progress.aliasError)
                ctx.logger.warning(`Vercel alias: ${progress.aliasError}`);
        },
    };
}
/** Rolls the project's production back to `to` (a deployment id) or to the READY production deployment before the newest. */
async function rollbackVercel(config, to, ctx) {
    const api = vercelApi(config, ctx);
    const listed = await api
        .call('GET', '/v6/deployments', {
        query: { projectId: config.project, target: 'production', limit: '100' },
    })
        .catch((error) => (0,json_api/* rethrowAuth */.mb)(error, 'Vercel', `the deployments of project ${config.project}`));
    const ready = listed.deployments.filter((d) => (d.readyState ?? d.state) === 'READY').sort((a, b) => b.created - a.created);
    const current = ready[0];
    const target = to === 'previous' ? ready[1] : ready.find((d) => d.uid === to);
    if (!target) {
        const known = ready.map((d) => d.uid).join(', ') || 'none';
        throw new errors/* OperationalError */.LE(to === 'previous'
            ? `Vercel project ${config.project} has no READY production deployment before ${current?.uid ?? 'the current one'}`
            : `Vercel deployment ${to} is not a READY production deployment of ${config.project}; READY ones: ${known}`);
    }
    await api
        .call('POST', `/v1/projects/${encodeURIComponent(config.project)}/rollback/${encodeURIComponent(target.uid)}`)
        .catch((error) => (0,json_api/* rethrowAuth */.mb)(error, 'Vercel', `a rollback of ${config.project}`));
    return { from: current?.uid, to: target.uid, url: `https://${target.url}` };
}

;// CONCATENATED MODULE: ./src/providers/registry.ts




const vercelProject = (inputs) => requireInput(inputs.project, 'project', 'the Vercel project name or id for provider vercel');
const netlifySite = (inputs) => requireInput(inputs.site, 'site', 'the Netlify site id (or name.netlify.app) for provider netlify');
/** Every frontend provider, by the `provider` input: where a built frontend can go and how it comes back. */
const FRONTEND_PROVIDERS = {
    vercel: {
        needsToken: true,
        host: (inputs) => vercelHost(inputs, vercelProject(inputs)),
        rollback: (inputs, to, ctx) => rollbackVercel({ token: inputs.token, project: vercelProject(inputs), team: inputs.team, apiUrl: inputs['api-url'] }, to, ctx),
    },
    netlify: {
        needsToken: true,
        host: (inputs) => netlifyHost(inputs, netlifySite(inputs)),
        rollback: (inputs, to, ctx) => rollbackNetlify({ token: inputs.token, site: netlifySite(inputs), apiUrl: inputs['api-url'] }, to, ctx),
    },
    ssh: { needsToken: false, host: sshStaticHost },
};
/** The provider for a `provider` input; an unknown name fails with the known ones. */
function frontendProvider(name) {
    return providerEntry(FRONTEND_PROVIDERS, name, 'unknown frontend provider');
}

;// CONCATENATED MODULE: ./src/providers/rollback.ts



/** Rolls a Vercel project or Netlify site back to `to` (a deployment id or "previous"); sets rollback's outputs. */
async function rollbackFrontend(name, inputs, ctx) {
    const { rollback } = frontendProvider(name);
    if (!rollback)
        throw new errors/* ConfigurationError */.j1(`input "provider": no frontend rollback for "${name}"`);
    if (inputs.to !== 'previous' && !/^[A-Za-z0-9_-]{1,100}$/.test(inputs.to))
        throw new errors/* ConfigurationError */.j1(`input "to": expected "previous" or a ${name} deployment id, got ${JSON.stringify(inputs.to)}`);
    const token = requireInput(inputs.token, 'token', `the ${name} API token`);
    const result = await rollback({ ...inputs, token }, inputs.to, ctx);
    ctx.outputs.set('release', result.to);
    if (result.from)
        ctx.outputs.set('previous-release', result.from);
    ctx.logger.info(`rollback: ${name} now serves ${result.to}${result.url ? ` (${result.url})` : ''}`);
    ctx.summary.heading(`deploy-kit rollback: ${name} ${result.from ?? '—'} → ${result.to}`);
    if (result.url)
        ctx.summary.line(`Now serving ${result.url}`);
}


/***/ })

};

export const id = 989;
export const ids = [989];
export const modules = {

/***/ 7991:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   p: () => (/* binding */ followDeploy)
/* harmony export */ });
/* harmony import */ var _core_errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(4296);
/* harmony import */ var _core_wait_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(3210);


/** Polls `start` to an end state and returns it; the deadline cancels the deployment and says how that went. */
async function followDeploy(follow, start, ctx) {
    try {
        const { value } = await (0,_core_wait_js__WEBPACK_IMPORTED_MODULE_1__/* .waitFor */ .f)({
            what: follow.what,
            timeoutMs: follow.timeoutMs,
            clock: ctx.clock,
            initialDelayMs: follow.initialDelayMs,
            maxDelayMs: 10_000,
            read: async () => {
                const current = await follow.read();
                const state = follow.state(current);
                if (!follow.ended(state) && !follow.known(state))
                    ctx.logger.warning(follow.unknown(state));
                return current;
            },
            state: (d) => follow.state(d),
            initial: follow.state(start),
            ended: (state) => follow.ended(state),
            onChange: (d, state) => {
                ctx.logger.info(`${follow.id}: ${state}`);
                follow.onChange(d);
            },
            reason: (state) => `${follow.word} ${state}`,
        });
        return value;
    }
    catch (error) {
        const cancel = await follow.cancel().then((canceled) => {
            follow.onChange(canceled);
            return `canceled it (${follow.word} ${follow.state(canceled)})`;
        }, (cancelError) => `could not cancel it: ${(0,_core_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .errorMessage */ .gJ)(cancelError)}`);
        throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .OperationalError */ .LE(`${(0,_core_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .errorMessage */ .gJ)(error)}; ${cancel}`, follow.hint);
    }
}


/***/ }),

/***/ 7989:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  isHostedProvider: () => (/* binding */ isHostedProvider),
  runHostedBackendRollback: () => (/* binding */ runHostedBackendRollback)
});

// UNUSED EXPORTS: HOSTED_PROVIDERS, hostedInputs, runHostedBackend

// EXTERNAL MODULE: ./src/backend/digitalocean/config.ts
var digitalocean_config = __webpack_require__(3737);
// EXTERNAL MODULE: ./node_modules/zod/v4/classic/schemas.js + 15 modules
var schemas = __webpack_require__(9691);
// EXTERNAL MODULE: ./src/core/errors.ts
var core_errors = __webpack_require__(4296);
// EXTERNAL MODULE: ./src/core/json-api.ts
var json_api = __webpack_require__(444);
// EXTERNAL MODULE: ./src/core/http.ts
var http = __webpack_require__(1983);
;// CONCATENATED MODULE: ./src/core/vendor.ts


/** The message in an error body: `{message}` (DigitalOcean), `{error}` (Fly), `{detail}` (Sentry), or the body itself. */
function bodyMessage(body) {
    try {
        const parsed = JSON.parse(body);
        const found = [parsed.message, parsed.detail, parsed.error].find((v) => typeof v === 'string');
        return typeof found === 'string' ? found : body;
    }
    catch {
        return body;
    }
}
function describeVendorError(error, shape) {
    if (!(error instanceof http/* HttpError */.j$))
        return error instanceof Error ? error : new Error(String(error));
    const message = bodyMessage(error.body);
    if (error.status === 401 || error.status === 403) {
        return new core_errors/* ConfigurationError */.j1(`input "${shape.tokenInput}": ${shape.vendor} refused the token (${error.status}: ${message}); check that it is valid and may act on this resource`);
    }
    const path = new URL(error.request.url).pathname.replace(/\/+$/, '');
    if (error.status === 404 && shape.notFound && path.endsWith(shape.notFound.pathEnd)) {
        return new core_errors/* ConfigurationError */.j1(`input "${shape.notFound.input}": ${shape.vendor} has no ${shape.notFound.what} for this token (404)`);
    }
    const where = error.request.url.replace(shape.apiUrl, '').replace(/\?.*$/, '');
    return new core_errors/* OperationalError */.LE(`${shape.vendor} ${error.request.method} ${where} returned ${error.status}: ${message}`);
}
/** A vendor response checked against the fields the kit reads; a different shape fails naming them. */
function parseVendor(schema, value, what) {
    const result = schema.safeParse(value);
    if (result.success)
        return result.data;
    const problems = result.error.issues.map((issue) => `${issue.path.join('.') || '(body)'}: ${issue.message}`).join('; ');
    throw new core_errors/* OperationalError */.LE(`${what} answered in a shape the kit does not know (${problems})`, 'the vendor API may have changed; open an issue with this message');
}

// EXTERNAL MODULE: ./src/backend/follow.ts
var follow = __webpack_require__(7991);
;// CONCATENATED MODULE: ./src/backend/digitalocean/host.ts






const wrapped = schemas/* object */.Ikc({ deployment: digitalocean_config/* deploymentSchema */.fP });
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** An App Platform app: verify, deploy to ACTIVE (cancel on timeout), roll back (validate, rollback, commit or revert). */
class host_DigitalOceanHost {
    config;
    name = 'digitalocean';
    liveUrl;
    constructor(config) {
        this.config = config;
    }
    async call(ctx, method, path, options = {}) {
        try {
            return await (0,json_api/* jsonApi */.Z)(ctx, this.config.apiUrl, this.config.token).send(method, `/apps/${this.config.appId}${path}`, options);
        }
        catch (error) {
            throw describeVendorError(error, {
                vendor: 'DigitalOcean',
                apiUrl: this.config.apiUrl,
                tokenInput: 'token',
                notFound: { pathEnd: `/apps/${this.config.appId}`, input: 'app-id', what: `app ${this.config.appId}` },
            });
        }
    }
    async deployment(ctx, method, path, body) {
        const response = await this.call(ctx, method, path, { body });
        return parseVendor(wrapped, response.json(), `DigitalOcean ${method} ${path}`).deployment;
    }
    view(d) {
        return { id: d.id, status: d.phase, url: this.liveUrl };
    }
    async verify(ctx) {
        const app = parseVendor(schemas/* object */.Ikc({ app: digitalocean_config/* appSchema */.vG }), (await this.call(ctx, 'GET', '')).json(), 'DigitalOcean get app').app;
        this.liveUrl = app.live_url;
        ctx.logger.info(`App Platform app ${app.spec.name}${app.live_url ? ` (${app.live_url})` : ''}`);
        if (app.pinned_deployment)
            ctx.logger.warning(`app ${app.spec.name} is pinned to rollback ${app.pinned_deployment.id}: new deployments wait until it is committed or reverted`);
        return { url: app.live_url };
    }
    /** The log URL of a failed deployment: BUILD logs when a build step failed, DEPLOY logs otherwise. */
    async logUrl(ctx, id, step) {
        const type = step && /build/i.test(step) ? 'BUILD' : 'DEPLOY';
        const logs = await this.call(ctx, 'GET', `/deployments/${id}/logs`, { query: { type, follow: 'false' } }).then((r) => r.json(), () => undefined);
        return logs?.historic_urls?.[0] ?? logs?.live_url;
    }
    /** Follows the phase to where it ends; ACTIVE is success, the deadline cancels the deployment. */
    async follow(ctx, start, report) {
        const seen = await (0,follow/* followDeploy */.p)({
            what: `DigitalOcean deployment ${start.id} to become ACTIVE`,
            id: start.id,
            timeoutMs: this.config.timeoutMs,
            word: 'phase',
            read: () => this.deployment(ctx, 'GET', `/deployments/${start.id}`),
            state: (d) => d.phase,
            ended: (phase) => digitalocean_config/* ENDED */.hV.has(phase),
            known: (phase) => digitalocean_config/* IN_PROGRESS */.mS.has(phase),
            unknown: (phase) => `${start.id}: phase ${phase} is not one the kit knows; still waiting`,
            onChange: (d) => (report.deployment = this.view(d)),
            cancel: () => this.deployment(ctx, 'POST', `/deployments/${start.id}/cancel`),
            hint: 'raise `timeout`, or read the deployment in the App Platform console',
        }, start, ctx);
        if (seen.phase === 'ACTIVE') {
            report.deployment = this.view(seen);
            return;
        }
        const step = (0,digitalocean_config/* failedStep */.cG)(seen);
        const url = seen.phase === 'ERROR' ? await this.logUrl(ctx, seen.id, step?.name) : undefined;
        const why = step ? ` at step ${step.name}${step.reason?.message ? `: ${step.reason.message}` : ''}` : '';
        throw new core_errors/* OperationalError */.LE(`DigitalOcean deployment ${seen.id} ended ${seen.phase}${why}`, seen.phase === 'ERROR'
            ? `read its logs${url ? `: ${url}` : ' in the App Platform console'}`
            : 'someone canceled it, or a newer deployment replaced it');
    }
    async deploy(ctx, report) {
        const created = await this.deployment(ctx, 'POST', '/deployments', { force_build: this.config.forceBuild });
        ctx.logger.info(`DigitalOcean deployment ${created.id}: ${created.phase}`);
        report.deployment = this.view(created);
        await this.follow(ctx, created, report);
    }
    /** `previous` is the newest SUPERSEDED deployment older than the active one (it was live before it). */
    async resolveRollbackTarget(ctx, to) {
        const app = parseVendor(schemas/* object */.Ikc({ app: digitalocean_config/* appSchema */.vG }), (await this.call(ctx, 'GET', '')).json(), 'DigitalOcean get app').app;
        const current = app.active_deployment?.id;
        if (to !== 'previous') {
            if (!UUID.test(to))
                throw new core_errors/* ConfigurationError */.j1(`input "to": expected "previous" or a DigitalOcean deployment id (a UUID), got ${JSON.stringify(to)}`);
            return { target: to, current };
        }
        const listing = (await this.call(ctx, 'GET', '/deployments', { query: { page: '1', per_page: '50' } })).json();
        const deployments = parseVendor(schemas/* object */.Ikc({ deployments: schemas/* array */.YOg(digitalocean_config/* deploymentSchema */.fP) }), listing, 'DigitalOcean list deployments').deployments;
        const index = deployments.findIndex((d) => d.id === current);
        const previous = deployments.slice(index + 1).find((d) => d.phase === 'SUPERSEDED');
        if (index < 0 || !previous) {
            throw new core_errors/* OperationalError */.LE(`app ${this.config.appId} has no earlier deployment to roll back to (active: ${current ?? 'none'})`, 'name a deployment id in `to`');
        }
        return { target: previous.id, current };
    }
    async rollback(to, ctx, report) {
        const resolved = await this.resolveRollbackTarget(ctx, to);
        const request = { deployment_id: resolved.target, skip_pin: false };
        const check = (await this.call(ctx, 'POST', '/rollback/validate', { body: request })).json();
        for (const warning of check.warnings ?? [])
            ctx.logger.warning(`rollback to ${resolved.target}: ${warning.message ?? warning.code}`);
        if (check.valid === false) {
            throw new core_errors/* OperationalError */.LE(`DigitalOcean refuses to roll back to ${resolved.target}: ${check.error?.message ?? check.error?.code ?? 'not valid'}`, 'pick another deployment in `to`');
        }
        ctx.logger.info(`rolling app ${this.config.appId} back to ${resolved.target} (active now: ${resolved.current ?? 'none'})`);
        const started = await this.deployment(ctx, 'POST', '/rollback', request);
        report.deployment = this.view(started);
        report.from = resolved;
        try {
            await this.follow(ctx, started, report);
            await this.call(ctx, 'POST', '/rollback/commit');
            ctx.logger.info(`committed the rollback: app ${this.config.appId} is unpinned`);
        }
        catch (error) {
            const revert = await this.deployment(ctx, 'POST', '/rollback/revert').then((d) => `reverted the rollback (deployment ${d.id} restores the app as it was)`, (e) => `could not revert the rollback: ${(0,core_errors/* errorMessage */.gJ)(e)}; the app stays pinned until it is committed or reverted`);
            throw new core_errors/* OperationalError */.LE(`${(0,core_errors/* errorMessage */.gJ)(error)}; ${revert}`, error instanceof core_errors/* OperationalError */.LE ? error.hint : undefined);
        }
    }
}

// EXTERNAL MODULE: ./src/backend/fly/config.ts
var fly_config = __webpack_require__(8734);
;// CONCATENATED MODULE: ./src/backend/fly/machines.ts




/** The fields of a Machine the kit reads; the config is kept whole, because an update sends it back. */
const machineSchema = schemas/* object */.Ikc({
    id: schemas/* string */.YjP(),
    name: schemas/* string */.YjP().optional(),
    state: schemas/* string */.YjP(),
    region: schemas/* string */.YjP().optional(),
    instance_id: schemas/* string */.YjP(),
    config: schemas/* looseObject */._H3({ image: schemas/* string */.YjP(), metadata: schemas/* record */.g1P(schemas/* string */.YjP(), schemas/* string */.YjP()).nullish() }),
    checks: schemas/* array */.YOg(schemas/* object */.Ikc({ name: schemas/* string */.YjP(), status: schemas/* string */.YjP(), output: schemas/* string */.YjP().optional() })).nullish(),
});
const leaseSchema = schemas/* object */.Ikc({ data: schemas/* object */.Ikc({ nonce: schemas/* string */.YjP(), expires_at: schemas/* number */.aig().optional() }) });
/** The Machines API calls the kit makes, each through the shared JSON client (429/5xx retried there). */
class FlyMachines {
    config;
    ctx;
    constructor(config, ctx) {
        this.config = config;
        this.ctx = ctx;
    }
    async call(method, path, options = {}) {
        try {
            return await (0,json_api/* jsonApi */.Z)(this.ctx, this.config.apiUrl, this.config.token).send(method, `/apps/${this.config.app}${path}`, options);
        }
        catch (error) {
            throw describeVendorError(error, {
                vendor: 'Fly',
                apiUrl: this.config.apiUrl,
                tokenInput: 'token',
                notFound: { pathEnd: `/apps/${this.config.app}/machines`, input: 'app', what: `app ${this.config.app}` },
            });
        }
    }
    /** Every Machine of the app, or of one process group (config.metadata.fly_process_group). */
    async list(processGroup) {
        const machines = parseVendor(schemas/* array */.YOg(machineSchema), (await this.call('GET', '/machines')).json(), 'Fly list machines');
        return machines.filter((m) => !processGroup || m.config.metadata?.fly_process_group === processGroup);
    }
    async get(id) {
        return parseVendor(machineSchema, (await this.call('GET', `/machines/${id}`)).json(), `Fly get machine ${id}`);
    }
    /** Takes the Machine's lease (exclusive right to change it) for `ttl` seconds; returns the nonce. */
    async lease(id, ttl) {
        const response = await this.call('POST', `/machines/${id}/lease`, { body: { ttl, description: 'deploy-kit rollout' } });
        return parseVendor(leaseSchema, response.json(), `Fly lease ${id}`).data.nonce;
    }
    async release(id, nonce) {
        await this.call('DELETE', `/machines/${id}/lease`, { headers: { 'fly-machine-lease-nonce': nonce } });
    }
    /** Replaces the Machine's config (the Machine is replaced and started); returns the new version. */
    async update(id, config, nonce) {
        const response = await this.call('POST', `/machines/${id}`, { body: { config }, headers: { 'fly-machine-lease-nonce': nonce } });
        return parseVendor(machineSchema, response.json(), `Fly update machine ${id}`);
    }
    /** Blocks up to `timeoutS` (max 60) for that version to reach `state`; false when it did not get there. */
    async wait(id, instanceId, state, timeoutS) {
        const query = { instance_id: instanceId, state, timeout: String(Math.max(1, Math.min(60, timeoutS))) };
        try {
            await (0,json_api/* jsonApi */.Z)(this.ctx, this.config.apiUrl, this.config.token).send('GET', `/apps/${this.config.app}/machines/${id}/wait`, { query });
            return true;
        }
        catch (error) {
            // 408: not there yet; "failed to reach desired state": the caller reads the Machine's state and says which.
            if (error instanceof http/* HttpError */.j$ && (error.status === 408 || /failed to reach desired state/.test(error.body)))
                return false;
            throw describeVendorError(error, { vendor: 'Fly', apiUrl: this.config.apiUrl, tokenInput: 'token' });
        }
    }
}

// EXTERNAL MODULE: ./src/core/wait.ts
var core_wait = __webpack_require__(3210);
;// CONCATENATED MODULE: ./src/backend/fly/rollout.ts



/** A Machine that cannot reach `started` (failed, stopped, destroyed): ends the wait at once. */
class MachineFailed extends core_errors/* OperationalError */.LE {
}
const DEAD = new Set(['failed', 'stopped', 'destroyed', 'destroying', 'launch_failed']);
/** Waits for a Machine version to be `started` (Fly's wait endpoint holds each call up to 60 s) and every check to pass. */
async function waitHealthy(api, ctx, id, instanceId, deadline) {
    const isFatal = (e) => e instanceof MachineFailed || e instanceof core_errors/* ConfigurationError */.j1;
    const wait = { clock: ctx.clock, isFatal, timeoutMs: Math.max(1000, deadline - ctx.clock.now()) };
    await (0,core_wait/* waitFor */.f)({
        ...wait,
        what: `Fly machine ${id} to reach started`,
        initialDelayMs: 200,
        read: async () => {
            if (await api.wait(id, instanceId, 'started', Math.ceil((deadline - ctx.clock.now()) / 1000)))
                return 'started';
            const machine = await api.get(id);
            if (DEAD.has(machine.state))
                throw new MachineFailed(`Fly machine ${id} is ${machine.state} instead of started`);
            return machine.state;
        },
        state: (state) => state,
        ended: (state) => state === 'started',
    });
    await (0,core_wait/* waitFor */.f)({
        ...wait,
        what: `the checks of Fly machine ${id} to pass`,
        timeoutMs: Math.max(1000, deadline - ctx.clock.now()),
        read: async () => {
            const machine = await api.get(id);
            if (DEAD.has(machine.state))
                throw new MachineFailed(`Fly machine ${id} is ${machine.state} after starting`);
            return (machine.checks ?? []).filter((c) => c.status !== 'passing');
        },
        state: (failing) => failing.map((c) => `${c.name} ${c.status}${c.output ? ` (${c.output.trim()})` : ''}`).join(', '),
        ended: (_state, failing) => failing.length === 0,
        reason: (state) => state,
    });
}
/** Changes one Machine's image under its lease (`onUpdated` once Fly accepted the new config); the lease is released whatever happens. */
async function moveMachine(api, ctx, machine, config, deadline, onUpdated = () => undefined) {
    const nonce = await api.lease(machine.id, Math.ceil((deadline - ctx.clock.now()) / 1000) + 60);
    try {
        const updated = await api.update(machine.id, config, nonce);
        onUpdated();
        await waitHealthy(api, ctx, machine.id, updated.instance_id, deadline);
    }
    finally {
        await api
            .release(machine.id, nonce)
            .catch((e) => ctx.logger.warning(`could not release the lease on ${machine.id}: ${(0,core_errors/* errorMessage */.gJ)(e)}`));
    }
}
/** The new config: the Machine's own, with the image and the kit's metadata (previous image, release) changed. */
function withImage(machine, image) {
    const metadata = { ...machine.config.metadata, [fly_config/* PREVIOUS_IMAGE_KEY */.Iy]: machine.config.image, [fly_config/* RELEASE_KEY */.Gf]: image };
    return { ...machine.config, image, metadata };
}
/**
 * Rolls `machines` to their target image in batches of `maxParallel`, stopping at the first failed
 * batch; every Machine already changed (the failed one too) gets its old config back, with a fresh
 * deadline, and the error names what failed and what was put back. `reports` (one per Machine,
 * filled in as it goes) says where each Machine ended, also when the rollout fails.
 */
async function rollOut(api, ctx, plan, reports = []) {
    reports.push(...plan.machines.map((m) => ({
        id: m.id,
        region: m.region,
        from: m.config.image,
        to: plan.target(m),
        status: 'pending',
    })));
    const deadline = ctx.clock.now() + plan.timeoutMs;
    const changed = [];
    let failure;
    for (let start = 0; start < plan.machines.length && !failure; start += plan.maxParallel) {
        const batch = plan.machines.slice(start, start + plan.maxParallel);
        const results = await Promise.allSettled(batch.map(async (machine) => {
            const report = reports.find((r) => r.id === machine.id);
            if (report.from === report.to) {
                report.status = 'started';
                ctx.logger.info(`${machine.id}: already on ${report.to}`);
                return;
            }
            report.status = 'updating';
            ctx.logger.info(`${machine.id} (${machine.region ?? '?'}): ${report.from} → ${report.to}`);
            await moveMachine(api, ctx, machine, withImage(machine, report.to), deadline, () => changed.push(machine));
            report.status = 'started';
        }));
        results.forEach((result, i) => {
            if (result.status === 'fulfilled')
                return;
            const report = reports.find((r) => r.id === batch[i].id);
            report.status = 'failed';
            report.error = (0,core_errors/* errorMessage */.gJ)(result.reason);
            failure ??= report.error;
        });
    }
    if (!failure)
        return reports;
    const back = await revert(api, ctx, changed, reports, plan);
    throw new core_errors/* OperationalError */.LE(`${failure}; ${back}`, 'read the Machine logs (fly logs --machine <id>) and its checks, then deploy again');
}
async function revert(api, ctx, changed, reports, plan) {
    if (changed.length === 0)
        return 'no machine had been changed';
    const deadline = ctx.clock.now() + plan.timeoutMs;
    const errors = [];
    for (let start = 0; start < changed.length; start += plan.maxParallel) {
        await Promise.all(changed.slice(start, start + plan.maxParallel).map(async (machine) => {
            const report = reports.find((r) => r.id === machine.id);
            try {
                await moveMachine(api, ctx, machine, machine.config, deadline);
                report.status = 'reverted';
            }
            catch (error) {
                report.status = 'revert failed';
                errors.push(`${machine.id}: ${(0,core_errors/* errorMessage */.gJ)(error)}`);
            }
        }));
    }
    const ids = changed.map((m) => m.id).join(', ');
    return errors.length === 0 ? `put ${ids} back on the image they had` : `could not put every machine back: ${errors.join('; ')}`;
}

;// CONCATENATED MODULE: ./src/backend/fly/host.ts




/** Distinct values in order, joined: one image when every Machine ran the same one. */
const distinct = (values) => [...new Set(values)].join(',');
/** A Fly app's Machines: verify (list them), deploy (roll the new image out), roll back (the recorded previous image or a named one). */
class host_FlyHost {
    config;
    image;
    name = 'fly';
    machines = [];
    constructor(config, image) {
        this.config = config;
        this.image = image;
    }
    scope() {
        return `Fly app ${this.config.app}${this.config.processGroup ? ` (process group ${this.config.processGroup})` : ''}`;
    }
    async verify(ctx) {
        this.machines = await new FlyMachines(this.config, ctx).list(this.config.processGroup);
        if (this.machines.length === 0) {
            throw new core_errors/* ConfigurationError */.j1(`input "${this.config.processGroup ? 'process-group' : 'app'}": ${this.scope()} has no Machines; create them once with fly deploy, then the kit updates them`);
        }
        ctx.logger.info(`${this.scope()}: ${this.machines.map((m) => `${m.id} (${m.region ?? '?'}, ${m.state})`).join(', ')}`);
        return {};
    }
    view(reports, status) {
        const release = distinct(reports.map((r) => r.to));
        return {
            id: release,
            status,
            outputs: {
                release,
                'previous-release': distinct(reports.map((r) => r.from)),
                machines: reports
                    .filter((r) => r.status === 'started')
                    .map((r) => r.id)
                    .join(','),
            },
            rows: reports.map((r) => [r.id, r.region ?? '—', r.from, r.to, r.error ? `${r.status}: ${r.error.split('\n')[0]}` : r.status]),
        };
    }
    /** Rolls the Machines to `target`; the report holds their rows and outputs, also when the rollout fails. */
    async roll(ctx, target, report) {
        const machines = [];
        try {
            await rollOut(new FlyMachines(this.config, ctx), ctx, { machines: this.machines, target, maxParallel: this.config.maxParallel, timeoutMs: this.config.timeoutMs }, machines);
        }
        finally {
            const status = machines.some((r) => r.status === 'reverted')
                ? 'reverted'
                : machines.some((r) => r.status === 'failed')
                    ? 'failed'
                    : machines.every((r) => r.status === 'started')
                        ? 'started'
                        : 'updating';
            if (machines.length > 0)
                report.deployment = this.view(machines, status);
        }
    }
    async deploy(ctx, report) {
        const image = (0,fly_config/* pinnedImage */.QJ)('image', this.image);
        await this.roll(ctx, () => image, report);
    }
    /** `previous`: each Machine's recorded previous image (metadata `deploy_kit_previous_image`); otherwise an image pinned by digest. */
    async rollback(to, ctx, report) {
        const named = to === 'previous' ? undefined : (0,fly_config/* pinnedImage */.QJ)('to', to);
        const unknown = this.machines.filter((m) => !named && !m.config.metadata?.[fly_config/* PREVIOUS_IMAGE_KEY */.Iy]);
        if (unknown.length > 0) {
            throw new core_errors/* OperationalError */.LE(`${this.scope()}: no previous image is recorded on ${unknown.map((m) => m.id).join(', ')} (the kit records it when it deploys)`, 'name the image to go back to in `to` (repository@sha256:...)');
        }
        const target = (m) => named ?? m.config.metadata[fly_config/* PREVIOUS_IMAGE_KEY */.Iy];
        const from = { target: distinct(this.machines.map(target)), current: distinct(this.machines.map((m) => m.config.image)) };
        ctx.logger.info(`rolling ${this.scope()} back to ${from.target} (running now: ${from.current})`);
        report.from = from;
        await this.roll(ctx, target, report);
    }
}

;// CONCATENATED MODULE: ./src/backend/hosted.ts
/** deploy-id and status, or the provider's own outputs. */
function setOutputs(d, ctx) {
    if (!d)
        return;
    ctx.outputs.set('status', d.status);
    if (!d.outputs)
        ctx.outputs.set('deploy-id', d.id);
    for (const [name, value] of Object.entries(d.outputs ?? {}))
        if (value !== '')
            ctx.outputs.set(name, value);
}
function writeSummary(heading, view, last, extra, ctx) {
    ctx.summary.heading(heading);
    ctx.summary.table(['field', 'value'], [
        ['source', view.source],
        ...extra,
        ['status', last?.status ?? 'not started'],
        ...Object.entries(last?.outputs ?? (last ? { deploy: last.id } : {})),
    ]);
    if (view.rowHeaders && last?.rows?.length)
        ctx.summary.table(view.rowHeaders, last.rows);
}
/** backend with a hosted provider (fly, digitalocean): verify → deploy → wait; outputs and a summary from what was done, also on failure. */
async function hosted_runHostedDeploy(host, view, ctx) {
    const url = (await host.verify(ctx)).url;
    if (url !== undefined)
        ctx.outputs.set('url', url);
    const report = {};
    try {
        await host.deploy(ctx, report);
    }
    finally {
        setOutputs(report.deployment, ctx);
        writeSummary(`deploy-kit backend: ${view.title}`, view, report.deployment, url ? [['url', url]] : [], ctx);
    }
}
/** rollback with a hosted provider: outputs release (what it went back to) and previous-release (what ran before). */
async function runHostedRollback(host, to, view, ctx) {
    await host.verify(ctx);
    const report = {};
    try {
        await host.rollback(to, ctx, report);
    }
    finally {
        setOutputs(report.deployment, ctx);
        if (report.from)
            ctx.outputs.set('release', report.from.target);
        if (report.from?.current)
            ctx.outputs.set('previous-release', report.from.current);
        const rows = [
            ['from', report.from?.current ?? '—'],
            ['to', report.from?.target ?? to],
        ];
        writeSummary(`deploy-kit rollback: ${view.title}`, view, report.deployment, rows, ctx);
    }
}

;// CONCATENATED MODULE: ./src/backend/providers.ts





/** The hosted backends beside Render that share one runner (src/backend/hosted.ts): name → host. */
const HOSTED_PROVIDERS = ['fly', 'digitalocean'];
const isHostedProvider = (name) => HOSTED_PROVIDERS.includes(name);
/** Their inputs, for the backend schema (rollback takes the same but `force-build`). */
const hostedInputs = { ...fly_config/* flyInputs */.T, ...digitalocean_config/* digitalOceanDeployInputs */.P3 };
const MACHINE_COLUMNS = ['machine', 'region', 'from', 'to', 'status'];
/** backend with provider fly or digitalocean; every input is checked before the first request. */
function runHostedBackend(provider, inputs, ctx) {
    if (provider === 'fly') {
        const host = new FlyHost(flyConfig(inputs, ctx), pinnedImage('image', inputs.image));
        return runHostedDeploy(host, { title: `Fly ${inputs.app}`, source: inputs.image, rowHeaders: MACHINE_COLUMNS }, ctx);
    }
    const config = digitalOceanConfig(inputs, ctx);
    const source = config.forceBuild ? 'latest source (forced rebuild)' : 'latest source';
    return runHostedDeploy(new DigitalOceanHost(config), { title: `DigitalOcean app ${config.appId}`, source }, ctx);
}
/** rollback with provider fly or digitalocean: `to` is `previous`, an image (fly) or a deployment id (digitalocean). */
function runHostedBackendRollback(provider, inputs, ctx) {
    if (provider === 'fly') {
        const host = new host_FlyHost((0,fly_config/* flyConfig */.aE)(inputs, ctx));
        return runHostedRollback(host, inputs.to, { title: `Fly ${inputs.app}`, source: inputs.to, rowHeaders: MACHINE_COLUMNS }, ctx);
    }
    const config = (0,digitalocean_config/* digitalOceanConfig */.vZ)(inputs, ctx);
    return runHostedRollback(new host_DigitalOceanHost(config), inputs.to, { title: `DigitalOcean app ${config.appId}`, source: inputs.to }, ctx);
}


/***/ }),

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

/***/ 3210:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   D: () => (/* binding */ WaitTimeoutError),
/* harmony export */   f: () => (/* binding */ waitFor)
/* harmony export */ });
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(4296);

/** The deadline passed: what was last seen (no value or state when every read failed). */
class WaitTimeoutError extends _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .OperationalError */ .LE {
    timeoutMs;
    attempts;
    lastReason;
    last;
    lastState;
    name = 'WaitTimeoutError';
    constructor(what, timeoutMs, attempts, lastReason, last, lastState) {
        super(`${what} did not succeed within ${Math.round(timeoutMs / 1000)}s after ${attempts} attempts; last result: ${lastReason}`);
        this.timeoutMs = timeoutMs;
        this.attempts = attempts;
        this.lastReason = lastReason;
        this.last = last;
        this.lastState = lastState;
    }
}
/** Reads until `ended`, or throws WaitTimeoutError at the deadline after one last read there. */
async function waitFor(wait) {
    const { clock, timeoutMs } = wait;
    const started = clock.now();
    const deadline = started + timeoutMs;
    let delay = wait.initialDelayMs ?? 500;
    const maxDelay = wait.maxDelayMs ?? 5000;
    let seen = wait.initial;
    let last;
    let attempts = 0;
    for (;;) {
        attempts += 1;
        const look = await wait.read().then((value) => ({ ok: true, value }), (error) => {
            if (wait.isFatal?.(error))
                throw error;
            return { ok: false, reason: (0,_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .errorMessage */ .gJ)(error) };
        });
        let reason;
        if (look.ok) {
            const state = wait.state(look.value);
            last = look.value;
            if (state !== seen)
                wait.onChange?.(look.value, state);
            seen = state;
            if (wait.ended(state, look.value))
                return { value: look.value, attempts, elapsedMs: clock.now() - started };
            reason = wait.reason ? wait.reason(state, look.value) : `state ${state}`;
        }
        else
            reason = look.reason;
        wait.onAttempt?.(attempts, reason);
        const remaining = deadline - clock.now();
        if (remaining <= 0)
            throw new WaitTimeoutError(wait.what, timeoutMs, attempts, reason, last, seen);
        const jittered = delay * (0.8 + Math.random() * 0.4);
        await clock.sleep(Math.min(jittered, remaining));
        delay = Math.min(delay * 2, maxDelay);
    }
}


/***/ })

};

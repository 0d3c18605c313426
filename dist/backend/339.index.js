export const id = 339;
export const ids = [339];
export const modules = {

/***/ 3339:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   RenderHost: () => (/* binding */ RenderHost)
/* harmony export */ });
/* harmony import */ var _core_errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(4296);
/* harmony import */ var _core_json_api_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(444);
/* harmony import */ var _core_retry_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(7253);
/* harmony import */ var _follow_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(7991);
/* harmony import */ var _config_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(2180);





/** A Render service through its REST API: verify, deploy (commit or image) to live, roll back; cancel on timeout. */
class RenderHost {
    config;
    name = 'render';
    serviceUrl;
    constructor(config) {
        this.config = config;
    }
    async call(ctx, method, path, body) {
        try {
            return await (0,_core_json_api_js__WEBPACK_IMPORTED_MODULE_1__/* .jsonApi */ .Z)(ctx, this.config.apiUrl, this.config.token).send(method, path, { body });
        }
        catch (error) {
            throw (0,_config_js__WEBPACK_IMPORTED_MODULE_4__/* .describeHttpError */ .g2)(error, this.config);
        }
    }
    get base() {
        return `/services/${this.config.service}`;
    }
    async verify(ctx) {
        const service = (await this.call(ctx, 'GET', this.base)).json();
        this.serviceUrl = service.serviceDetails?.url;
        ctx.logger.info(`Render service ${service.name ?? service.id}${this.serviceUrl ? ` (${this.serviceUrl})` : ''}`);
        return { url: this.serviceUrl };
    }
    view(deploy) {
        return { id: deploy.id, status: deploy.status, url: this.serviceUrl };
    }
    /** Newest first, as Render lists them; items are `{cursor, deploy}`. */
    async listDeploys(ctx, query) {
        const qs = new URLSearchParams({ limit: '20', ...query }).toString();
        return (await this.call(ctx, 'GET', `${this.base}/deploys?${qs}`))
            .json()
            .map((item) => item.deploy);
    }
    /** A 202 has no deploy in its body: find ours among those created since the trigger (the oldest match). */
    async findQueued(ctx, since) {
        const createdAfter = new Date(since - 1000).toISOString();
        const { value } = await (0,_core_retry_js__WEBPACK_IMPORTED_MODULE_2__/* .pollUntil */ .g)({
            what: 'the queued Render deploy to appear in the deploy list',
            timeoutMs: Math.min(this.config.timeoutMs, 120_000),
            clock: ctx.clock,
        }, async () => {
            const mine = (await this.listDeploys(ctx, { createdAfter }))
                .filter((d) => (!this.config.commit || d.commit?.id === this.config.commit) &&
                (!this.config.imageUrl || d.image?.ref === this.config.imageUrl))
                .at(-1);
            return mine ? { done: true, value: mine } : { done: false, reason: `no deploy created after ${createdAfter} yet` };
        });
        return value;
    }
    /** Polls to live; a failure status fails with its name; the deadline cancels the deploy. */
    async waitLive(ctx, deploy, report) {
        const last = await (0,_follow_js__WEBPACK_IMPORTED_MODULE_3__/* .followDeploy */ .p)({
            what: `Render deploy ${deploy.id} to go live`,
            id: deploy.id,
            timeoutMs: this.config.timeoutMs,
            initialDelayMs: 500,
            word: 'status',
            read: async () => (await this.call(ctx, 'GET', `${this.base}/deploys/${deploy.id}`)).json(),
            state: (d) => d.status,
            ended: (status) => status === 'live' || _config_js__WEBPACK_IMPORTED_MODULE_4__/* .FAILED */ .Wk.has(status),
            known: (status) => _config_js__WEBPACK_IMPORTED_MODULE_4__/* .IN_PROGRESS */ .mS.has(status),
            unknown: (status) => `${deploy.id}: unknown status ${status}; still waiting`,
            onChange: (d) => (report.deployment = this.view(d)),
            cancel: async () => (await this.call(ctx, 'POST', `${this.base}/deploys/${deploy.id}/cancel`)).json(),
            hint: 'raise `timeout`, or look at the deploy in the Render dashboard',
        }, deploy, ctx);
        if (last.status !== 'live') {
            throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .OperationalError */ .LE(`Render deploy ${deploy.id} ended ${last.status}`, last.status === 'canceled'
                ? 'someone canceled it, or a newer deploy replaced it'
                : `read the ${last.status.replace('_failed', '')} logs of ${deploy.id} in the Render dashboard`);
        }
        report.deployment = this.view(last);
    }
    async deploy(ctx, report) {
        const body = { clearCache: this.config.clearCache ? 'clear' : 'do_not_clear' };
        if (this.config.commit)
            body.commitId = this.config.commit;
        if (this.config.imageUrl)
            body.imageUrl = this.config.imageUrl;
        const triggered = ctx.clock.now();
        const response = await this.call(ctx, 'POST', `${this.base}/deploys`, body);
        let deploy;
        if (response.status === 202) {
            ctx.logger.info('Render queued the deploy behind another one; looking it up');
            deploy = await this.findQueued(ctx, triggered);
        }
        else
            deploy = response.json();
        ctx.logger.info(`Render deploy ${deploy.id}: ${deploy.status}`);
        report.deployment = this.view(deploy);
        await this.waitLive(ctx, deploy, report);
    }
    /** `previous` is the newest deploy that was live before the current one (status deactivated). */
    async resolveRollbackTarget(ctx, to) {
        const deploys = await this.listDeploys(ctx, { limit: '100' });
        const liveIndex = deploys.findIndex((d) => d.status === 'live');
        const current = liveIndex >= 0 ? deploys[liveIndex].id : undefined;
        if (to !== 'previous') {
            if (!/^dep-[a-z0-9]{4,64}$/.test(to))
                throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ConfigurationError */ .j1(`input "to": expected "previous" or a Render deploy id (dep-...), got ${JSON.stringify(to)}`);
            return { target: to, current };
        }
        const previous = deploys.slice(liveIndex + 1).find((d) => d.status === 'deactivated');
        if (liveIndex < 0 || !previous) {
            throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .OperationalError */ .LE(`Render service ${this.config.service} has no earlier live deploy to roll back to (current: ${current ?? 'none'})`, 'name a deploy id in `to`');
        }
        return { target: previous.id, current };
    }
    async rollback(to, ctx, report) {
        const resolved = await this.resolveRollbackTarget(ctx, to);
        ctx.logger.info(`rolling Render service ${this.config.service} back to ${resolved.target} (live now: ${resolved.current ?? 'none'})`);
        const deploy = (await this.call(ctx, 'POST', `${this.base}/rollback`, { deployId: resolved.target })).json();
        report.deployment = this.view(deploy);
        report.from = resolved;
        await this.waitLive(ctx, deploy, report);
    }
}


/***/ }),

/***/ 7253:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   g: () => (/* binding */ pollUntil)
/* harmony export */ });
/* harmony import */ var _wait_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(3210);

/**
 * Polls to a deadline with exponential backoff and jitter; fails with the last observed reason
 * (WaitTimeoutError). waitFor (src/core/wait.ts) for a check that answers done or why not.
 */
async function pollUntil(options, attempt) {
    const result = await (0,_wait_js__WEBPACK_IMPORTED_MODULE_0__/* .waitFor */ .f)({
        ...options,
        read: attempt,
        state: (a) => (a.done ? 'done' : a.reason),
        ended: (_state, a) => a.done,
        reason: (state) => state,
    });
    return { ...result, value: result.value.value };
}


/***/ })

};

export const id = 425;
export const ids = [425];
export const modules = {

/***/ 1425:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   resolveRollbackTarget: () => (/* binding */ resolveRollbackTarget),
/* harmony export */   rollback: () => (/* binding */ rollback)
/* harmony export */ });
/* harmony import */ var _core_cancel_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(9317);
/* harmony import */ var _core_errors_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(4296);
/* harmony import */ var _activation_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(4301);
/* harmony import */ var _connect_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(5956);
/* harmony import */ var _switch_index_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(4288);





/**
 * The release to return to: the named one (which must exist), or the one activated before current
 * (history.jsonl order, activation.ts); an upload that never served is never chosen.
 */
function resolveRollbackTarget(layout, to, label) {
    const present = layout.releases.join(', ') || 'none';
    if (to !== 'previous') {
        if (!layout.releases.includes(to))
            throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .OperationalError */ .LE(`${label}: release ${to} does not exist; releases present: ${present}`);
        return to;
    }
    const target = (0,_activation_js__WEBPACK_IMPORTED_MODULE_4__/* .previousActivated */ .Nf)(layout.history, layout.current, layout.releases);
    if (!target)
        throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .OperationalError */ .LE(`${label}: no release was activated before the current one (${layout.current ?? 'none'}) according to .deploy-kit/history.jsonl; releases present: ${present}`, 'name the release to return to with the input "to"');
    return target;
}
async function rollbackHost(host, config, strategy, entry, ctx) {
    const layout = await host.lockAndInspect(config.lock, `rollback to ${config.to}`);
    const target = resolveRollbackTarget(layout, config.to, host.label);
    entry.from = layout.current;
    entry.to = target;
    let switched = false;
    try {
        (0,_core_cancel_js__WEBPACK_IMPORTED_MODULE_0__/* .checkCancelled */ .S5)(ctx.signal, `the rollback on ${host.label}`);
        entry.health.push(...(await strategy.activate(host, target, () => (switched = true))));
        if (config.health.url)
            entry.health.push(await host.checkUrl(config.health));
    }
    catch (error) {
        // The release we rolled back to is not healthy either (or the run was cancelled): put back what was there.
        if (switched)
            await strategy.revert(host, layout.current, 'restart after a failed rollback').catch(() => undefined);
        const event = (0,_core_cancel_js__WEBPACK_IMPORTED_MODULE_0__/* .isCancelled */ .mm)(error, ctx.signal) ? 'cancelled' : 'failed';
        await host.history(event, { release: target, previous: layout.current, reason: (0,_core_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .errorMessage */ .gJ)(error) });
        entry.status = `${event}, put back`;
        throw error;
    }
    await host.finish('rollback', { release: target, previous: layout.current }, [], config.hosts.length <= 1);
    entry.status = 'rolled back';
}
/** Switches every host back under the deploy lock, with restart and health check; fills the report as it goes. */
async function rollback(config, ctx, report) {
    // The strategy first: a switch config it refuses must not leave the connections open.
    const strategy = (0,_switch_index_js__WEBPACK_IMPORTED_MODULE_3__/* .switchStrategy */ .U)(config.switch, { restartCommand: config.restartCommand, health: config.health }, ctx);
    const connections = await (0,_connect_js__WEBPACK_IMPORTED_MODULE_2__/* .connect */ .N)(config, ctx);
    try {
        for (const host of connections.hosts) {
            const entry = { host: host.label, status: 'not started', health: [] };
            report.hosts.push(entry);
            await rollbackHost(host, config, strategy, entry, ctx);
            report.release ??= entry.to;
            report.previous ??= entry.from;
        }
    }
    finally {
        for (const host of connections.hosts)
            await host.unlock();
        await connections.close();
    }
}


/***/ })

};

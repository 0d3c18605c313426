export const id = 271;
export const ids = [271];
export const modules = {

/***/ 49271:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   runPresetOnRunner: () => (/* binding */ runPresetOnRunner),
/* harmony export */   runPresetOverSsh: () => (/* binding */ runPresetOverSsh)
/* harmony export */ });
/* harmony import */ var _core_errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(74296);
/* harmony import */ var _db_migrate_tool_table_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(17341);
/* harmony import */ var _release_connect_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(49012);
/* harmony import */ var _release_layout_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(60835);
/* harmony import */ var _release_venv_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(56384);





/** Runs the app's own tool on the runner, in working-directory, with DATABASE_URL set when given. */
async function runPresetOnRunner(tool, invocation, cwd, databaseUrl, ctx) {
    const env = databaseUrl ? { DATABASE_URL: databaseUrl } : undefined;
    const result = await ctx.logger.group(`${invocation.argv.join(' ')} (in ${cwd})`, async () => {
        const run = await ctx.exec.run(invocation.argv, { cwd, env });
        const output = `${run.stdout}${run.stderr ? `\n${run.stderr}` : ''}`.trim();
        if (output)
            ctx.logger.info(output);
        return { ...run, output };
    });
    if (result.exitCode !== 0)
        throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .CommandError */ .Qd(`${tool}: ${invocation.argv.join(' ')}`, result.exitCode, (0,_core_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .tail */ .RT)(result.output));
    return { output: result.output, applied: (0,_db_migrate_tool_table_js__WEBPACK_IMPORTED_MODULE_1__/* .appliedFromOutput */ .B3)(tool, result.output) };
}
/**
 * Runs the tool once, on the first host, inside a release (before the switch) or current, under the
 * deploy lock so no deploy or rollback moves `current` meanwhile.
 */
async function runPresetOverSsh(tool, invocation, config, databaseUrl, ctx) {
    const connections = await (0,_release_connect_js__WEBPACK_IMPORTED_MODULE_2__/* .connect */ .N)(config.connection, ctx);
    try {
        const host = connections.hosts[0];
        if (connections.hosts.length > 1)
            ctx.logger.info(`migrations run once, on ${host.label}; the other hosts share its database`);
        const dir = config.release ? `releases/${config.release}` : 'current';
        await host.lock(config.lock, 'migrate');
        try {
            const env = { DEPLOY_KIT_RELEASE: config.release ?? 'current', DEPLOY_KIT_ROOT: config.connection.root };
            if (databaseUrl)
                env.DATABASE_URL = databaseUrl;
            // The release's own virtualenv (backend python-venv) comes first on PATH, so `python`/`alembic` are its.
            const command = `${_release_venv_js__WEBPACK_IMPORTED_MODULE_3__/* .ACTIVATE_VENV */ .UJ}\n{\n${invocation.remote}\n} 2>&1`;
            const output = (await host.script(`${tool} in ${config.connection.root}/${dir}`, (0,_release_layout_js__WEBPACK_IMPORTED_MODULE_4__/* .runInScript */ .MK)(config.connection.root, dir, command, env))).trim();
            if (output)
                ctx.logger.info(output);
            return { output, applied: (0,_db_migrate_tool_table_js__WEBPACK_IMPORTED_MODULE_1__/* .appliedFromOutput */ .B3)(tool, output) };
        }
        finally {
            await host.unlock();
        }
    }
    finally {
        await connections.close();
    }
}


/***/ })

};

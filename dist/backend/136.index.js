export const id = 136;
export const ids = [136];
export const modules = {

/***/ 6136:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  swarmMode: () => (/* binding */ swarmMode)
});

// EXTERNAL MODULE: ./src/release/swarm/inputs.ts + 1 modules
var swarm_inputs = __webpack_require__(4626);
// EXTERNAL MODULE: ./src/core/errors.ts
var errors = __webpack_require__(4296);
// EXTERNAL MODULE: ./src/ssh/target.ts
var ssh_target = __webpack_require__(4889);
// EXTERNAL MODULE: ./src/release/connect.ts + 6 modules
var connect = __webpack_require__(5956);
// EXTERNAL MODULE: ./src/release/swarm/scripts.ts
var scripts = __webpack_require__(4162);
;// CONCATENATED MODULE: ./src/release/swarm/manager.ts




/**
 * `hosts` in `mode: swarm` are managers of one swarm; the first one that answers as an active
 * manager is the one the release goes to (deploying to every manager would deploy the stack N times).
 * Each manager keeps its own release layout, so the docs advise one primary manager.
 */
async function pickSwarmManager(config, ctx) {
    const candidates = config.transport === 'local' ? [undefined] : config.hosts;
    const tried = [];
    for (const target of candidates) {
        const one = target ? { ...config, hosts: [target] } : config;
        let label = target ? (0,ssh_target/* targetLabel */.Op)(target) : 'local';
        try {
            const connections = await (0,connect/* connect */.N)(one, ctx);
            try {
                const host = connections.hosts[0];
                label = host.label;
                const check = (0,scripts/* parseManagerCheck */.VO)(await host.script('checking the swarm', (0,scripts/* managerCheckScript */.rs)()));
                if (check.manager) {
                    if (tried.length > 0)
                        ctx.logger.warning(`swarm: using manager ${label}; skipped ${tried.join('; ')}`);
                    else
                        ctx.logger.info(`swarm: using manager ${label}`);
                    return one;
                }
                tried.push(`${label}: not an active swarm manager (swarm state ${check.state})`);
            }
            finally {
                await connections.close();
            }
        }
        catch (error) {
            // A missing key or a bad input is the same on every host: say it as it is.
            if (error instanceof errors/* ConfigurationError */.j1)
                throw error;
            tried.push(`${label}: ${(0,errors/* errorMessage */.gJ)(error).split('\n')[0]}`);
        }
    }
    throw new errors/* OperationalError */.LE(`no swarm manager among hosts: ${tried.join('; ')}`, 'list manager nodes in hosts (docker node ls on a manager shows them); a worker cannot deploy a stack, and a host that is not in a swarm needs docker swarm init or join');
}

;// CONCATENATED MODULE: ./src/release/swarm/mode.ts


/**
 * What backend and rollback call for `mode: swarm` (a no-op in the other modes): the config checks,
 * the `stack` output, then the first reachable manager. The swarm strategy fills `report` with the
 * stack's services; the caller sets the `services` output from it (swarmServicesOutput).
 */
async function swarmMode(config, inputs, ctx, report) {
    const swarm = (0,swarm_inputs/* applySwarmMode */.YI)(config, inputs, report);
    if (swarm.switch?.kind !== 'swarm')
        return swarm;
    ctx.outputs.set('stack', swarm.switch.stack);
    return pickSwarmManager(swarm, ctx);
}


/***/ })

};

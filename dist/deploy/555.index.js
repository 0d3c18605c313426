export const id = 555;
export const ids = [555];
export const modules = {

/***/ 26555:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   swarmMode: () => (/* binding */ swarmMode)
/* harmony export */ });
/* harmony import */ var _inputs_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(89321);
/* harmony import */ var _manager_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(79037);


/**
 * What backend and rollback call for `mode: swarm` (a no-op in the other modes): the config checks,
 * the `stack` output, then the first reachable manager. The swarm strategy fills `report` with the
 * stack's services; the caller sets the `services` output from it (swarmServicesOutput).
 */
async function swarmMode(config, inputs, ctx, report) {
    const swarm = (0,_inputs_js__WEBPACK_IMPORTED_MODULE_0__/* .applySwarmMode */ .YI)(config, inputs, report);
    if (swarm.switch?.kind !== 'swarm')
        return swarm;
    ctx.outputs.set('stack', swarm.switch.stack);
    return (0,_manager_js__WEBPACK_IMPORTED_MODULE_1__/* .pickSwarmManager */ .$)(swarm, ctx);
}


/***/ })

};

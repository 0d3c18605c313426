export const id = 56;
export const ids = [56];
export const modules = {

/***/ 72056:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   rollbackFrontend: () => (/* binding */ rollbackFrontend)
/* harmony export */ });
/* harmony import */ var _core_errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(74296);
/* harmony import */ var _lookup_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(71438);
/* harmony import */ var _registry_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(61600);



/** Rolls a Vercel project or Netlify site back to `to` (a deployment id or "previous"); sets rollback's outputs. */
async function rollbackFrontend(name, inputs, ctx) {
    const { rollback } = (0,_registry_js__WEBPACK_IMPORTED_MODULE_2__/* .frontendProvider */ .a)(name);
    if (!rollback)
        throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ConfigurationError */ .j1(`input "provider": no frontend rollback for "${name}"`);
    if (inputs.to !== 'previous' && !/^[A-Za-z0-9_-]{1,100}$/.test(inputs.to))
        throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ConfigurationError */ .j1(`input "to": expected "previous" or a ${name} deployment id, got ${JSON.stringify(inputs.to)}`);
    const token = (0,_lookup_js__WEBPACK_IMPORTED_MODULE_1__/* .requireInput */ .o)(inputs.token, 'token', `the ${name} API token`);
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

export const id = 758;
export const ids = [758];
export const modules = {

/***/ 6758:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   triggerDeployHook: () => (/* binding */ triggerDeployHook)
/* harmony export */ });
/* harmony import */ var _core_errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(4296);
/* harmony import */ var _core_http_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(1983);
/* harmony import */ var _core_logger_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(1227);



/**
 * Deploy hook mode (no API key): one request to the service's hook URL, with `ref` (a commit) or
 * `imgURL` (an image) appended. Render answers `{deploy: {id}}`; without a key the kit cannot watch it.
 */
async function triggerDeployHook(hookUrl, source, ctx) {
    let url;
    try {
        url = new URL(hookUrl);
    }
    catch {
        throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ConfigurationError */ .j1('input "deploy-hook-url": expected the URL Render shows under Settings → Deploy Hook');
    }
    (0,_core_logger_js__WEBPACK_IMPORTED_MODULE_2__/* .maskSecret */ .$l)(ctx.logger, hookUrl);
    const key = url.searchParams.get('key');
    if (key)
        (0,_core_logger_js__WEBPACK_IMPORTED_MODULE_2__/* .maskSecret */ .$l)(ctx.logger, key);
    if (source.commit)
        url.searchParams.set('ref', source.commit);
    if (source.image)
        url.searchParams.set('imgURL', source.image);
    let response;
    try {
        response = await ctx.http.request({ method: 'POST', url: url.toString() });
    }
    catch (error) {
        if (error instanceof _core_http_js__WEBPACK_IMPORTED_MODULE_1__/* .HttpError */ .j$ && (error.status === 401 || error.status === 403 || error.status === 404)) {
            throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ConfigurationError */ .j1(`input "deploy-hook-url": Render refused the hook (${error.status}); copy it again from the service settings`);
        }
        throw error;
    }
    const id = response.json().deploy?.id;
    if (!id)
        throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .OperationalError */ .LE(`the deploy hook answered ${response.status} without a deploy id`);
    return id;
}


/***/ })

};

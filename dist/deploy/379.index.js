export const id = 379;
export const ids = [379];
export const modules = {

/***/ 85379:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   actionsCache: () => (/* binding */ actionsCache)
/* harmony export */ });
/* harmony import */ var _actions_cache__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(43559);
/* harmony import */ var _core_errors_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(74296);


/** @actions/cache, with every failure turned into a warning: a cache problem never fails the gate. */
function actionsCache(logger) {
    return {
        async restore(paths, key, restoreKeys) {
            if (!_actions_cache__WEBPACK_IMPORTED_MODULE_0__/* .isFeatureAvailable */ .w3()) {
                logger.info('dependency cache: the Actions cache service is not available here; continuing without it');
                return undefined;
            }
            try {
                return await _actions_cache__WEBPACK_IMPORTED_MODULE_0__/* .restoreCache */ .P3(paths, key, restoreKeys);
            }
            catch (error) {
                logger.warning(`dependency cache: restore failed, continuing without it: ${(0,_core_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .errorMessage */ .gJ)(error)}`);
                return undefined;
            }
        },
        async save(paths, key) {
            if (!_actions_cache__WEBPACK_IMPORTED_MODULE_0__/* .isFeatureAvailable */ .w3())
                return;
            try {
                await _actions_cache__WEBPACK_IMPORTED_MODULE_0__/* .saveCache */ .Io(paths, key);
            }
            catch (error) {
                logger.warning(`dependency cache: save failed (the gate result stands): ${(0,_core_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .errorMessage */ .gJ)(error)}`);
            }
        },
    };
}


/***/ })

};

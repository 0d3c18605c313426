export const id = 286;
export const ids = [286];
export const modules = {

/***/ 16286:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   parseBlock: () => (/* binding */ parseBlock)
/* harmony export */ });
/* harmony import */ var yaml__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(38815);
/* harmony import */ var _core_errors_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(74296);


/**
 * A stage block: the inputs of one action written as YAML (`hosts: ...`, `path: ...`), as a user
 * would write them under `with:`. Lists become newline-separated strings and scalars strings, so
 * the action's own schema parses them exactly as it parses INPUT_* values.
 */
function parseBlock(input, yaml, known) {
    let value;
    try {
        value = (0,yaml__WEBPACK_IMPORTED_MODULE_0__/* .parse */ .qg)(yaml);
    }
    catch (error) {
        // Only the first line (what and where): the code frame under it quotes the block, which may hold
        // a secret the run cannot know before the block is parsed (a token: line).
        const what = (0,_core_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .errorMessage */ .gJ)(error).split('\n')[0].replace(/:$/, '');
        throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .ConfigurationError */ .j1(`input "${input}": expected YAML mapping of the action's inputs: ${what}`);
    }
    if (value === null || value === undefined)
        return {};
    if (typeof value !== 'object' || Array.isArray(value))
        throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .ConfigurationError */ .j1(`input "${input}": expected a YAML mapping such as "hosts: deploy@app1", got ${Array.isArray(value) ? 'a list' : `a ${typeof value}`} (not shown)`);
    const raw = {};
    for (const [key, item] of Object.entries(value)) {
        if (!known.includes(key))
            throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .ConfigurationError */ .j1(`input "${input}": unknown input "${key}"; known: ${known.join(', ')}`);
        raw[key] = Array.isArray(item) ? item.map(String).join('\n') : item === null || item === undefined ? '' : String(item);
    }
    return raw;
}


/***/ })

};

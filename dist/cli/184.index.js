export const id = 184;
export const ids = [184];
export const modules = {

/***/ 60184:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   throughSource: () => (/* binding */ throughSource)
/* harmony export */ });
/* harmony import */ var _backup_source_session_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(18674);
/* harmony import */ var _core_errors_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(74296);
/* harmony import */ var _db_tunnel_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(56182);



/**
 * With source-host, the database in database-url is as seen from that machine: the runner-side
 * tools (the built-in SQL runner, an app's tool given DATABASE_URL) reach it through an SSH local
 * forward on one pinned connection, open for the length of `fn`.
 */
async function throughSource(inputs, url, ctx, fn) {
    const spec = inputs['source-host'];
    if (!spec)
        return fn(url);
    if (url.engine === 'sqlite')
        throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .ConfigurationError */ .j1('input "source-host": a SQLite database is a file on that machine; run the migration there (where: ssh)');
    const session = await (0,_backup_source_session_js__WEBPACK_IMPORTED_MODULE_0__/* .connectSource */ .iU)({ ...inputs, 'source-host': spec }, ctx);
    try {
        const { db, forward } = await (0,_db_tunnel_js__WEBPACK_IMPORTED_MODULE_2__/* .tunnelTo */ .ar)(session, url);
        ctx.logger.info(`reaching ${url.display} through a forward to ${session.label} (127.0.0.1:${forward.port} here)`);
        const raw = (0,_db_tunnel_js__WEBPACK_IMPORTED_MODULE_2__/* .urlThroughForward */ ._i)(url.raw, forward);
        return await fn({ ...db, raw });
    }
    finally {
        await session.close();
    }
}


/***/ })

};

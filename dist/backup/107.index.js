export const id = 107;
export const ids = [107];
export const modules = {

/***/ 81107:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   artifactStorage: () => (/* binding */ artifactStorage),
/* harmony export */   checkArtifactUse: () => (/* binding */ checkArtifactUse)
/* harmony export */ });
/* unused harmony export artifactName */
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(73024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(76760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var node_stream__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(57075);
/* harmony import */ var node_stream__WEBPACK_IMPORTED_MODULE_2___default = /*#__PURE__*/__webpack_require__.n(node_stream__WEBPACK_IMPORTED_MODULE_2__);
/* harmony import */ var node_stream_promises__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(46466);
/* harmony import */ var node_stream_promises__WEBPACK_IMPORTED_MODULE_3___default = /*#__PURE__*/__webpack_require__.n(node_stream_promises__WEBPACK_IMPORTED_MODULE_3__);
/* harmony import */ var _actions_artifact__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(93609);
/* harmony import */ var _core_errors_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(74296);
/* harmony import */ var _core_http_js__WEBPACK_IMPORTED_MODULE_6__ = __webpack_require__(35450);
/* harmony import */ var _github_client_js__WEBPACK_IMPORTED_MODULE_7__ = __webpack_require__(71120);
/* harmony import */ var _target_js__WEBPACK_IMPORTED_MODULE_8__ = __webpack_require__(86664);









/** `a/b/c.zst` ⇄ `a+b+c.zst`: artifact names cannot hold "/", and keys never hold "+". */
function artifactName(key) {
    return (0,_target_js__WEBPACK_IMPORTED_MODULE_8__/* .assertSafeKey */ .$t)(key).replaceAll('/', '+');
}
function keyOf(name) {
    return name.replaceAll('+', '/');
}
/**
 * Workflow artifacts of the repository, across runs. Uploads go through the job's artifact service
 * (@actions/artifact, so only inside an Actions job); listing, download and delete use the REST API,
 * which sees every run's artifacts. An artifact appears only once finalized, so put is atomic and
 * there is no move. Artifacts expire after their retention days whatever the keep-* policy says.
 */
function artifactStorage(config, ctx) {
    const api = (0,_github_client_js__WEBPACK_IMPORTED_MODULE_7__/* .githubApi */ .Mc)(ctx, config.token);
    const base = `/repos/${config.repo.owner}/${config.repo.repo}/actions/artifacts`;
    const client = new _actions_artifact__WEBPACK_IMPORTED_MODULE_4__/* .DefaultArtifactClient */ .t9();
    /** Live (not expired) artifacts, optionally those with one exact name, newest first. */
    async function live(name) {
        const found = [];
        // Only the page requests can fail here, so this covers each page as before.
        await (0,_github_client_js__WEBPACK_IMPORTED_MODULE_7__/* .withPermission */ .IW)('actions: read', 'list the workflow artifacts', async () => {
            for await (const page of api.pages(base, { query: { per_page: '100', name } }))
                found.push(...page.artifacts.filter((a) => !a.expired));
        });
        return found.sort((a, b) => b.id - a.id);
    }
    return {
        label: `workflow artifacts of ${config.repo.owner}/${config.repo.repo}`,
        async put(key, body) {
            const name = artifactName(key);
            const dir = (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.mkdtempSync)((0,node_path__WEBPACK_IMPORTED_MODULE_1__.join)(config.stagingDir, 'dk-artifact-'));
            try {
                const file = (0,node_path__WEBPACK_IMPORTED_MODULE_1__.join)(dir, name);
                await (0,node_stream_promises__WEBPACK_IMPORTED_MODULE_3__.pipeline)(body, (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.createWriteStream)(file, { mode: 0o600 }));
                await client
                    .uploadArtifact(name, [file], dir, { skipArchive: true, retentionDays: config.retentionDays })
                    .catch((error) => {
                    throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_5__/* .OperationalError */ .LE(`upload of workflow artifact ${name} failed: ${(0,_core_errors_js__WEBPACK_IMPORTED_MODULE_5__/* .errorMessage */ .gJ)(error)}`);
                });
            }
            finally {
                (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.rmSync)(dir, { recursive: true, force: true });
            }
        },
        async get(key) {
            const name = artifactName(key);
            const [artifact] = await live(name);
            if (!artifact)
                throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_5__/* .OperationalError */ .LE(`no workflow artifact ${name} in ${config.repo.owner}/${config.repo.repo} (never uploaded, deleted or expired)`);
            const redirect = await (0,_github_client_js__WEBPACK_IMPORTED_MODULE_7__/* .withPermission */ .IW)('actions: read', `download the workflow artifact ${name}`, () => api.send('GET', `${base}/${artifact.id}/zip`));
            const location = redirect.headers.get('location');
            if (redirect.status !== 302 || !location)
                throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_5__/* .OperationalError */ .LE(`GitHub answered ${redirect.status} without a download location for workflow artifact ${name}`);
            const response = await fetch(location, { signal: AbortSignal.timeout(60_000) }).catch((error) => {
                throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_5__/* .OperationalError */ .LE(`download of workflow artifact ${name} failed: ${(0,_core_errors_js__WEBPACK_IMPORTED_MODULE_5__/* .errorMessage */ .gJ)(error)}`);
            });
            if (!response.ok || !response.body)
                throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_5__/* .OperationalError */ .LE(`download of workflow artifact ${name} failed: blob storage answered ${response.status}`);
            return node_stream__WEBPACK_IMPORTED_MODULE_2__.Readable.fromWeb(response.body);
        },
        async list(prefix) {
            const keys = new Set((await live()).map((a) => keyOf(a.name)).filter((key) => key.startsWith(prefix) && !key.slice(prefix.length).includes('/')));
            return [...keys].sort();
        },
        async delete(key) {
            const name = artifactName(key);
            for (const artifact of await live(name)) {
                await (0,_github_client_js__WEBPACK_IMPORTED_MODULE_7__/* .withPermission */ .IW)('actions: write', `delete the workflow artifact ${name}`, () => api.call('DELETE', `${base}/${artifact.id}`)).catch((error) => {
                    if (!(error instanceof _core_http_js__WEBPACK_IMPORTED_MODULE_6__/* .HttpError */ .j$ && error.status === 404))
                        throw error;
                });
            }
        },
        close: async () => undefined,
    };
}
/**
 * Anyone who can read the repository can download its artifacts (anyone signed in, for a public
 * one), and nothing secret may reach an artifact: only age-encrypted backups go there.
 */
function checkArtifactUse(options, ctx) {
    if (!ctx.env.artifactService) {
        throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_5__/* .ConfigurationError */ .j1('input "target": artifact works only inside a GitHub Actions job (ACTIONS_RUNTIME_TOKEN and ACTIONS_RESULTS_URL are not set); use local, s3 or ssh from the CLI');
    }
    if (!options.encrypted) {
        throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_5__/* .ConfigurationError */ .j1('target artifact stores only encrypted backups, since anyone who can read the repository can download its artifacts: set age-recipients (backup) or age-identity (restore, also encrypting its safety backup)');
    }
}


/***/ })

};

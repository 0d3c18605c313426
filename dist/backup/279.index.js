export const id = 279;
export const ids = [279];
export const modules = {

/***/ 69279:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   s3Target: () => (/* binding */ s3Target)
/* harmony export */ });
/* unused harmony exports PART_SIZE, QUEUE_SIZE */
/* harmony import */ var _aws_sdk_client_s3__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(53711);
/* harmony import */ var _aws_sdk_lib_storage__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(22358);
/* harmony import */ var _core_errors_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(74296);
/* harmony import */ var _target_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(86664);




/** Multipart parts of 8 MiB, two in flight: the upload holds at most ~16 MiB of the dump in memory. */
const PART_SIZE = 8 * 1024 * 1024;
const QUEUE_SIZE = 2;
function explain(error, what) {
    const e = error;
    throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .OperationalError */ .LE(`S3 ${what} failed: ${e.name ?? 'Error'}${e.$metadata?.httpStatusCode ? ` (HTTP ${e.$metadata.httpStatusCode})` : ''}: ${e.message ?? String(error)}`);
}
/** Any S3-compatible store (AWS, R2, B2, MinIO): checksums only when required, which those accept. */
function s3Target(config) {
    const client = new _aws_sdk_client_s3__WEBPACK_IMPORTED_MODULE_3__.S3Client({
        region: config.region,
        endpoint: config.endpoint,
        forcePathStyle: config.forcePathStyle,
        credentials: config.accessKeyId && config.secretAccessKey
            ? { accessKeyId: config.accessKeyId, secretAccessKey: config.secretAccessKey }
            : undefined,
        requestChecksumCalculation: 'WHEN_REQUIRED',
        responseChecksumValidation: 'WHEN_REQUIRED',
    });
    const Bucket = config.bucket;
    return {
        label: `s3://${Bucket}${config.endpoint ? ` at ${config.endpoint}` : ''}`,
        async put(key, body) {
            const upload = new _aws_sdk_lib_storage__WEBPACK_IMPORTED_MODULE_0__/* .Upload */ ._({
                client,
                params: { Bucket, Key: (0,_target_js__WEBPACK_IMPORTED_MODULE_2__/* .assertSafeKey */ .$t)(key), Body: body },
                partSize: PART_SIZE,
                queueSize: QUEUE_SIZE,
                leavePartsOnError: false,
            });
            await upload.done().catch((error) => explain(error, `upload of ${key}`));
        },
        async get(key) {
            const response = await client
                .send(new _aws_sdk_client_s3__WEBPACK_IMPORTED_MODULE_3__.GetObjectCommand({ Bucket, Key: (0,_target_js__WEBPACK_IMPORTED_MODULE_2__/* .assertSafeKey */ .$t)(key) }))
                .catch((error) => explain(error, `download of ${key}`));
            return response.Body;
        },
        async list(prefix) {
            const keys = [];
            let ContinuationToken;
            do {
                const page = await client
                    .send(new _aws_sdk_client_s3__WEBPACK_IMPORTED_MODULE_3__.ListObjectsV2Command({ Bucket, Prefix: prefix, Delimiter: '/', ContinuationToken }))
                    .catch((error) => explain(error, `listing of ${prefix}`));
                for (const object of page.Contents ?? [])
                    if (object.Key)
                        keys.push(object.Key);
                ContinuationToken = page.IsTruncated ? page.NextContinuationToken : undefined;
            } while (ContinuationToken);
            return keys.sort();
        },
        async delete(key) {
            await client.send(new _aws_sdk_client_s3__WEBPACK_IMPORTED_MODULE_3__.DeleteObjectCommand({ Bucket, Key: (0,_target_js__WEBPACK_IMPORTED_MODULE_2__/* .assertSafeKey */ .$t)(key) })).catch((error) => explain(error, `delete of ${key}`));
        },
        close: async () => client.destroy(),
    };
}


/***/ })

};

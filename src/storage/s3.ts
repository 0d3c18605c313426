import type { Readable } from 'node:stream';

import { DeleteObjectCommand, GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';

import { OperationalError } from '../core/errors.js';
import { assertSafeKey, type StorageTarget } from './target.js';

export interface S3Config {
  bucket: string;
  region: string;
  endpoint?: string;
  forcePathStyle: boolean;
  accessKeyId?: string;
  secretAccessKey?: string;
}

/** Multipart parts of 8 MiB, two in flight: the upload holds at most ~16 MiB of the dump in memory. */
export const PART_SIZE = 8 * 1024 * 1024;
export const QUEUE_SIZE = 2;

function explain(error: unknown, what: string): never {
  const e = error as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };
  throw new OperationalError(
    `S3 ${what} failed: ${e.name ?? 'Error'}${e.$metadata?.httpStatusCode ? ` (HTTP ${e.$metadata.httpStatusCode})` : ''}: ${e.message ?? String(error)}`,
  );
}

/** Any S3-compatible store (AWS, R2, B2, MinIO): checksums only when required, which those accept. */
export function s3Target(config: S3Config): StorageTarget {
  const client = new S3Client({
    region: config.region,
    endpoint: config.endpoint,
    forcePathStyle: config.forcePathStyle,
    credentials:
      config.accessKeyId && config.secretAccessKey
        ? { accessKeyId: config.accessKeyId, secretAccessKey: config.secretAccessKey }
        : undefined,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  const Bucket = config.bucket;
  return {
    label: `s3://${Bucket}${config.endpoint ? ` at ${config.endpoint}` : ''}`,
    async put(key, body: Readable) {
      const upload = new Upload({
        client,
        params: { Bucket, Key: assertSafeKey(key), Body: body },
        partSize: PART_SIZE,
        queueSize: QUEUE_SIZE,
        leavePartsOnError: false,
      });
      await upload.done().catch((error) => explain(error, `upload of ${key}`));
    },
    async get(key) {
      const response = await client
        .send(new GetObjectCommand({ Bucket, Key: assertSafeKey(key) }))
        .catch((error) => explain(error, `download of ${key}`));
      return response.Body as Readable;
    },
    async list(prefix) {
      const keys: string[] = [];
      let ContinuationToken: string | undefined;
      do {
        const page = await client
          .send(new ListObjectsV2Command({ Bucket, Prefix: prefix, Delimiter: '/', ContinuationToken }))
          .catch((error) => explain(error, `listing of ${prefix}`));
        for (const object of page.Contents ?? []) if (object.Key) keys.push(object.Key);
        ContinuationToken = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (ContinuationToken);
      return keys.sort();
    },
    async delete(key) {
      await client.send(new DeleteObjectCommand({ Bucket, Key: assertSafeKey(key) })).catch((error) => explain(error, `delete of ${key}`));
    },
    close: async () => client.destroy(),
  };
}

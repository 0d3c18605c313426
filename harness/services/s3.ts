import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { freePort } from './ports.js';

interface S3rverInstance {
  run(): Promise<{ address: string; port: number }>;
  close(): Promise<void>;
}
type S3rverClass = new (options: Record<string, unknown>) => S3rverInstance;

export interface S3Server {
  endpoint: string;
  bucket: string;
  /** The files s3rver keeps, to corrupt an object behind the API's back. */
  dir: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** Inputs of the backup/restore actions for this server. */
  inputs(): Record<string, string>;
  stop(): Promise<void>;
}

/** s3rver (an S3 API in node) on 127.0.0.1, a free port, one bucket, data in a temp dir. */
export async function startS3(bucket = 'backups'): Promise<S3Server> {
  const S3rver = createRequire(import.meta.url)('s3rver') as S3rverClass;
  const dir = mkdtempSync(join(tmpdir(), 'dk-s3-'));
  const port = await freePort();
  const server = new S3rver({
    address: '127.0.0.1',
    port,
    silent: true,
    directory: dir,
    configureBuckets: [{ name: bucket, configs: [] }],
  });
  await server.run();
  const endpoint = `http://127.0.0.1:${port}`;
  return {
    endpoint,
    bucket,
    dir,
    accessKeyId: 'S3RVER',
    secretAccessKey: 'S3RVER',
    inputs: () => ({
      target: 's3',
      endpoint,
      bucket,
      region: 'us-east-1',
      'force-path-style': 'true',
      'access-key-id': 'S3RVER',
      'secret-access-key': 'S3RVER',
    }),
    stop: async () => {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

import type { Readable } from 'node:stream';

import { ConfigurationError } from '../core/errors.js';

/** Where backups are stored. Keys are `/`-separated relative names. */
export interface StorageTarget {
  readonly label: string;
  /** Stores a stream under `key`, replacing what was there (artifacts: a new key only). */
  put(key: string, body: Readable): Promise<void>;
  get(key: string): Promise<Readable>;
  /** Keys directly under a directory prefix (`a/b/`: `a/b/x`, never `a/b/c/x`), sorted. */
  list(prefix: string): Promise<string[]>;
  delete(key: string): Promise<void>;
  /**
   * Renames a complete object, for targets where an interrupted put leaves a half-written object
   * (files): uploads go to a temporary key first. Targets without it publish atomically on put
   * (S3 multipart, artifacts): nothing is visible until the upload is whole.
   */
  move?(from: string, to: string): Promise<void>;
  /**
   * Where `key` is stored on this machine, its directory made (local directories only): a producer may
   * write the file itself, so no byte passes through node. Remote targets have none.
   */
  localPath?(key: string): string;
  close(): Promise<void>;
}

/** Keys and prefixes become file paths and remote arguments: letters, digits, "._-" segments, no "..". */
export const SAFE_KEY = /^(?!.*(?:^|\/)\.\.?(?:\/|$))[A-Za-z0-9._-]+(?:\/[A-Za-z0-9._-]+)*$/;

export function assertSafeKey(key: string, input = 'key'): string {
  if (!SAFE_KEY.test(key))
    throw new ConfigurationError(
      `input "${input}": expected "/"-separated names of letters, digits, ".", "_", "-" without "..", got ${JSON.stringify(key)}`,
    );
  return key;
}

export async function readText(target: StorageTarget, key: string): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of await target.get(key)) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}

import type { Readable } from 'node:stream';
import { ConfigurationError } from '../core/errors.js';

/** Where backups are stored. Keys are `/`-separated relative names; every target implements the same five calls. */
export interface StorageTarget {
  readonly label: string;
  /** Stores a stream under `key`, replacing what was there. */
  put(key: string, body: Readable): Promise<void>;
  get(key: string): Promise<Readable>;
  /** Keys under a prefix (`a/b/`), sorted. */
  list(prefix: string): Promise<string[]>;
  delete(key: string): Promise<void>;
  /** Renames (or copies then deletes) a complete object; used to publish an upload only once it is whole. */
  move(from: string, to: string): Promise<void>;
  close(): Promise<void>;
}

/** Keys and prefixes become file paths and remote arguments: letters, digits, "._-" segments, no "..". */
export const SAFE_KEY = /^(?!.*(?:^|\/)\.\.?(?:\/|$))[A-Za-z0-9._-]+(?:\/[A-Za-z0-9._-]+)*$/;

export function assertSafeKey(key: string, input = 'key'): string {
  if (!SAFE_KEY.test(key)) throw new ConfigurationError(`input "${input}": expected "/"-separated names of letters, digits, ".", "_", "-" without "..", got ${JSON.stringify(key)}`);
  return key;
}

export async function readText(target: StorageTarget, key: string): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of await target.get(key)) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}

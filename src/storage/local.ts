import { createReadStream, createWriteStream, existsSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

import { OperationalError } from '../core/errors.js';
import { assertSafeKey, type StorageTarget } from './target.js';

/** A directory on the runner (or a mounted volume). */
export function localTarget(root: string): StorageTarget {
  const path = (key: string) => join(root, assertSafeKey(key));
  return {
    label: `local directory ${root}`,
    async put(key, body: Readable) {
      mkdirSync(dirname(path(key)), { recursive: true, mode: 0o700 });
      await pipeline(body, createWriteStream(path(key), { mode: 0o600 }));
    },
    async get(key) {
      if (!existsSync(path(key))) throw new OperationalError(`no object ${key} in ${root}`);
      return createReadStream(path(key));
    },
    async list(prefix) {
      const base = prefix.replace(/\/+$/, '');
      const dir = join(root, base);
      if (!existsSync(dir)) return [];
      return readdirSync(dir, { withFileTypes: true })
        .filter((entry) => entry.isFile())
        .map((entry) => relative(root, join(dir, entry.name)))
        .sort();
    },
    async delete(key) {
      rmSync(path(key), { force: true });
    },
    async move(from, to) {
      mkdirSync(dirname(path(to)), { recursive: true, mode: 0o700 });
      renameSync(path(from), path(to));
    },
    localPath(key) {
      mkdirSync(dirname(path(key)), { recursive: true, mode: 0o700 });
      return path(key);
    },
    close: async () => undefined,
  };
}

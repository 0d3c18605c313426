import { isAbsolute, posix, resolve } from 'node:path';

import { ConfigurationError } from '../../core/errors.js';
import { list, pattern } from '../../core/inputs.js';
import { isSafeRemotePath } from '../../core/shell.js';

/** A files backup's name (its key directory, and what confirm must equal): like a database name. */
export const FILES_NAME = /^[A-Za-z0-9_][A-Za-z0-9_-]{0,62}$/;

export const filesInputs = {
  paths: list(),
  exclude: list(),
  name: pattern(FILES_NAME, 'a name of letters, digits, "_" or "-" (the key directory of a files backup)'),
};

export interface FilesInputs {
  paths: string[];
  exclude?: string[];
  name?: string;
}

/** One backed-up directory: the archive holds it as `<base>/...`, read with `tar -C <parent> <base>`. */
export interface FilesPath {
  path: string;
  parent: string;
  base: string;
}

/**
 * Checks `paths` (directories on source-host, else on the runner; relative ones are under the login
 * directory there, the workspace here): plain path characters, no "..", and distinct last segments,
 * which name them inside the archive.
 */
export function filesPaths(paths: readonly string[], options: { remote: boolean; workspace: string }): FilesPath[] {
  const seen = new Set<string>();
  return paths.map((raw) => {
    const trimmed = raw.replace(/\/+$/, '');
    if (!isSafeRemotePath(trimmed) || trimmed === '.')
      throw new ConfigurationError(
        `input "paths": expected directories of letters, digits, ".", "_", "-", "@", "+", "/" without "..", spaces or a leading "-", got ${JSON.stringify(raw)}`,
      );
    const path = options.remote || isAbsolute(trimmed) ? trimmed : resolve(options.workspace, trimmed);
    const base = posix.basename(path);
    if (base.startsWith('-') || base === '.')
      throw new ConfigurationError(`input "paths": ${JSON.stringify(raw)} cannot be archived by its name`);
    if (seen.has(base))
      throw new ConfigurationError(
        `input "paths": two directories end in "${base}"; the archive names each by its last segment, so back them up in separate steps (name: ...)`,
      );
    seen.add(base);
    return { path, parent: posix.dirname(path), base };
  });
}

/** `name`, or the last segment of the first path. */
export function filesName(inputs: FilesInputs): string {
  const name = inputs.name ?? posix.basename(inputs.paths[0]!.replace(/\/+$/, '')).replace(/[^A-Za-z0-9_-]/g, '_');
  if (!FILES_NAME.test(name))
    throw new ConfigurationError(`input "name": expected letters, digits, "_" or "-", got ${JSON.stringify(name)}`);
  return name;
}

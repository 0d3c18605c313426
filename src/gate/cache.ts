import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

import type { NodeManager, PythonManager } from './detect.js';

/** Restore before, save after; implementations must never throw (a cache problem never fails the gate). */
export interface DependencyCache {
  /** The key that was restored, or undefined on a miss. */
  restore(paths: string[], key: string, restoreKeys: string[]): Promise<string | undefined>;
  save(paths: string[], key: string): Promise<void>;
}

export interface CachePlan {
  paths: string[];
  key: string;
  restoreKeys: string[];
  lockfiles: string[];
}

/** Where each package manager keeps its download cache (not node_modules or a virtualenv). */
export function cachePaths(manager: NodeManager | PythonManager, dir: string, home = homedir()): string[] {
  switch (manager) {
    case 'npm':
      return [join(home, '.npm')];
    case 'pnpm':
      return [join(home, '.local/share/pnpm/store')];
    case 'yarn':
      return [join(home, '.cache/yarn')];
    case 'yarn-berry':
      return [join(dir, '.yarn/cache')];
    case 'bun':
      return [join(home, '.bun/install/cache')];
    case 'pip':
      return [join(home, '.cache/pip')];
    case 'poetry':
      return [join(home, '.cache/pypoetry')];
    case 'uv':
      return [join(home, '.cache/uv')];
    case 'pipenv':
      return [join(home, '.cache/pipenv'), join(home, '.cache/pip')];
  }
}

/**
 * Key: deploy-kit-gate-<os>-<arch>-<manager>-<sha256 of the lockfiles' names and contents>; restore
 * keys fall back to the newest cache of the same manager. Undefined without lockfiles.
 */
export function cachePlan(
  manager: NodeManager | PythonManager,
  dir: string,
  lockfiles: string[],
  platform: string,
  arch: string,
  home?: string,
): CachePlan | undefined {
  if (lockfiles.length === 0) return undefined;
  const hash = createHash('sha256');
  for (const file of [...lockfiles].sort()) {
    hash.update(`${file}\0`);
    hash.update(readFileSync(join(dir, file)));
    hash.update('\0');
  }
  const prefix = `deploy-kit-gate-${platform}-${arch}-${manager}-`;
  return { paths: cachePaths(manager, dir, home), key: `${prefix}${hash.digest('hex').slice(0, 32)}`, restoreKeys: [prefix], lockfiles };
}

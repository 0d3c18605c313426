import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { removeRunDirs } from './runner.js';

/**
 * Points TMPDIR at a fresh dir, so every temp dir made from here on (the caller's, its services', its
 * bundles') lives under it; the returned function removes the runner files first, then the whole dir.
 * It is world-writable and sticky like /tmp, since the services' users (postgres, the sshd deploy
 * users) work in there. The name is short: ssh's ControlMaster socket path below it must stay under
 * 108 bytes.
 */
export function scopeTempDir(prefix: string): () => void {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  chmodSync(dir, 0o1777);
  const previous = process.env.TMPDIR;
  process.env.TMPDIR = dir;
  return () => {
    removeRunDirs();
    rmSync(dir, { recursive: true, force: true });
    if (previous === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = previous;
  };
}

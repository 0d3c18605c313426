import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { freePort, startDaemon } from './ports.js';

export interface Registry {
  /** host:port, as image references name it. */
  host: string;
  port: number;
  dir: string;
  user?: string;
  password?: string;
  stop(): Promise<void>;
}

/** A bcrypt hash for htpasswd (the registry accepts only bcrypt), made with Python's crypt module. */
function bcrypt(password: string): string {
  return execFileSync(
    'python3',
    ['-c', 'import crypt,sys; print(crypt.crypt(sys.argv[1], crypt.mksalt(crypt.METHOD_BLOWFISH, rounds=16)))', password],
    {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    },
  ).trim();
}

/**
 * Starts Debian's `docker-registry` (distribution v2) on 127.0.0.1 with a temp config and storage dir.
 * With `auth`, it requires HTTP basic auth from an htpasswd file.
 */
export async function startRegistry(options: { auth?: { user: string; password: string } } = {}): Promise<Registry> {
  const dir = mkdtempSync(join(tmpdir(), 'dk-registry-'));
  mkdirSync(join(dir, 'data'));
  const port = await freePort();
  const config = [
    'version: 0.1',
    'log:',
    '  level: error',
    '  accesslog:',
    '    disabled: true',
    'storage:',
    '  filesystem:',
    `    rootdirectory: ${join(dir, 'data')}`,
    '  delete:',
    '    enabled: true',
    'http:',
    `  addr: 127.0.0.1:${port}`,
  ];
  if (options.auth) {
    writeFileSync(join(dir, 'htpasswd'), `${options.auth.user}:${bcrypt(options.auth.password)}\n`);
    config.push('auth:', '  htpasswd:', '    realm: deploy-kit-test', `    path: ${join(dir, 'htpasswd')}`);
  }
  writeFileSync(join(dir, 'config.yml'), `${config.join('\n')}\n`);
  const daemon = await startDaemon('docker-registry', ['docker-registry', 'serve', join(dir, 'config.yml')], port);
  return {
    host: `127.0.0.1:${port}`,
    port,
    dir,
    user: options.auth?.user,
    password: options.auth?.password,
    stop: async () => {
      await daemon.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

import { chmodSync, mkdtempSync, readdirSync, readFileSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, expect, it } from 'vitest';

import { releaseRoot } from '../../harness/services/release-root.js';
import { runBundle } from '../../harness/services/runner.js';
import { ensureUser, type SshServer, startSshd } from '../../harness/services/sshd.js';
import { makeSource } from '../../harness/services/versioned-app.js';

const USER = 'dkdeploy';
let sshd: SshServer;
let home: string;

/** A PATH with every tool of /usr/bin except rsync, as on a minimal host. */
function pathWithoutRsync(): string {
  const dir = mkdtempSync(join(tmpdir(), 'dk-norsync-'));
  chmodSync(dir, 0o755);
  for (const name of readdirSync('/usr/bin')) if (name !== 'rsync') symlinkSync(join('/usr/bin', name), join(dir, name));
  return dir;
}

beforeAll(async () => {
  home = ensureUser(USER);
  sshd = await startSshd({ config: [`SetEnv PATH=${pathWithoutRsync()}`] });
});

afterAll(async () => {
  await sshd?.stop();
});

it('falls back to a tar stream on a host without rsync, with the same layout', async () => {
  const root = `tar-${process.pid}`;
  const layout = releaseRoot(join(home, root));
  const connection = { hosts: `${USER}@127.0.0.1:${sshd.port}`, 'ssh-key': sshd.privateKey, 'known-hosts': sshd.knownHosts, path: root };
  const source = makeSource({ VERSION: 'v1', 'app/main.py': 'print("hi")\n', '.git/HEAD': 'ref: refs/heads/main\n' });
  const first = await runBundle('backend', { ...connection, source, 'release-id': 'r1' });
  expect(first.exitCode, first.stdout).toBe(0);
  expect(first.stdout).toMatch(/tar, \d+ bytes sent/);
  const second = await runBundle('backend', { ...connection, source, 'release-id': 'r2' });
  expect(second.exitCode, second.stdout).toBe(0);
  expect(layout.current()).toBe('releases/r2');
  expect(readFileSync(join(layout.dir, 'current/app/main.py'), 'utf8')).toBe('print("hi")\n');
  expect(readdirSync(join(layout.dir, 'current'))).not.toContain('.git');
});

import { readdirSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { makeSite, pushEvent } from '../../harness/fixtures/frontend.js';
import { runBundle } from '../../harness/services/runner.js';
import { ensureUser, type SshServer, startSshd } from '../../harness/services/sshd.js';

let sshd: SshServer;
let home: string;
const USER = 'dkdeploy';

beforeAll(async () => {
  home = ensureUser(USER);
  sshd = await startSshd();
});

afterAll(async () => {
  await sshd?.stop();
});

const connection = (root: string) => ({
  hosts: `${USER}@127.0.0.1:${sshd.port}`,
  'ssh-key': sshd.privateKey,
  'known-hosts': sshd.knownHosts,
  path: root,
});

describe('frontend on an SSH host', () => {
  it('ships the built site as releases with an atomic current link, and rollback switches back', async () => {
    const root = `site-${process.pid}`;
    const dir = makeSite(3, 'v1');
    const first = await runBundle(
      'frontend',
      { provider: 'ssh', dir, ...connection(root) },
      { env: { ...pushEvent('main'), GITHUB_SHA: '1111111aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa' } },
    );
    expect(first.exitCode, first.stdout).toBe(0);
    const r1 = first.outputs['provider-deployment-id']!;
    expect(r1).toMatch(/^\d{14}-1111111$/);
    expect(readlinkSync(join(home, root, 'current'))).toBe(`releases/${r1}`);
    expect(readFileSync(join(home, root, 'current/index.html'), 'utf8')).toBe('<html>v1</html>');
    expect(first.outputs['files-total']).toBe('4');

    writeFileSync(join(dir, 'index.html'), '<html>v2</html>');
    const second = await runBundle(
      'frontend',
      { provider: 'ssh', dir, ...connection(root) },
      { env: { ...pushEvent('main'), GITHUB_SHA: '2222222aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa' } },
    );
    expect(second.exitCode, second.stdout).toBe(0);
    expect(readFileSync(join(home, root, 'current/index.html'), 'utf8')).toBe('<html>v2</html>');
    expect(readdirSync(join(home, root, 'releases'))).toHaveLength(2);
    expect(second.stdout).toMatch(/rsync, \d+ bytes sent/);

    const back = await runBundle('rollback', { provider: 'ssh', ...connection(root) });
    expect(back.exitCode, back.stdout).toBe(0);
    expect(back.outputs.release).toBe(r1);
    expect(readFileSync(join(home, root, 'current/index.html'), 'utf8')).toBe('<html>v1</html>');
  });

  it('needs a pinned host key and a path before connecting', async () => {
    const run = await runBundle(
      'frontend',
      { provider: 'ssh', dir: makeSite(1), hosts: `127.0.0.1:${sshd.port}`, path: 'site' },
      { env: pushEvent('main') },
    );
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toContain('input "known-hosts" or "host-fingerprint"');
  });
});

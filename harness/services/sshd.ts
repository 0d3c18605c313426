import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';

import type { NetworkNamespace } from './netns.js';
import { freePort, startDaemon } from './ports.js';

export const SSHD_BINARY = '/usr/sbin/sshd';

export interface SshServer {
  port: number;
  user: string;
  /** Private key content the client authenticates with. */
  privateKey: string;
  privateKeyFile: string;
  /** known_hosts content pinning this server's host key. */
  knownHosts: string;
  /** SHA256:... of the server's host key. */
  fingerprint: string;
  hostSpec: string;
  dir: string;
  /** A different host key's known_hosts line, for mismatch tests. */
  wrongKnownHosts: string;
  stop(): Promise<void>;
}

function keygen(file: string): void {
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', file]);
}

export function sshdAvailable(): boolean {
  return existsSync(SSHD_BINARY);
}

/** Starts a real OpenSSH sshd on 127.0.0.1 with throwaway host and user keys. */
export interface SshdOptions {
  dir?: string;
  /** The private key file of another server's user key, so that one ssh-key reaches several hosts. */
  authorizedKey?: string;
  /** Extra sshd_config lines (SetEnv PATH=... to hide a tool from sessions). */
  config?: string[];
  /** Runs sshd inside this network namespace: its 127.0.0.1:port is reachable only from there (or where the namespace exposes it). */
  netns?: NetworkNamespace;
}

export async function startSshd(options: SshdOptions = {}): Promise<SshServer> {
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'dk-sshd-'));
  // sshd reads authorized_keys as the logging-in user, who must be able to reach it.
  chmodSync(dir, 0o755);
  mkdirSync('/run/sshd', { recursive: true });
  const port = await freePort();
  keygen(join(dir, 'host_key'));
  keygen(join(dir, 'other_host_key'));
  const userKey = options.authorizedKey ?? join(dir, 'user_key');
  if (!options.authorizedKey) keygen(userKey);
  writeFileSync(join(dir, 'authorized_keys'), readFileSync(`${userKey}.pub`));
  const config = [
    `Port ${port}`,
    'ListenAddress 127.0.0.1',
    `HostKey ${join(dir, 'host_key')}`,
    `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`,
    `PidFile ${join(dir, 'sshd.pid')}`,
    'PasswordAuthentication no',
    'KbdInteractiveAuthentication no',
    'PermitRootLogin prohibit-password',
    'StrictModes no',
    'UsePAM no',
    'MaxSessions 50',
    'MaxStartups 50',
    'LogLevel ERROR',
    'Subsystem sftp internal-sftp',
    ...(options.config ?? []),
  ].join('\n');
  writeFileSync(join(dir, 'sshd_config'), `${config}\n`);
  const argv = [SSHD_BINARY, '-D', '-e', '-f', join(dir, 'sshd_config')];
  const netns = options.netns;
  const daemon = netns
    ? await startDaemon('sshd', netns.wrap(argv), port, 15_000, (p, timeout) => netns.waitForPort(p, timeout))
    : await startDaemon('sshd', argv, port);
  const hostPub = readFileSync(join(dir, 'host_key.pub'), 'utf8').trim().split(' ').slice(0, 2).join(' ');
  const otherPub = readFileSync(join(dir, 'other_host_key.pub'), 'utf8').trim().split(' ').slice(0, 2).join(' ');
  const fingerprint = execFileSync('ssh-keygen', ['-lf', join(dir, 'host_key.pub')], { encoding: 'utf8' }).split(' ')[1]!;
  const user = userInfo().username;
  return {
    port,
    user,
    privateKey: readFileSync(userKey, 'utf8'),
    privateKeyFile: userKey,
    knownHosts: `[127.0.0.1]:${port} ${hostPub}\n`,
    wrongKnownHosts: `[127.0.0.1]:${port} ${otherPub}\n`,
    fingerprint,
    hostSpec: `${user}@127.0.0.1:${port}`,
    dir,
    // A directory it made is removed with it (the demo runs outside the tests' temp scope).
    stop: async () => {
      await daemon.stop();
      if (!options.dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * A local account with its own home, so two "hosts" on this machine keep separate deploy roots.
 * Test files run in parallel and useradd/usermod refuse a locked /etc/passwd, so they run under one flock.
 */
export function ensureUser(name: string): string {
  // useradd leaves the password field "!", which sshd without PAM treats as a locked account.
  const script = 'id -u "$1" >/dev/null 2>&1 || useradd --create-home --shell /bin/bash "$1"; usermod -p "*" "$1"';
  execFileSync('flock', [join(tmpdir(), 'deploy-kit-test-users.lock'), 'sh', '-c', script, 'sh', name], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  return execFileSync('getent', ['passwd', name], { encoding: 'utf8' }).split(':')[5]!;
}

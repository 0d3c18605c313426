import { appendFileSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { CommandError, ConfigurationError, errorMessage, OperationalError, tail } from '../core/errors.js';
import type { Executor } from '../core/exec.js';
import type { Logger } from '../core/logger.js';
import { shellCommand } from '../core/shell.js';
import { parseKeyscan } from './hostkeys.js';
import { type SshTarget, targetLabel } from './target.js';

export interface SshAuth {
  privateKey?: string;
  knownHosts?: string;
  hostFingerprints: readonly string[];
  insecureSkipHostKeyCheck: boolean;
  jumpHost?: SshTarget;
}

/** Private files of one run: key, pinned known_hosts, ControlMaster sockets. Removed by cleanupSshDir. */
export interface SshFiles {
  dir: string;
  keyFile?: string;
  knownHostsFile: string;
}

export function createSshFiles(tempDir: string, auth: SshAuth): SshFiles {
  const dir = mkdtempSync(join(tempDir, 'dk-'));
  if (/['"\s]/.test(dir))
    throw new ConfigurationError(`the temp directory ${dir} contains spaces or quotes; set RUNNER_TEMP to a plain path`);
  let keyFile: string | undefined;
  if (auth.privateKey) {
    keyFile = join(dir, 'id');
    writeFileSync(keyFile, auth.privateKey.endsWith('\n') ? auth.privateKey : `${auth.privateKey}\n`, { mode: 0o600 });
  }
  const knownHostsFile = join(dir, 'known_hosts');
  writeFileSync(knownHostsFile, auth.knownHosts ?? '', { mode: 0o600 });
  return { dir, keyFile, knownHostsFile };
}

/** Closes every ControlMaster in the directory and removes it with the key; never throws. */
export async function cleanupSshDir(exec: Executor, dir: string, logger: Logger): Promise<void> {
  try {
    for (const name of readdirSync(dir)) {
      if (!name.startsWith('cm-')) continue;
      await exec.run(['ssh', '-F', '/dev/null', '-o', `ControlPath=${join(dir, name)}`, '-O', 'exit', 'deploy-kit']).catch(() => undefined);
    }
  } catch {
    /* the directory is already gone */
  }
  try {
    rmSync(dir, { recursive: true, force: true });
  } catch (error) {
    logger.warning(`could not remove ${dir}: ${errorMessage(error)}`);
  }
}

export function destination(target: SshTarget): string {
  return target.user ? `${target.user}@${target.host}` : target.host;
}

/**
 * Options every ssh of a run behaves the same with, whatever ~/.ssh/config or /etc/ssh/ssh_config on
 * the runner (or a laptop) say: no config file is read (-F /dev/null) and each option is explicit.
 */
const FIXED_OPTIONS = [
  'BatchMode=yes',
  'ConnectTimeout=15',
  'ServerAliveInterval=15',
  'ServerAliveCountMax=4',
  'PasswordAuthentication=no',
  'KbdInteractiveAuthentication=no',
  'ForwardAgent=no',
  'ForwardX11=no',
  'ClearAllForwardings=yes',
  'PermitLocalCommand=no',
  'RequestTTY=no',
  'UpdateHostKeys=no',
];

/** Options shared by every ssh invocation of a run (connection, auth, host key pinning, multiplexing). */
export function sshOptions(files: SshFiles, auth: SshAuth, multiplex = true): string[] {
  const options = ['-F', '/dev/null', ...FIXED_OPTIONS.flatMap((option) => ['-o', option])];
  if (files.keyFile) options.push('-i', files.keyFile, '-o', 'IdentitiesOnly=yes');
  if (auth.insecureSkipHostKeyCheck) {
    options.push('-o', 'StrictHostKeyChecking=no', '-o', 'UserKnownHostsFile=/dev/null', '-o', 'LogLevel=ERROR');
  } else {
    options.push(
      '-o',
      'StrictHostKeyChecking=yes',
      '-o',
      `UserKnownHostsFile=${files.knownHostsFile}`,
      '-o',
      'GlobalKnownHostsFile=/dev/null',
    );
  }
  if (multiplex) options.push('-o', 'ControlMaster=auto', '-o', `ControlPath=${join(files.dir, 'cm-%C')}`, '-o', 'ControlPersist=120');
  if (auth.jumpHost) {
    // ProxyJump would not apply these options to the jump host; ProxyCommand runs ssh with the same pinning.
    const jumpArgv = [
      'ssh',
      ...sshOptions(files, { ...auth, jumpHost: undefined }, false),
      '-p',
      String(auth.jumpHost.port),
      '-W',
      '%h:%p',
      destination(auth.jumpHost),
    ];
    options.push('-o', `ProxyCommand=${shellCommand(jumpArgv)}`);
  }
  return options;
}

const HOST_KEY_HINT =
  'The host key did not match the pinned one. Check known-hosts / host-fingerprint (ssh-keyscan -p PORT HOST | ssh-keygen -lf -); if the server was rebuilt, update the pin.';

/**
 * With ControlPersist, ssh sends the ProxyCommand's stderr to /dev/null: a jump host that refuses the
 * pin or the key shows only as the connection closing before the first byte from the far host.
 */
const PROXY_CLOSED =
  /kex_exchange_identification|Connection closed by UNKNOWN|ssh_exchange_identification|Connection closed by remote host/i;

export function explainSshFailure(label: string, stderr: string, jumpHost?: SshTarget): string | undefined {
  if (/Host key verification failed|REMOTE HOST IDENTIFICATION HAS CHANGED|No .* host key is known/i.test(stderr)) return HOST_KEY_HINT;
  if (/Permission denied \(publickey/i.test(stderr))
    return `The server refused the key for ${label}: check ssh-key and the user's authorized_keys.`;
  if (/protocol version mismatch|is your shell clean/i.test(stderr)) {
    return `Something on ${label} prints output in a non-interactive shell (~/.bashrc or /etc/bash.bashrc); rsync's protocol breaks on it. Guard those lines with [[ $- == *i* ]].`;
  }
  if (jumpHost && PROXY_CLOSED.test(stderr)) return jumpHostHint(label, jumpHost);
  return undefined;
}

/** What to check when the connection through jump-host ended before it reached `label` (`diagnosed`: the message says why already). */
export function jumpHostHint(label: string, jumpHost: SshTarget, diagnosed = false): string {
  const scan = `ssh-keyscan -p ${jumpHost.port} ${jumpHost.host}`;
  const first = diagnosed ? '' : `The connection through jump-host ${targetLabel(jumpHost)} closed before ${label} answered. `;
  return `${first}Pin the jump host's key in known-hosts beside ${label}'s (${scan} gives its line; a key that does not match is refused the same way), and check that ssh-key logs in on the jump host and that it can reach ${label}.`;
}

/**
 * Why the connection through the jump host failed, when it is the jump host's key: scans it (no login)
 * and looks its name up in the run's known_hosts (hashed lines too, by ssh-keygen -F). Undefined when
 * its key is pinned and matches (then the key, the login or the way on is to blame), or with no pinning.
 */
export async function diagnoseJumpHost(exec: Executor, files: SshFiles, auth: SshAuth): Promise<string | undefined> {
  const jump = auth.jumpHost;
  if (!jump || auth.insecureSkipHostKeyCheck) return undefined;
  const label = `jump-host ${targetLabel(jump)}`;
  const name = jump.port === 22 ? jump.host : `[${jump.host}]:${jump.port}`;
  const [scan, pinned] = await Promise.all([
    exec.run(['ssh-keyscan', '-T', '10', '-p', String(jump.port), jump.host]),
    exec.run(['ssh-keygen', '-F', name, '-f', files.knownHostsFile]),
  ]);
  const blob = (line: string) => line.trim().split(/\s+/).slice(1, 3).join(' ');
  const presented = parseKeyscan(scan.stdout);
  if (presented.length === 0) return `ssh-keyscan found no host key on ${label}: ${tail(scan.stderr, 3) || 'no answer'}`;
  const pins = new Set(
    pinned.stdout
      .split('\n')
      .filter((line) => line && !line.startsWith('#'))
      .map(blob),
  );
  if (pins.size === 0) return `the host key of ${label} is not pinned: known-hosts has no line for ${name}`;
  if (!presented.some((key) => pins.has(blob(key.line))))
    return `host key mismatch on ${label}: it presents ${presented.map((k) => `${k.type} ${k.fingerprint}`).join(', ')}, not the key pinned in known-hosts`;
  return undefined;
}

/** A failed command that was ssh itself failing (exit 255) gets the hint of explainSshFailure. */
export function withSshHint(error: unknown, label: string, jumpHost?: SshTarget): unknown {
  if (!(error instanceof CommandError) || error.exitCode !== 255 || error.hint) return error;
  const hint = explainSshFailure(label, error.outputTail, jumpHost);
  return hint ? new CommandError(error.what, error.exitCode, error.outputTail, hint) : error;
}

/** Pins host keys by SHA256 fingerprint: scan, keep only keys matching a pin, or fail before any login. */
export async function pinFingerprints(exec: Executor, files: SshFiles, target: SshTarget, fingerprints: readonly string[]): Promise<void> {
  const scan = await exec.run(['ssh-keyscan', '-T', '10', '-p', String(target.port), target.host]);
  const keys = parseKeyscan(scan.stdout);
  if (keys.length === 0)
    throw new OperationalError(`ssh-keyscan found no host key on ${targetLabel(target)}: ${tail(scan.stderr, 5) || 'no answer'}`);
  const matching = keys.filter((key) => fingerprints.includes(key.fingerprint));
  if (matching.length === 0) {
    throw new OperationalError(
      `host key mismatch on ${targetLabel(target)}: it presents ${keys.map((k) => `${k.type} ${k.fingerprint}`).join(', ')}; expected ${fingerprints.join(' or ')}. Nothing was sent.`,
      HOST_KEY_HINT,
    );
  }
  appendFileSync(files.knownHostsFile, `${matching.map((k) => k.line).join('\n')}\n`);
}

/** `ssh` with the run's options and the target's port, up to the destination (what rsync -e takes). */
export function sshPrefix(files: SshFiles, auth: SshAuth, target: SshTarget): string[] {
  return ['ssh', ...sshOptions(files, auth), '-p', String(target.port)];
}

/** The argv that runs `remoteCommand` (already quoted for the remote shell, see shellCommand) on the target. */
export function sshArgv(files: SshFiles, auth: SshAuth, target: SshTarget, remoteCommand: string): string[] {
  return [...sshPrefix(files, auth, target), destination(target), remoteCommand];
}

import { posix } from 'node:path';

import type { z } from 'zod';

import { ConfigurationError, errorMessage } from '../core/errors.js';
import { bool, choice, content, duration, list, optionalText, pattern } from '../core/inputs.js';
import { isSafeRemotePath } from '../core/shell.js';
import type { ConnectionConfig } from './connect.js';
import { FINGERPRINT } from './hostkeys.js';
import { parseTarget, USER_NAME } from './target.js';

/** The connection inputs every SSH-based action shares (backend, rollback, migrate, frontend, backup). */
export const sshConnectionInputs = {
  transport: choice(['ssh', 'local'] as const, 'ssh'),
  hosts: list(),
  user: pattern(USER_NAME, 'a user name of letters, digits, "_", "." or "-"'),
  'ssh-key': content(),
  'known-hosts': content(),
  'host-fingerprint': list(),
  'insecure-skip-host-key-check': bool(false),
  'jump-host': optionalText(),
  path: optionalText(),
  'lock-wait': duration('5m'),
  'lock-ttl': duration('2m'),
};

export const SSH_SECRET_INPUTS = ['ssh-key'] as const;

/** The parsed connection inputs connectionConfig checks (lock-wait and lock-ttl go to lockConfig). */
export type SshConnectionInputs = z.output<z.ZodObject<Omit<typeof sshConnectionInputs, 'lock-wait' | 'lock-ttl'>>>;

/** Checks the connection inputs together and builds the config; every failure here is before any connection. */
export function connectionConfig(inputs: SshConnectionInputs): ConnectionConfig {
  const root = inputs.path;
  if (!root) throw new ConfigurationError('input "path": expected the deploy root on the host, such as /srv/app');
  if (!isSafeRemotePath(root) || posix.normalize(root) === '/') {
    throw new ConfigurationError(
      `input "path": expected a path of letters, digits, ".", "_", "-", "/" without ".." or spaces, got ${JSON.stringify(root)}`,
    );
  }
  const base = { root, auth: { hostFingerprints: [], insecureSkipHostKeyCheck: false } };
  if (inputs.transport === 'local') return { ...base, transport: 'local', hosts: [] };

  if (inputs.hosts.length === 0)
    throw new ConfigurationError('input "hosts": expected one or more hosts as [user@]host[:port], separated by commas or newlines');
  const hosts = inputs.hosts.map((spec) => {
    try {
      return parseTarget(spec, { user: inputs.user });
    } catch (error) {
      throw new ConfigurationError(`input "hosts": ${errorMessage(error)}`);
    }
  });
  for (const fp of inputs['host-fingerprint']) {
    if (!FINGERPRINT.test(fp))
      throw new ConfigurationError(
        `input "host-fingerprint": expected SHA256:<43 base64 characters> as ssh-keygen -lf prints it, got ${JSON.stringify(fp)}`,
      );
  }
  const pinned = Boolean(inputs['known-hosts']) || inputs['host-fingerprint'].length > 0;
  if (pinned && inputs['insecure-skip-host-key-check']) {
    throw new ConfigurationError(
      'input "insecure-skip-host-key-check": true would ignore the given known-hosts / host-fingerprint pins; remove it (the pins are checked) or remove the pins',
    );
  }
  if (!pinned && !inputs['insecure-skip-host-key-check']) {
    throw new ConfigurationError(
      'input "known-hosts" or "host-fingerprint": one is required to pin the host key (ssh-keyscan -p PORT HOST gives the known_hosts lines); insecure-skip-host-key-check: true accepts any key',
    );
  }
  let jumpHost;
  if (inputs['jump-host']) {
    try {
      jumpHost = parseTarget(inputs['jump-host'], { user: inputs.user });
    } catch (error) {
      throw new ConfigurationError(`input "jump-host": ${errorMessage(error)}`);
    }
    if (!inputs['known-hosts'] && !inputs['insecure-skip-host-key-check']) {
      throw new ConfigurationError(
        'input "known-hosts": with jump-host, pin both hosts in known-hosts (host-fingerprint pins only directly reachable hosts)',
      );
    }
  }
  if (inputs['ssh-key'] && !/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(inputs['ssh-key'])) {
    throw new ConfigurationError('input "ssh-key": expected a private key in OpenSSH or PEM format (-----BEGIN ... PRIVATE KEY-----)');
  }
  return {
    root,
    transport: 'ssh',
    hosts,
    auth: {
      privateKey: inputs['ssh-key'],
      knownHosts: inputs['known-hosts'],
      hostFingerprints: inputs['host-fingerprint'],
      insecureSkipHostKeyCheck: inputs['insecure-skip-host-key-check'],
      jumpHost,
    },
  };
}

import { describe, expect, it } from 'vitest';

import { ConfigurationError } from '../../src/core/errors.js';
import { connectionConfig, type SshConnectionInputs } from '../../src/ssh/inputs.js';

const PIN = 'SHA256:' + 'A'.repeat(43);
const KEY = '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----\n';
const KNOWN = 'web1 ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIB\n';

function inputs(overrides: Partial<SshConnectionInputs>): SshConnectionInputs {
  return {
    transport: 'ssh',
    hosts: ['web1'],
    user: 'deploy',
    'ssh-key': KEY,
    'known-hosts': undefined,
    'host-fingerprint': [PIN],
    'insecure-skip-host-key-check': false,
    'jump-host': undefined,
    path: '/srv/app',
    ...overrides,
  };
}

function refusal(overrides: Partial<SshConnectionInputs>): string {
  try {
    connectionConfig(inputs(overrides));
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigurationError);
    return (error as Error).message;
  }
  throw new Error('expected a ConfigurationError');
}

describe('connectionConfig refuses before any connection', () => {
  it.each<[string, Partial<SshConnectionInputs>, string]>([
    ['no path', { path: undefined }, 'input "path": expected the deploy root'],
    ['a path with spaces', { path: '/srv/my app' }, 'input "path": expected a path'],
    ['a path with ..', { path: '/srv/../etc' }, 'input "path": expected a path'],
    ['the filesystem root', { path: '/' }, 'input "path": expected a path'],
    ['the filesystem root as //', { path: '//' }, 'input "path": expected a path'],
    ['the filesystem root as /.', { path: '/.' }, 'input "path": expected a path'],
    ['the filesystem root as /./', { path: '/./' }, 'input "path": expected a path'],
    [
      'insecure-skip-host-key-check with pins',
      { 'insecure-skip-host-key-check': true },
      'input "insecure-skip-host-key-check": true would ignore the given known-hosts / host-fingerprint pins',
    ],
    ['no hosts', { hosts: [] }, 'input "hosts": expected one or more hosts'],
    ['a hostile host', { hosts: ['web1', 'web2;id'] }, 'input "hosts": host "web2;id"'],
    ['a bad port', { hosts: ['web1:70000'] }, 'input "hosts": host "web1:70000": the port must be from 1 to 65535'],
    ['no host key pin', { 'host-fingerprint': [] }, 'input "known-hosts" or "host-fingerprint": one is required'],
    [
      'a fingerprint ssh-keygen would not print',
      { 'host-fingerprint': ['SHA256:short'] },
      'input "host-fingerprint": expected SHA256:<43 base64 characters>',
    ],
    ['an MD5 fingerprint', { 'host-fingerprint': ['MD5:aa:bb'] }, 'input "host-fingerprint"'],
    ['a jump host pinned only by fingerprint', { 'jump-host': 'bastion' }, 'input "known-hosts": with jump-host, pin both hosts'],
    ['a hostile jump host', { 'jump-host': 'bastion$(id)', 'known-hosts': KNOWN }, 'input "jump-host": host "bastion$(id)"'],
    [
      'a public key given as ssh-key',
      { 'ssh-key': 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5 me@laptop' },
      'input "ssh-key": expected a private key',
    ],
  ])('%s', (_why, overrides, message) => {
    expect(refusal(overrides)).toContain(message);
  });
});

describe('connectionConfig builds the connection', () => {
  it('pins by fingerprint, applying the user to every host', () => {
    expect(connectionConfig(inputs({ hosts: ['web1', 'ci@web2:2222'] }))).toEqual({
      root: '/srv/app',
      transport: 'ssh',
      hosts: [
        { user: 'deploy', host: 'web1', port: 22 },
        { user: 'ci', host: 'web2', port: 2222 },
      ],
      auth: { privateKey: KEY, knownHosts: undefined, hostFingerprints: [PIN], insecureSkipHostKeyCheck: false, jumpHost: undefined },
    });
  });

  it('accepts known-hosts alone, and a jump host with it', () => {
    const config = connectionConfig(inputs({ 'host-fingerprint': [], 'known-hosts': KNOWN, 'jump-host': 'bastion:2200' }));
    expect(config.auth.knownHosts).toBe(KNOWN);
    expect(config.auth.jumpHost).toEqual({ user: 'deploy', host: 'bastion', port: 2200 });
  });

  it('accepts no pin only with insecure-skip-host-key-check, and says so in the config', () => {
    const config = connectionConfig(inputs({ 'host-fingerprint': [], 'insecure-skip-host-key-check': true, 'jump-host': 'bastion' }));
    expect(config.auth.insecureSkipHostKeyCheck).toBe(true);
    expect(config.auth.jumpHost?.host).toBe('bastion');
  });

  it('accepts a PEM key and no key at all (an ssh agent)', () => {
    const pem = '-----BEGIN RSA PRIVATE KEY-----\nMIIE\n-----END RSA PRIVATE KEY-----\n';
    expect(connectionConfig(inputs({ 'ssh-key': pem })).auth.privateKey).toBe(pem);
    expect(connectionConfig(inputs({ 'ssh-key': undefined })).auth.privateKey).toBeUndefined();
  });

  it('the local transport needs only a path: no hosts, no key, no pin', () => {
    expect(
      connectionConfig(inputs({ transport: 'local', hosts: [], 'ssh-key': undefined, 'host-fingerprint': [], path: 'releases-root' })),
    ).toEqual({
      root: 'releases-root',
      transport: 'local',
      hosts: [],
      auth: { hostFingerprints: [], insecureSkipHostKeyCheck: false },
    });
    expect(() => connectionConfig(inputs({ transport: 'local', path: undefined }))).toThrow(/input "path"/);
  });
});

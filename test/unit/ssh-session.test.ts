import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { CommandError } from '../../src/core/errors.js';
import { processExecutor } from '../../src/core/exec.js';
import { localTransport } from '../../src/release/upload/local.js';
import { parseRsyncBytesSent, rsyncArgs } from '../../src/release/upload/transport.js';
import { FINGERPRINT, fingerprintOf, parseKeyscan } from '../../src/ssh/hostkeys.js';
import { createSshFiles, explainSshFailure, type SshAuth, type SshFiles, sshOptions, withSshHint } from '../../src/ssh/session.js';

let base: string;
beforeAll(() => {
  base = mkdtempSync(join(tmpdir(), 'dk-session-'));
});
afterAll(() => rmSync(base, { recursive: true, force: true }));

const EPOCH = new Date('2026-01-01T00:00:00Z');
const files: SshFiles = { dir: '/tmp/dk-x', keyFile: '/tmp/dk-x/id', knownHostsFile: '/tmp/dk-x/known_hosts' };
const auth = (overrides: Partial<SshAuth> = {}): SshAuth => ({ hostFingerprints: [], insecureSkipHostKeyCheck: false, ...overrides });

/** The value of each `-o Name=value` in an argv. */
function optionValues(argv: readonly string[]): Map<string, string> {
  const values = new Map<string, string>();
  for (let i = 0; i < argv.length; i += 1) {
    if (argv[i] !== '-o') continue;
    const [name, ...rest] = argv[i + 1]!.split('=');
    values.set(name!, rest.join('='));
  }
  return values;
}

/** How ssh itself resolves the options (`ssh -G` prints the configuration without connecting). */
function sshResolved(argv: readonly string[]): Map<string, string> {
  const out = execFileSync('ssh', ['-G', ...argv], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, HOME: base },
  });
  const values = new Map<string, string>();
  for (const line of out.split('\n')) {
    const space = line.indexOf(' ');
    if (space > 0 && !values.has(line.slice(0, space))) values.set(line.slice(0, space), line.slice(space + 1));
  }
  return values;
}

/** What the shell makes of a ProxyCommand line: its argv. */
function shellWords(commandLine: string): string[] {
  return execFileSync('bash', ['--noprofile', '--norc', '-c', `printf '%s\\0' ${commandLine}`], { encoding: 'utf8' })
    .split('\0')
    .slice(0, -1);
}

describe('sshOptions', () => {
  it('pins host keys by default: strict checking against the run’s own known_hosts only', () => {
    const argv = sshOptions(files, auth());
    const o = optionValues(argv);
    expect(o.get('StrictHostKeyChecking')).toBe('yes');
    expect(o.get('UserKnownHostsFile')).toBe('/tmp/dk-x/known_hosts');
    expect(o.get('GlobalKnownHostsFile')).toBe('/dev/null');
    expect(o.get('BatchMode')).toBe('yes');
    expect(argv).toEqual(expect.arrayContaining(['-i', '/tmp/dk-x/id']));
    expect(o.get('IdentitiesOnly')).toBe('yes');
    expect(o.has('ProxyCommand')).toBe(false);
  });

  it('reads no ssh config file: -F /dev/null first, every option explicit', () => {
    const argv = sshOptions(files, auth());
    expect(argv.slice(0, 2)).toEqual(['-F', '/dev/null']);
    const o = optionValues(argv);
    for (const [name, value] of Object.entries({
      PasswordAuthentication: 'no',
      ForwardAgent: 'no',
      RequestTTY: 'no',
      UpdateHostKeys: 'no',
    }))
      expect(o.get(name), name).toBe(value);
  });

  it('accepts any host key only with insecure-skip-host-key-check', () => {
    const o = optionValues(sshOptions(files, auth({ insecureSkipHostKeyCheck: true })));
    expect(o.get('StrictHostKeyChecking')).toBe('no');
    expect(o.get('UserKnownHostsFile')).toBe('/dev/null');
  });

  it('without a key file, lets ssh use the agent (no -i)', () => {
    const argv = sshOptions({ ...files, keyFile: undefined }, auth());
    expect(argv).not.toContain('-i');
    expect(optionValues(argv).has('IdentitiesOnly')).toBe(false);
  });

  it.each([
    [true, 'auto', '/tmp/dk-x/cm-%C', '120'],
    [false, undefined, undefined, undefined],
  ])('multiplex=%s sets ControlMaster=%s, socket %s', (multiplex, master, path, persist) => {
    const o = optionValues(sshOptions(files, auth(), multiplex));
    expect(o.get('ControlMaster')).toBe(master);
    expect(o.get('ControlPath')).toBe(path);
    expect(o.get('ControlPersist')).toBe(persist);
  });

  it.each([[false], [true]])('a jump host is reached by a ProxyCommand with the same pinning (insecure=%s)', (insecure) => {
    const argv = sshOptions(files, auth({ insecureSkipHostKeyCheck: insecure, jumpHost: { user: 'jump', host: 'bastion', port: 2200 } }));
    const proxy = optionValues(argv).get('ProxyCommand')!;
    const words = shellWords(proxy);
    expect(words[0]).toBe('ssh');
    expect(words.slice(-5)).toEqual(['-p', '2200', '-W', '%h:%p', 'jump@bastion']);
    // The hop carries exactly the target's options, minus multiplexing and the jump itself.
    expect(words.slice(1, -5)).toEqual(sshOptions(files, auth({ insecureSkipHostKeyCheck: insecure }), false));
    expect(optionValues(words).get('StrictHostKeyChecking')).toBe(insecure ? 'no' : 'yes');
  });

  it('ssh itself reads the options as meant', () => {
    const dir = join(base, 'real');
    mkdirSync(dir, { recursive: true });
    const real = createSshFiles(dir, auth({ privateKey: '-----BEGIN OPENSSH PRIVATE KEY-----\nx\n-----END OPENSSH PRIVATE KEY-----' }));
    const resolved = sshResolved([...sshOptions(real, auth({ jumpHost: { host: 'bastion', port: 22 } })), '-p', '2222', 'deploy@web1']);
    expect(resolved.get('stricthostkeychecking')).toBe('true');
    expect(resolved.get('userknownhostsfile')).toBe(real.knownHostsFile);
    expect(resolved.get('globalknownhostsfile')).toBe('/dev/null');
    expect(resolved.get('identityfile')).toBe(real.keyFile);
    expect(resolved.get('controlmaster')).toBe('auto');
    expect(resolved.get('controlpath')).toMatch(new RegExp(`^${real.dir}/cm-[0-9a-f]{40}$`));
    expect(resolved.get('proxycommand')).toContain('-W %h:%p bastion');
    expect(resolved.get('port')).toBe('2222');
    expect(resolved.get('user')).toBe('deploy');
  });
});

describe('explainSshFailure', () => {
  const jump = { host: 'bastion.example.com', port: 2222, user: 'ops' };
  const closed = 'kex_exchange_identification: Connection closed by remote host\nConnection closed by UNKNOWN port 65535';
  it('names jump-host when the connection through it closed before the host answered (ssh hides the ProxyCommand stderr)', () => {
    const hint = explainSshFailure('deploy@db', closed, jump);
    expect(hint).toContain('jump-host ops@bastion.example.com:2222');
    expect(hint).toContain('ssh-keyscan -p 2222 bastion.example.com');
    expect(explainSshFailure('deploy@db', closed)).toBeUndefined();
  });
  it("keeps the far host's own failures as they are with a jump host", () => {
    expect(explainSshFailure('deploy@db', 'Host key verification failed.', jump)).toMatch(/^The host key did not match/);
    expect(explainSshFailure('deploy@db', 'deploy@db: Permission denied (publickey).', jump)).toContain('refused the key for deploy@db');
  });
  it('withSshHint hands the jump host on', () => {
    const error = withSshHint(new CommandError('upload on deploy@db', 255, closed), 'deploy@db', jump) as CommandError;
    expect(error.hint).toContain('jump-host ops@bastion.example.com:2222');
  });
});

describe('createSshFiles', () => {
  it('writes the key (newline-terminated) and known_hosts privately in a fresh directory', () => {
    const dir = join(base, 'files');
    mkdirSync(dir, { recursive: true });
    const created = createSshFiles(dir, auth({ privateKey: 'KEY', knownHosts: 'web1 ssh-ed25519 AAAA\n' }));
    expect(created.dir.startsWith(join(dir, 'dk-'))).toBe(true);
    expect(readFileSync(created.keyFile!, 'utf8')).toBe('KEY\n');
    expect(statSync(created.keyFile!).mode & 0o777).toBe(0o600);
    expect(readFileSync(created.knownHostsFile, 'utf8')).toBe('web1 ssh-ed25519 AAAA\n');
    expect(statSync(created.knownHostsFile).mode & 0o777).toBe(0o600);
    expect(createSshFiles(dir, auth()).keyFile).toBeUndefined();
  });
});

describe('rsync', () => {
  it.each([
    [{ exclude: [] }, ['-a', '--checksum', '--delete', '--stats', 'build/', 'deploy@web1:/srv/app/releases/r2']],
    [
      { exclude: [], linkDest: '../r1' },
      ['-a', '--checksum', '--delete', '--stats', '--link-dest=../r1', 'build/', 'deploy@web1:/srv/app/releases/r2'],
    ],
    [
      { exclude: ['.git', 'node_modules'] },
      ['-a', '--checksum', '--delete', '--stats', '--exclude=.git', '--exclude=node_modules', 'build/', 'deploy@web1:/srv/app/releases/r2'],
    ],
  ])('rsyncArgs(%j) copies the contents of the source', (options, expected) => {
    expect(rsyncArgs('build', 'deploy@web1:/srv/app/releases/r2', options)).toEqual(expected);
    expect(rsyncArgs('build///', 'deploy@web1:/srv/app/releases/r2', options)).toEqual(expected);
  });

  it.each([
    ['Total bytes sent: 1,234\nTotal bytes received: 35', 1234],
    ['Total bytes sent: 1234\n', 1234],
    ['Total bytes sent: 12.345.678', 12345678],
    ['Total bytes sent:0', 0],
    ['no stats at all', 0],
  ])('parseRsyncBytesSent(%j) = %d', (stats, bytes) => {
    expect(parseRsyncBytesSent(stats)).toBe(bytes);
  });

  it('a local upload sends the files, hard-links unchanged ones to the previous release, and honours excludes', async () => {
    // Reproducible builds (SOURCE_DATE_EPOCH, Nix, Bazel) give every file the same mtime: a changed
    // file of the same size must still be sent, not linked from the previous release.
    const src = join(base, 'src');
    mkdirSync(join(src, '.git'), { recursive: true });
    writeFileSync(join(src, 'same.txt'), 'x'.repeat(10_000));
    writeFileSync(join(src, 'changed.txt'), 'v1');
    writeFileSync(join(src, '.git', 'HEAD'), 'ref');
    for (const name of ['same.txt', 'changed.txt', '.git/HEAD']) utimesSync(join(src, name), EPOCH, EPOCH);
    const releases = join(base, 'releases');
    const transport = localTransport(processExecutor);
    const first = await transport.upload(src, join(releases, 'r1'), { exclude: ['.git'] });
    expect(first.method).toBe('rsync');
    expect(first.bytesSent).toBeGreaterThan(10_000);
    writeFileSync(join(src, 'changed.txt'), 'v2');
    utimesSync(join(src, 'changed.txt'), EPOCH, EPOCH);
    const second = await transport.upload(src, join(releases, 'r2'), { exclude: ['.git'], linkDest: '../r1' });
    expect(second.bytesSent).toBeLessThan(first.bytesSent);
    expect(statSync(join(releases, 'r2', 'same.txt')).ino).toBe(statSync(join(releases, 'r1', 'same.txt')).ino);
    expect(readFileSync(join(releases, 'r2', 'changed.txt'), 'utf8')).toBe('v2');
    expect(readFileSync(join(releases, 'r1', 'changed.txt'), 'utf8')).toBe('v1');
    expect(() => statSync(join(releases, 'r2', '.git'))).toThrow();
  });
});

describe('host keys', () => {
  it.each([['ed25519'], ['ecdsa'], ['rsa']])('fingerprintOf matches ssh-keygen -lf for a fresh %s key', (type) => {
    const keyFile = join(base, `host_${type}`);
    execFileSync('ssh-keygen', ['-q', '-t', type, '-N', '', '-C', 'test', '-f', keyFile]);
    const pub = readFileSync(`${keyFile}.pub`, 'utf8');
    const expected = execFileSync('ssh-keygen', ['-lf', `${keyFile}.pub`], { encoding: 'utf8' }).split(' ')[1];
    const fingerprint = fingerprintOf(pub.split(' ')[1]!);
    expect(fingerprint).toBe(expected);
    expect(FINGERPRINT.test(fingerprint)).toBe(true);
  });

  it('parseKeyscan keeps each key line with its type and fingerprint, skipping comments and blanks', () => {
    const keyFile = join(base, 'scan_key');
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', keyFile]);
    const [type, blob] = readFileSync(`${keyFile}.pub`, 'utf8').split(' ');
    const expected = execFileSync('ssh-keygen', ['-lf', `${keyFile}.pub`], { encoding: 'utf8' }).split(' ')[1];
    const scan = `# 127.0.0.1:2222 SSH-2.0-OpenSSH_9.2p1\n\n[127.0.0.1]:2222 ${type} ${blob}\n# 127.0.0.1:2222 SSH-2.0-OpenSSH_9.2p1\nbroken-line\n`;
    expect(parseKeyscan(scan)).toEqual([{ line: `[127.0.0.1]:2222 ${type} ${blob}`, type, fingerprint: expected }]);
    expect(parseKeyscan('')).toEqual([]);
  });
});

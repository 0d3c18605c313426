import { describe, expect, it } from 'vitest';

import { ConfigurationError } from '../../src/core/errors.js';
import { isSafeRelativePath, isSafeRemotePath } from '../../src/core/shell.js';
import { isSafeReleaseId } from '../../src/release/names.js';
import { parseTarget, type SshTarget, targetLabel } from '../../src/ssh/target.js';

describe('parseTarget', () => {
  it.each<[string, { user?: string; port?: number }, SshTarget, string]>([
    ['web1', {}, { user: undefined, host: 'web1', port: 22 }, 'web1'],
    ['web1.example.com', { user: 'deploy' }, { user: 'deploy', host: 'web1.example.com', port: 22 }, 'deploy@web1.example.com'],
    ['deploy@web1:2222', {}, { user: 'deploy', host: 'web1', port: 2222 }, 'deploy@web1:2222'],
    ['ci@web1', { user: 'deploy', port: 2200 }, { user: 'ci', host: 'web1', port: 2200 }, 'ci@web1:2200'],
    ['web1:22', { port: 2200 }, { user: undefined, host: 'web1', port: 22 }, 'web1'],
    ['  10.0.0.5:65535 ', {}, { user: undefined, host: '10.0.0.5', port: 65535 }, '10.0.0.5:65535'],
    ['[::1]:2222', {}, { user: undefined, host: '::1', port: 2222 }, '[::1]:2222'],
    ['app@[fe80::1]', {}, { user: 'app', host: 'fe80::1', port: 22 }, 'app@[fe80::1]'],
    ['[2001:db8::10]', { port: 2022 }, { user: undefined, host: '2001:db8::10', port: 2022 }, '[2001:db8::10]:2022'],
    ['deploy_user.x-1@h-1', {}, { user: 'deploy_user.x-1', host: 'h-1', port: 22 }, 'deploy_user.x-1@h-1'],
  ])('%j with defaults %j', (spec, defaults, target, label) => {
    expect(parseTarget(spec, defaults)).toEqual(target);
    expect(targetLabel(parseTarget(spec, defaults))).toBe(label);
  });

  it.each([
    ['web 1', 'expected a host name'],
    ['web1;id', 'expected a host name'],
    ['$(id)', 'expected a host name'],
    ['`id`', 'expected a host name'],
    ['web1\nweb2', 'expected a host name'],
    ['-oProxyCommand=id', 'expected a host name'],
    ['deploy@-oProxyCommand=id', 'expected a host name'],
    ['web1-', 'expected a host name'],
    ['', 'expected a host name'],
    ['web1:0', 'the port must be from 1 to 65535'],
    ['web1:70000', 'the port must be from 1 to 65535'],
    ['[::1]:0', 'the port must be from 1 to 65535'],
    ['web1:22a', 'the port must be a number'],
    ['web1:', 'the port must be a number'],
    ['web1:-1', 'the port must be a number'],
    ['[::1;id]:22', 'not an IPv6 address'],
    ['-oProxy@web1', 'the user must be'],
    ['ro ot@web1', 'the user must be'],
    ['$(id)@web1', 'the user must be'],
    ['@web1', 'the user must be'],
    ['1user@web1', 'the user must be'],
    ['a@b@web1', 'the user must be'],
  ])('refuses %j (%s), naming the host', (spec, why) => {
    let caught: unknown;
    try {
      parseTarget(spec);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigurationError);
    expect((caught as Error).message).toContain(`host ${JSON.stringify(spec)}: `);
    expect((caught as Error).message).toContain(why);
  });

  it('refuses a bad default user too', () => {
    expect(() => parseTarget('web1', { user: 'root;id' })).toThrow(ConfigurationError);
  });
});

describe('names', () => {
  it.each([
    ['20260101120000', true],
    ['v1.2.3', true],
    ['abc_DEF-1', true],
    ['a'.repeat(128), true],
    ['a'.repeat(129), false],
    ['', false],
    ['.hidden', false],
    ['-rf', false],
    ['_x', false],
    ['a..b', false],
    ['a/b', false],
    ['a b', false],
    ['a;b', false],
    ['$(id)', false],
    ['a\n', false],
  ])('isSafeReleaseId(%j) = %s', (value, safe) => {
    expect(isSafeReleaseId(value)).toBe(safe);
  });

  it.each([
    ['/srv/app', true],
    ['apps/site', true],
    ['/home/deploy/my.app+v2@x', true],
    ['/srv/..app', true],
    ['/', false],
    ['', false],
    ['/srv/../etc', false],
    ['..', false],
    ['-rf', false],
    ['/srv/my app', false],
    ['/srv/app;id', false],
    ['/srv/$(id)', false],
    ['~/app', false],
    ['/srv/app\n', false],
    ["/srv/'app'", false],
  ])('isSafeRemotePath(%j) = %s', (value, safe) => {
    expect(isSafeRemotePath(value)).toBe(safe);
  });

  it.each([
    ['storage', true],
    ['media/uploads', true],
    ['.env', true],
    ['config/.env.production', true],
    ['.', false],
    ['', false],
    ['/etc/passwd', false],
    ['../secrets', false],
    ['a/../../b', false],
    ['-x', false],
    ['a b', false],
    ['a;b', false],
    ['$(id)', false],
  ])('isSafeRelativePath(%j) = %s', (value, safe) => {
    expect(isSafeRelativePath(value)).toBe(safe);
  });
});

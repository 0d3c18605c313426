import { existsSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { prepareDockerConfig } from '../../src/image/build.js';
import {
  buildCommand,
  type BuildSpec,
  buildxProbe,
  loginCommand,
  pushCommands,
  pushedDigest,
  registryOf,
  validateRegistry,
} from '../../src/image/builders.js';

const spec: BuildSpec = {
  context: '/ws/app',
  file: '/ws/app/Containerfile',
  refs: ['ghcr.io/acme/shop:1.2.3', 'ghcr.io/acme/shop:latest'],
  labels: { 'org.opencontainers.image.revision': 'abc' },
  buildArgs: { PY: '3.12' },
  secrets: [{ id: 'npm', path: '/tmp/w/secrets/0' }],
  target: 'prod',
  platforms: ['linux/amd64'],
  push: true,
  tlsVerify: true,
  cacheFrom: ['type=gha'],
  cacheTo: ['type=gha,mode=max'],
  workDir: '/tmp/w',
  loggedIn: true,
  buildx: true,
};

const common = [
  '--file',
  '/ws/app/Containerfile',
  '--target',
  'prod',
  '--platform',
  'linux/amd64',
  '--label',
  'org.opencontainers.image.revision=abc',
  '--build-arg',
  'PY=3.12',
  '--secret',
  'id=npm,src=/tmp/w/secrets/0',
];

describe('image builder commands', () => {
  it('docker buildx builds, tags, caches and pushes in one command with a private DOCKER_CONFIG', () => {
    expect(buildCommand('docker', spec)).toEqual({
      argv: [
        'docker',
        'buildx',
        'build',
        ...common,
        '--cache-from',
        'type=gha',
        '--cache-to',
        'type=gha,mode=max',
        '--tag',
        spec.refs[0],
        '--tag',
        spec.refs[1],
        '--iidfile',
        '/tmp/w/iid',
        '--metadata-file',
        '/tmp/w/metadata.json',
        '--push',
        '--',
        '/ws/app',
      ],
      env: { DOCKER_CONFIG: '/tmp/w/docker-config' },
    });
    expect(pushCommands('docker', spec)).toEqual([]);
  });

  it('docker loads a single-platform image when not pushing, and cannot load a multi-platform one', () => {
    expect(buildCommand('docker', { ...spec, push: false, loggedIn: false }).argv.slice(-3)).toEqual(['--load', '--', '/ws/app']);
    expect(buildCommand('docker', { ...spec, push: false, platforms: ['linux/amd64', 'linux/arm64'] }).argv).not.toContain('--load');
  });

  it.each(['buildah', 'podman'] as const)('%s builds with the temp authfile and pushes each tag with a digest file', (builder) => {
    expect(buildCommand(builder, { ...spec, tlsVerify: false })).toEqual({
      argv: [
        builder,
        'build',
        ...common,
        '--authfile',
        '/tmp/w/auth.json',
        '--tls-verify=false',
        '--tag',
        spec.refs[0],
        '--tag',
        spec.refs[1],
        '--iidfile',
        '/tmp/w/iid',
        '--',
        '/ws/app',
      ],
    });
    expect(pushCommands(builder, spec).map((c) => c.argv)).toEqual([
      [
        builder,
        'push',
        '--authfile',
        '/tmp/w/auth.json',
        '--digestfile',
        '/tmp/w/digest-0',
        '--',
        spec.refs[0],
        `docker://${spec.refs[0]}`,
      ],
      [
        builder,
        'push',
        '--authfile',
        '/tmp/w/auth.json',
        '--digestfile',
        '/tmp/w/digest-1',
        '--',
        spec.refs[0],
        `docker://${spec.refs[1]}`,
      ],
    ]);
    expect(pushCommands(builder, { ...spec, push: false })).toEqual([]);
  });

  it('buildah makes and pushes a manifest list for several platforms', () => {
    const multi = { ...spec, platforms: ['linux/amd64', 'linux/arm64'], loggedIn: false };
    const build = buildCommand('buildah', multi).argv;
    expect(build).toContain('linux/amd64,linux/arm64');
    expect(build.slice(build.indexOf('--manifest'), build.indexOf('--manifest') + 2)).toEqual(['--manifest', spec.refs[0]]);
    expect(build).not.toContain('--tag');
    expect(pushCommands('buildah', multi)[0]!.argv).toEqual([
      'buildah',
      'manifest',
      'push',
      '--all',
      '--digestfile',
      '/tmp/w/digest-0',
      '--',
      spec.refs[0],
      `docker://${spec.refs[0]}`,
    ]);
  });

  it('logs in with the password on stdin, never in argv', () => {
    const login = { registry: 'ghcr.io', username: 'bot', password: 's3cret' };
    expect(loginCommand('buildah', login, '/tmp/w', true)).toEqual({
      argv: ['buildah', 'login', '--authfile', '/tmp/w/auth.json', '--username', 'bot', '--password-stdin', '--', 'ghcr.io'],
      stdin: 's3cret',
      env: undefined,
    });
    expect(loginCommand('docker', login, '/tmp/w', true)).toEqual({
      argv: ['docker', 'login', '--username', 'bot', '--password-stdin', '--', 'ghcr.io'],
      stdin: 's3cret',
      env: { DOCKER_CONFIG: '/tmp/w/docker-config' },
    });
  });

  it('docker without buildx runs docker build, then docker push per tag, and reads the digest from its output', () => {
    const plain = { ...spec, buildx: false, cacheFrom: [], cacheTo: [], network: 'host' };
    expect(buildCommand('docker', plain)).toEqual({
      argv: [
        'docker',
        'build',
        ...common.slice(0, 4),
        '--network',
        'host',
        ...common.slice(4),
        '--tag',
        spec.refs[0],
        '--tag',
        spec.refs[1],
        '--iidfile',
        '/tmp/w/iid',
        '--',
        '/ws/app',
      ],
      env: { DOCKER_CONFIG: '/tmp/w/docker-config' },
    });
    expect(pushCommands('docker', plain)).toEqual(
      spec.refs.map((ref) => ({ argv: ['docker', 'push', '--', ref], env: { DOCKER_CONFIG: '/tmp/w/docker-config' } })),
    );
    expect(pushCommands('docker', { ...plain, push: false })).toEqual([]);
    expect(buildxProbe('/tmp/w')).toEqual({ argv: ['docker', 'buildx', 'version'], env: { DOCKER_CONFIG: '/tmp/w/docker-config' } });
    const digest = `sha256:${'ab'.repeat(32)}`;
    expect(
      pushedDigest(`The push refers to repository [127.0.0.1:5000/acme/shop]\n5f70bf18a086: Pushed\nmain: digest: ${digest} size: 735\n`),
    ).toBe(digest);
    expect(pushedDigest('no digest here')).toBeUndefined();
  });

  it.each(['docker', 'buildah', 'podman'] as const)('%s puts "--" before every positional argument', (builder) => {
    const commands = [
      buildCommand(builder, spec),
      buildCommand(builder, { ...spec, buildx: false }),
      ...pushCommands(builder, { ...spec, buildx: false }),
      loginCommand(builder, { registry: 'ghcr.io', username: 'u', password: 'p' }, '/tmp/w', false),
    ];
    for (const { argv } of commands) {
      const positional = argv.slice(argv.indexOf('--') + 1);
      expect(argv, argv.join(' ')).toContain('--');
      expect(positional.length).toBeGreaterThan(0);
      expect(positional.every((a) => !a.startsWith('-'))).toBe(true);
    }
  });

  it.each([
    ['ghcr.io/acme/shop', 'ghcr.io'],
    ['127.0.0.1:5000/acme/shop', '127.0.0.1:5000'],
    ['localhost/shop', 'localhost'],
    ['acme/shop', 'docker.io'],
    ['shop', 'docker.io'],
  ])('registryOf(%s) = %s', (repo, registry) => expect(registryOf(repo)).toBe(registry));
});

describe('private docker config', () => {
  it('keeps buildx builders, plugins and settings but no credentials of the user', () => {
    const user = mkdtempSync(join(tmpdir(), 'dk-docker-user-'));
    mkdirSync(join(user, 'buildx/instances'), { recursive: true });
    writeFileSync(join(user, 'buildx/instances/builder-1'), '{}');
    writeFileSync(
      join(user, 'config.json'),
      JSON.stringify({
        auths: { 'ghcr.io': { auth: 'c2VjcmV0' } },
        credsStore: 'desktop',
        credHelpers: { 'gcr.io': 'gcloud' },
        proxies: { default: { httpProxy: 'http://proxy:3128' } },
      }),
    );
    const mine = join(mkdtempSync(join(tmpdir(), 'dk-docker-private-')), 'docker-config');
    prepareDockerConfig(mine, user);
    expect(readlinkSync(join(mine, 'buildx'))).toBe(join(user, 'buildx'));
    expect(existsSync(join(mine, 'cli-plugins'))).toBe(false);
    expect(JSON.parse(readFileSync(join(mine, 'config.json'), 'utf8'))).toEqual({
      proxies: { default: { httpProxy: 'http://proxy:3128' } },
    });
    expect(statSync(join(mine, 'config.json')).mode & 0o777).toBe(0o600);
    rmSync(user, { recursive: true, force: true });
    rmSync(dirname(mine), { recursive: true, force: true });
  });
});

describe('validateRegistry', () => {
  it.each(['ghcr.io', '127.0.0.1:5000', 'registry-1.docker.io', 'localhost:5000'])('accepts %s', (registry) => {
    expect(validateRegistry(registry)).toBe(registry);
  });
  it.each(['--authfile=/tmp/x', 'ghcr.io/owner', 'ghcr.io:port', '', 'a b', '-ghcr.io'])('rejects %j naming the input', (registry) => {
    expect(() => validateRegistry(registry)).toThrow(/input "registry"/);
  });
});

import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { type Registry, startRegistry } from '../../harness/services/registry.js';
import { pushedBlobs, skopeoInspect as skopeoInspectAs, tarFile } from '../../harness/services/registry-read.js';
import { printed, runBundle } from '../../harness/services/runner.js';
import { makeSource } from '../../harness/services/versioned-app.js';

let registry: Registry;
let storageEnv: Record<string, string>;
const USER = 'ci-bot';
const PASSWORD = 'reg-pass-7f3a9c';
const SECRET = 'build-secret-5e1d0b77c2';

/** buildah with its own vfs storage in a temp dir, so the test shares nothing with the machine. */
function buildah(args: string[], cwd?: string): string {
  return execFileSync('buildah', args, { cwd, env: { ...process.env, ...storageEnv }, encoding: 'utf8' });
}

const CREDS = `${USER}:${PASSWORD}`;
const skopeoInspect = (ref: string) => skopeoInspectAs(ref, CREDS);
const layers = (ref: string) => pushedBlobs(ref, CREDS);
/** Temp dirs this file makes (storage, base image, workspaces, events), removed after it. */
const temps: string[] = [];
const temp = (prefix: string) => {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  temps.push(dir);
  return dir;
};

function inputs(extra: Record<string, string>): Record<string, string> {
  return { push: 'true', username: USER, password: PASSWORD, 'tls-verify': 'false', ...extra };
}

beforeAll(async () => {
  registry = await startRegistry({ auth: { user: USER, password: PASSWORD } });
  const storage = temp('dk-storage-');
  writeFileSync(join(storage, 'storage.conf'), `[storage]\ndriver = "vfs"\ngraphroot = "${storage}/graph"\nrunroot = "${storage}/run"\n`);
  storageEnv = { CONTAINERS_STORAGE_CONF: join(storage, 'storage.conf'), STORAGE_DRIVER: 'vfs', BUILDAH_ISOLATION: 'chroot' };
  // A busybox-static base image made here, so RUN steps have a shell without pulling anything.
  const base = temp('dk-base-');
  mkdirSync(join(base, 'rootfs/bin'), { recursive: true });
  writeFileSync(join(base, 'rootfs/bin/busybox'), readFileSync('/bin/busybox'), { mode: 0o755 });
  symlinkSync('busybox', join(base, 'rootfs/bin/sh'));
  symlinkSync('busybox', join(base, 'rootfs/bin/wc'));
  writeFileSync(join(base, 'Dockerfile'), 'FROM scratch\nCOPY rootfs/ /\n');
  buildah(['build', '--tag', 'localhost/dk-busybox:latest', base]);
});

afterAll(async () => {
  await registry?.stop();
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});

describe('image with buildah and a real registry', () => {
  it('builds FROM scratch, pushes every tag, and reports the digest the registry serves', async () => {
    const context = makeSource({ Dockerfile: 'FROM scratch\nCOPY hello.txt /hello.txt\n', 'hello.txt': 'hello from deploy-kit\n' });
    const repo = `${registry.host}/acme/shop`;
    const run = await runBundle(
      'image',
      inputs({
        context,
        images: `${registry.host}/Acme/Shop`,
        tags: 'type=ref,event=branch\ntype=sha\ntype=raw,value=v1,enable=true\ntype=raw,value=off,enable=false',
        labels: 'com.example.team=web',
      }),
      { env: storageEnv, post: true },
    );
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    expect(run.outputs.tags!.split('\n')).toEqual([`${repo}:main`, `${repo}:v1`, `${repo}:sha-a1b2c3d`]);
    const digest = run.outputs.digest;
    expect(digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(run.outputs.image).toBe(`${repo}@${digest}`);
    for (const tag of ['main', 'v1', 'sha-a1b2c3d']) expect(skopeoInspect(`${repo}:${tag}`).Digest).toBe(digest);
    const inspected = skopeoInspect(`${repo}:main`);
    expect(inspected.RepoTags.sort()).toEqual(['main', 'sha-a1b2c3d', 'v1']);
    expect(inspected.Labels).toMatchObject({
      'org.opencontainers.image.source': 'https://github.com/acme/shop',
      'org.opencontainers.image.revision': 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678',
      'org.opencontainers.image.version': 'main',
      'org.opencontainers.image.title': 'shop',
      'com.example.team': 'web',
    });
    expect(inspected.Labels['org.opencontainers.image.created']).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(JSON.parse(run.outputs.metadata!)).toMatchObject({ builder: 'buildah', digest, version: 'main' });
    expect(run.outputs.labels).toContain('com.example.team=web');
    expect(run.summary).toContain(`${repo}@${digest}`);
    // No credential stays on disk, and the password never reached the log.
    expect(readdirSync(run.env.RUNNER_TEMP!).filter((f) => f.startsWith('dk-image-'))).toEqual([]);
    expect(printed(run)).not.toContain(PASSWORD);
  });

  it('mounts a build secret for RUN without putting it in any layer or the log', async () => {
    const context = makeSource({
      Dockerfile: 'FROM localhost/dk-busybox:latest\nRUN --mount=type=secret,id=token wc -c < /run/secrets/token > /token-length\n',
    });
    const repo = `${registry.host}/acme/secretive`;
    const run = await runBundle('image', inputs({ context, images: repo, tags: 'type=raw,value=s1', secrets: `token=${SECRET}` }), {
      env: storageEnv,
      post: true,
    });
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    const blobs = layers(`${repo}:s1`);
    // The secret was there during RUN (its length was recorded)...
    expect(
      blobs
        .map((b) => tarFile(b, 'token-length'))
        .find((c) => c !== undefined)
        ?.trim(),
    ).toBe(String(SECRET.length));
    // ...and is in no layer, nor the config, nor the log.
    for (const blob of blobs) expect(blob.includes(SECRET)).toBe(false);
    expect(printed(run)).not.toContain(SECRET);
    expect(readdirSync(run.env.RUNNER_TEMP!).filter((f) => f.startsWith('dk-image-'))).toEqual([]);
  });

  it('passes build-args, stops at the target stage, and pushes to every repository', async () => {
    const context = makeSource({
      Dockerfile: [
        'FROM localhost/dk-busybox:latest AS base',
        'ARG GREETING',
        'RUN echo "$GREETING" > /greeting',
        'FROM base AS prod',
        'RUN echo prod > /stage',
        'FROM base AS debug',
        'RUN echo debug > /stage',
        '',
      ].join('\n'),
    });
    const [first, second] = [`${registry.host}/acme/staged`, `${registry.host}/acme/staged-mirror`];
    const run = await runBundle(
      'image',
      inputs({ context, images: `${first}\n${second}`, tags: 'type=raw,value=t1', 'build-args': 'GREETING=hello, world', target: 'prod' }),
      { env: storageEnv },
    );
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    expect(run.outputs.tags!.split('\n')).toEqual([`${first}:t1`, `${second}:t1`]);
    expect(skopeoInspect(`${second}:t1`).Digest).toBe(run.outputs.digest);
    const files = layers(`${first}:t1`);
    const read = (name: string) =>
      files
        .map((b) => tarFile(b, name))
        .filter((c) => c !== undefined)
        .at(-1)
        ?.trim();
    expect(read('greeting')).toBe('hello, world');
    expect(read('stage')).toBe('prod');
  });

  it('tags a release with semver rules and latest, and a pull request by its head sha (pr-head-sha) or merge commit', async () => {
    const context = makeSource({ Dockerfile: 'FROM scratch\nCOPY v.txt /v.txt\n', 'v.txt': '1.4.2\n' });
    const repo = `${registry.host}/acme/versioned`;
    const tags = 'type=semver,pattern={{version}}\ntype=semver,pattern={{major}}.{{minor}}\ntype=semver,pattern={{major}}\ntype=sha';
    // A workspace whose git tags say v1.4.2 is the newest release (the kit's own tags must not count).
    const workspace = temp('dk-ws-');
    const git = (...args: string[]) => execFileSync('git', ['-C', workspace, '-c', 'user.name=t', '-c', 'user.email=t@e', ...args]);
    git('init', '-q');
    git('commit', '-q', '--allow-empty', '-m', 'x');
    for (const tag of ['v1.4.1', 'v1.4.2', 'v2.0.0-rc.1']) git('tag', tag);
    const release = await runBundle('image', inputs({ context, images: repo, tags }), {
      env: { ...storageEnv, GITHUB_REF: 'refs/tags/v1.4.2' },
      cwd: workspace,
    });
    expect(release.exitCode, release.stdout + release.stderr).toBe(0);
    expect(skopeoInspect(`${repo}:latest`).RepoTags.sort()).toEqual(['1', '1.4', '1.4.2', 'latest', 'sha-a1b2c3d']);
    expect(skopeoInspect(`${repo}:1.4`).Labels['org.opencontainers.image.version']).toBe('1.4.2');

    const event = join(temp('dk-event-'), 'event.json');
    writeFileSync(event, JSON.stringify({ pull_request: { number: 7, head: { sha: 'feedbeef00112233445566778899aabbccddeeff' } } }));
    const prEnv = { ...storageEnv, GITHUB_EVENT_NAME: 'pull_request', GITHUB_REF: 'refs/pull/7/merge', GITHUB_EVENT_PATH: event };
    const prTags = { context, images: repo, tags: 'type=ref,event=pr\ntype=sha', push: 'false' };
    const pr = await runBundle('image', inputs({ ...prTags, 'pr-head-sha': 'true' }), { env: prEnv });
    expect(pr.exitCode, pr.stdout + pr.stderr).toBe(0);
    expect(pr.outputs.tags!.split('\n')).toEqual([`${repo}:pr-7`, `${repo}:sha-feedbee`]);
    expect(pr.outputs.digest).toBeUndefined();
    // Without the opt-in, as metadata-action: GITHUB_SHA, the merge commit.
    const merge = await runBundle('image', inputs(prTags), { env: prEnv });
    expect(merge.exitCode, merge.stdout + merge.stderr).toBe(0);
    expect(merge.outputs.tags!.split('\n')).toEqual([`${repo}:pr-7`, `${repo}:sha-a1b2c3d`]);
  });

  it('builds and pushes with podman when asked to', async () => {
    const context = makeSource({ Dockerfile: 'FROM scratch\nCOPY hello.txt /hello.txt\n', 'hello.txt': 'from podman\n' });
    const repo = `${registry.host}/acme/podman-built`;
    const run = await runBundle('image', inputs({ context, images: repo, tags: 'type=sha', builder: 'podman' }), {
      env: storageEnv,
      post: true,
    });
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    expect(JSON.parse(run.outputs.metadata!)).toMatchObject({ builder: 'podman' });
    expect(skopeoInspect(`${repo}:sha-a1b2c3d`).Digest).toBe(run.outputs.digest);
    expect(readdirSync(run.env.RUNNER_TEMP!).filter((f) => f.startsWith('dk-image-'))).toEqual([]);
  });

  it('fails on bad inputs before building anything, naming the input', async () => {
    const context = makeSource({ Dockerfile: 'FROM scratch\n' });
    const noImages = await runBundle('image', { context }, { env: storageEnv });
    expect(noImages.exitCode).not.toBe(0);
    expect(noImages.stdout).toMatch(/input "images"/);
    const badRule = await runBundle('image', { context, images: 'acme/x', tags: 'type=semver' }, { env: storageEnv });
    expect(badRule.exitCode).toBe(1);
    expect(badRule.stdout).toMatch(/input "tags".*pattern/);
    const cache = await runBundle(
      'image',
      { context, images: 'acme/x', builder: 'buildah', 'cache-from': 'type=gha' },
      { env: storageEnv },
    );
    expect(cache.exitCode).toBe(1);
    expect(cache.stdout).toContain('only the docker builder exports caches, not buildah');
    const wrongPassword = await runBundle(
      'image',
      inputs({ context, images: `${registry.host}/acme/x`, password: 'wrong-password-1', tags: 'x' }),
      { env: storageEnv },
    );
    expect(wrongPassword.exitCode).not.toBe(0);
    expect(wrongPassword.stdout).toMatch(/login/);
    // No post step here: the main step itself removes its work dir and the registry credentials in it.
    expect(readdirSync(wrongPassword.env.RUNNER_TEMP!).filter((f) => f.startsWith('dk-image-'))).toEqual([]);
  });
});

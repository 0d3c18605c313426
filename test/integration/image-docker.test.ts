import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { type DockerEngine, startDockerd } from '../../harness/services/dockerd.js';
import { type Registry, startRegistry } from '../../harness/services/registry.js';
import { fileInLayers, pushedBlobs, pushedConfig, skopeoInspect } from '../../harness/services/registry-read.js';
import { type BundleRun, printed, runBundle } from '../../harness/services/runner.js';
import { makeSource } from '../../harness/services/versioned-app.js';

/**
 * `builder: docker` against a real dockerd (Debian's docker.io 20.10, harness/services/dockerd.ts)
 * and a real registry with basic auth. There is no buildx plugin here, so the kit runs `docker build`
 * (the classic builder, or BuildKit with DOCKER_BUILDKIT=1) and `docker push`; what only buildx does
 * (several platforms, cache-to, --metadata-file) stays argv-tested in test/unit/image-builders.test.ts.
 * The bundle reaches the engine the way a job's `env:` would: DOCKER_HOST in the step's environment.
 */

let engine: DockerEngine;
let registry: Registry;
let root: string;
/** HOME for every run: a user docker config the kit must read but never write. */
let home: string;
let userConfig: string;
/** PATH with Debian's docker CLI (20.10) first: it has BuildKit built in, a newer CLI needs buildx for it. */
let debianCliPath: string;

const USER = 'ci-bot';
const PASSWORD = 'reg-pass-d0c4e7b1';
const CREDS = `${USER}:${PASSWORD}`;
const SECRET = 'docker-build-secret-9a7c31f0e4';
const GREETING = 'hello, docker';

function inputs(extra: Record<string, string>): Record<string, string> {
  return { builder: 'docker', push: 'true', username: USER, password: PASSWORD, ...extra };
}

function env(extra: Record<string, string> = {}): Record<string, string> {
  return { DOCKER_HOST: engine.host, HOME: home, ...extra };
}

/** FROM scratch with busybox-static, a build arg and (for BuildKit) a secret mounted for one RUN step. */
function context(name: string, dockerfile: string[]): string {
  const dir = makeSource({ Dockerfile: [...dockerfile, ''].join('\n') }, join(root, name));
  writeFileSync(join(dir, 'busybox'), readFileSync('/bin/busybox'), { mode: 0o755 });
  return dir;
}

function workDirs(run: BundleRun): string[] {
  return readdirSync(run.env.RUNNER_TEMP!).filter((f) => f.startsWith('dk-image-'));
}

function expectHomeUntouched(): void {
  expect(readdirSync(join(home, '.docker')).sort()).toEqual(['config.json']);
  expect(readFileSync(join(home, '.docker', 'config.json'), 'utf8')).toBe(userConfig);
}

beforeAll(async () => {
  [engine, registry] = await Promise.all([startDockerd(), startRegistry({ auth: { user: USER, password: PASSWORD } })]);
  root = mkdtempSync(join(tmpdir(), 'dk-image-docker-'));
  home = join(root, 'home');
  mkdirSync(join(home, '.docker'), { recursive: true });
  userConfig = `${JSON.stringify({ auths: { 'ghcr.io': { auth: 'dXNlcjpwcml2YXRl' } }, detachKeys: 'ctrl-e,e' })}\n`;
  writeFileSync(join(home, '.docker', 'config.json'), userConfig);
  mkdirSync(join(root, 'bin'));
  symlinkSync('/usr/bin/docker', join(root, 'bin', 'docker'));
  debianCliPath = `${join(root, 'bin')}:${process.env.PATH ?? ''}`;
}, 180_000);

afterAll(async () => {
  await Promise.all([engine?.stop(), registry?.stop()]);
  if (root) rmSync(root, { recursive: true, force: true });
}, 120_000);

describe('image with builder: docker and a real dockerd', () => {
  it('builds with the classic builder, pushes every tag, and reports the digest the registry serves', async () => {
    const dir = context('classic', [
      'FROM scratch',
      'COPY busybox /bin/busybox',
      'ARG GREETING',
      'RUN ["/bin/busybox", "sh", "-c", "echo \\"$GREETING\\" > /greeting"]',
    ]);
    const repo = `${registry.host}/acme/shop`;
    const run = await runBundle(
      'image',
      inputs({
        context: dir,
        images: `${registry.host}/Acme/Shop`,
        tags: 'type=ref,event=branch\ntype=sha\ntype=raw,value=v1',
        labels: 'com.example.team=web',
        'build-args': `GREETING=${GREETING}`,
      }),
      { env: env({ DOCKER_BUILDKIT: '0' }), post: true },
    );
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toContain('no buildx plugin');
    expect(run.outputs.tags!.split('\n')).toEqual([`${repo}:main`, `${repo}:v1`, `${repo}:sha-a1b2c3d`]);
    const digest = run.outputs.digest!;
    expect(digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(run.outputs.image).toBe(`${repo}@${digest}`);
    for (const tag of ['main', 'v1', 'sha-a1b2c3d']) expect(skopeoInspect(`${repo}:${tag}`, CREDS).Digest).toBe(digest);
    const inspected = skopeoInspect(`${repo}:main`, CREDS);
    expect(inspected.RepoTags.sort()).toEqual(['main', 'sha-a1b2c3d', 'v1']);
    expect(inspected.Labels).toMatchObject({
      'org.opencontainers.image.source': 'https://github.com/acme/shop',
      'org.opencontainers.image.revision': 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678',
      'org.opencontainers.image.version': 'main',
      'com.example.team': 'web',
    });
    expect(JSON.parse(run.outputs.metadata!)).toMatchObject({ builder: 'docker', digest, version: 'main' });
    // The build argument reached the RUN step.
    expect(fileInLayers(pushedBlobs(`${repo}:v1`, CREDS), 'greeting')?.trim()).toBe(GREETING);
    // The engine has the image under every tag; the login never touched ~/.docker and is gone with its directory.
    expect(await engine.docker(['image', 'inspect', '--format', '{{json .RepoTags}}', `${repo}:v1`])).toContain(`${repo}:sha-a1b2c3d`);
    expect(workDirs(run)).toEqual([]);
    expectHomeUntouched();
    expect(printed(run)).not.toContain(PASSWORD);
  }, 240_000);

  it('builds with BuildKit (DOCKER_BUILDKIT=1): the secret reaches RUN and neither the history, the config nor a layer', async () => {
    const dir = context('buildkit', [
      'FROM scratch',
      'COPY busybox /bin/busybox',
      'ARG GREETING',
      'RUN --mount=type=secret,id=token ["/bin/busybox", "sh", "-c", "/bin/busybox wc -c < /run/secrets/token > /token-length && echo \\"$GREETING\\" > /greeting"]',
    ]);
    const [first, second] = [`${registry.host}/acme/kit`, `${registry.host}/acme/kit-mirror`];
    const run = await runBundle(
      'image',
      inputs({
        context: dir,
        images: `${first}\n${second}`,
        tags: 'type=raw,value=b1\ntype=raw,value=stable',
        secrets: `token=${SECRET}`,
        'build-args': `GREETING=${GREETING}`,
        // The engine has no bridge network (--bridge=none): BuildKit's RUN steps need host or none.
        network: 'host',
      }),
      { env: env({ DOCKER_BUILDKIT: '1', PATH: debianCliPath }), post: true },
    );
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    expect(run.outputs.tags!.split('\n')).toEqual([`${first}:b1`, `${first}:stable`, `${second}:b1`, `${second}:stable`]);
    const digest = run.outputs.digest!;
    for (const ref of run.outputs.tags!.split('\n')) expect(skopeoInspect(ref, CREDS).Digest).toBe(digest);
    const blobs = pushedBlobs(`${first}:b1`, CREDS);
    expect(fileInLayers(blobs, 'token-length')?.trim()).toBe(String(SECRET.length));
    expect(fileInLayers(blobs, 'greeting')?.trim()).toBe(GREETING);
    for (const blob of blobs) expect(blob.includes(SECRET)).toBe(false);
    const config = pushedConfig(`${first}:b1`, CREDS);
    expect(config.raw).not.toContain(SECRET);
    const history = await engine.docker(['history', '--no-trunc', '--format', '{{.CreatedBy}}', `${first}:b1`]);
    expect(history).toContain('/run/secrets/token');
    expect(history).not.toContain(SECRET);
    // Build arguments are not secrets: docker records the ones a RUN step used in the history, as its docs warn.
    expect(history).toContain(`GREETING=${GREETING}`);
    expect(config.parsed.history?.map((h) => h.created_by ?? '').join('\n')).toContain(`GREETING=${GREETING}`);
    expect(printed(run)).not.toContain(SECRET);
    expect(workDirs(run)).toEqual([]);
    expectHomeUntouched();
  }, 240_000);

  it('keeps the login in a private DOCKER_CONFIG that the post step removes when the main step was killed', async () => {
    const dir = context('killed', ['FROM scratch', 'COPY busybox /bin/busybox', 'RUN ["/bin/busybox", "sleep", "120"]']);
    const runnerTemp = mkdtempSync(join(root, 'temp-'));
    const killed = runBundle('image', inputs({ context: dir, images: `${registry.host}/acme/killed`, tags: 'k1' }), {
      env: env({ DOCKER_BUILDKIT: '0', RUNNER_TEMP: runnerTemp }),
    });
    // Wait until the login has landed and the build runs, then kill the step like a cancelled job.
    let config = '';
    for (let i = 0; i < 600 && !config; i += 1) {
      await new Promise((r) => setTimeout(r, 100));
      const work = readdirSync(runnerTemp).find((f) => f.startsWith('dk-image-'));
      const file = work && join(runnerTemp, work, 'docker-config', 'config.json');
      if (file && existsSync(file) && readFileSync(file, 'utf8').includes(registry.host)) config = join(runnerTemp, work!);
    }
    expect(config, 'the login never wrote the private config').not.toBe('');
    const auths = (JSON.parse(readFileSync(join(config, 'docker-config', 'config.json'), 'utf8')) as { auths: object }).auths;
    expect(Object.keys(auths)).toEqual([registry.host]);
    expect(JSON.parse(readFileSync(join(config, 'docker-config', 'config.json'), 'utf8'))).toMatchObject({ detachKeys: 'ctrl-e,e' });
    expectHomeUntouched();
    killStep(runnerTemp);
    const main = await killed;
    // The classic builder's RUN container outlives its client: remove it.
    for (const id of (await engine.docker(['ps', '-aq'])).split('\n').filter(Boolean)) await engine.docker(['rm', '-f', id]);
    expect(main.exitCode).not.toBe(0);
    expect(existsSync(config)).toBe(true);

    const post = await runBundle('image', inputs({ context: dir, images: `${registry.host}/acme/killed` }), {
      env: env({ RUNNER_TEMP: runnerTemp, STATE_isPost: 'true', 'STATE_image-work-dir': config }),
    });
    expect(post.exitCode, post.stdout + post.stderr).toBe(0);
    expect(post.stdout).toContain('removed the registry credentials');
    expect(existsSync(config)).toBe(false);
    expectHomeUntouched();
    rmSync(runnerTemp, { recursive: true, force: true });
  }, 240_000);

  it('fails clearly where only buildx helps, before building', async () => {
    const dir = context('multi', ['FROM scratch', 'COPY busybox /bin/busybox']);
    const run = await runBundle(
      'image',
      inputs({ context: dir, images: `${registry.host}/acme/multi`, tags: 'm1', platforms: 'linux/amd64,linux/arm64' }),
      { env: env() },
    );
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toMatch(/input "platforms".*needs docker buildx/);
    expect(run.stdout).toContain('docker/setup-buildx-action');
    expect(workDirs(run)).toEqual([]);
  }, 240_000);
});

/** SIGKILLs the step's node process and the docker CLI it started: every process whose environment has this RUNNER_TEMP. */
function killStep(runnerTemp: string): void {
  const marker = `RUNNER_TEMP=${runnerTemp}\0`;
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    let environ: string;
    try {
      environ = readFileSync(`/proc/${pid}/environ`, 'utf8');
    } catch {
      continue;
    }
    if (environ.includes(marker)) {
      try {
        process.kill(Number(pid), 'SIGKILL');
      } catch {
        // exited meanwhile
      }
    }
  }
}

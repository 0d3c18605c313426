import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

import type { PostContext, RunContext } from '../core/action.js';
import { ConfigurationError, OperationalError } from '../core/errors.js';
import { runChecked } from '../core/exec.js';
import { requireDirectory } from '../core/inputs.js';
import { maskSecret } from '../core/logger.js';
import { missingSecret } from '../core/missing-secret.js';
import {
  buildCommand,
  type BuilderName,
  type BuildSpec,
  buildxProbe,
  type Command,
  credentialPath,
  digestFile,
  idFile,
  loginCommand,
  metadataFile,
  PROBES,
  pushCommands,
  pushedDigest,
  registryOf,
  validateRegistry,
} from './builders.js';
import type { ImageInputs } from './inputs.js';
import { ociLabels, parseKeyValues, serverUrlFromRunUrl } from './labels.js';
import { tagFacts } from './tag-facts.js';
import { imageRefs, parseFlavor, parseImages, planTags } from './tags.js';

export interface ImageMetadata {
  builder?: BuilderName;
  images: string[];
  tags: string[];
  tagNames: string[];
  version: string;
  labels: Record<string, string>;
  digest?: string;
  image?: string;
}

const WORK_DIR_STATE = 'image-work-dir';
const SECRET_ID = /^[A-Za-z0-9_.-]{1,64}$/;

/** Everything that can be checked without running a builder; a bad input fails here. */
async function planImage(
  config: ImageInputs,
  ctx: RunContext,
): Promise<{
  repositories: string[];
  refs: string[];
  metadata: ImageMetadata;
  secrets: Record<string, string>;
  context: string;
  file?: string;
  buildArgs: Record<string, string>;
}> {
  if (config.images.length === 0)
    throw new ConfigurationError('input "images": expected one or more repositories such as ghcr.io/owner/app');
  if (config.registry) validateRegistry(config.registry);
  const repositories = parseImages(config.images);
  if (repositories.length === 0) throw new ConfigurationError('input "images": every repository is enable=false');
  const context = resolve(ctx.env.workspace, config.context);
  requireDirectory('context', context);
  const file = config.file ? resolve(ctx.env.workspace, config.file) : undefined;
  if (file && !existsSync(file)) throw new ConfigurationError(`input "file": ${file} does not exist`);
  if (config.password && !config.username) throw new ConfigurationError('input "username": required when "password" is given');
  if (config.username && !config.password) throw missingSecret('password', `logging in to the registry as ${config.username} needs it`);
  if (config.builder !== 'auto' && config.builder !== 'docker' && (config['cache-from'].length > 0 || config['cache-to'].length > 0)) {
    throw new ConfigurationError(`inputs "cache-from"/"cache-to": only the docker builder exports caches, not ${config.builder}`);
  }
  const secrets = parseKeyValues('secrets', config.secrets);
  for (const [id, value] of Object.entries(secrets)) {
    maskSecret(ctx.logger, value);
    if (!SECRET_ID.test(id))
      throw new ConfigurationError(`input "secrets": a secret id must be letters, digits, "_", "." or "-", got ${JSON.stringify(id)}`);
  }
  const buildArgs = parseKeyValues('build-args', config['build-args']);
  const plan = planTags(
    config.tags,
    parseFlavor(config.flavor),
    await tagFacts(ctx, { prHeadSha: config['pr-head-sha'], shortShaLength: config['short-sha-length'] }),
  );
  if (plan.tags.length === 0)
    throw new ConfigurationError(
      `input "tags": no rule produced a tag for ${ctx.env.eventName} on ${ctx.env.ref}; add a type=sha or type=raw rule`,
    );
  const labels = ociLabels(
    {
      repository: ctx.env.repository,
      serverUrl: serverUrlFromRunUrl(ctx.env.runUrl, ctx.env.repository),
      sha: ctx.env.sha,
      version: plan.version,
      created: new Date(ctx.clock.now()),
    },
    config.labels,
  );
  const refs = imageRefs(repositories, plan.tags);
  return {
    repositories,
    refs,
    secrets,
    context,
    file,
    buildArgs,
    metadata: { images: repositories, tags: refs, tagNames: plan.tags, version: plan.version, labels },
  };
}

async function detectBuilder(config: ImageInputs, ctx: RunContext): Promise<BuilderName> {
  if (config.builder !== 'auto') return config.builder;
  for (const probe of PROBES) {
    const result = await ctx.exec.run(probe.argv).catch(() => undefined);
    if (result?.exitCode === 0) return probe.builder;
  }
  throw new OperationalError(
    'no image builder found: no docker daemon answered, and neither buildah nor podman is installed',
    'install buildah (apt-get install buildah) or run on a runner with docker',
  );
}

function run(ctx: RunContext, what: string, command: Command) {
  return runChecked(ctx.exec, what, command.argv, { env: command.env, stdin: command.stdin });
}

function readDigest(builder: BuilderName, spec: BuildSpec, pushOutput: string | undefined): string | undefined {
  if (!spec.push) return undefined;
  if (builder === 'docker' && !spec.buildx) return pushedDigest(pushOutput ?? '');
  if (builder === 'docker') {
    const file = metadataFile(spec.workDir);
    return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>)['containerimage.digest'] : undefined;
  }
  const file = digestFile(spec.workDir, 0);
  return existsSync(file) ? readFileSync(file, 'utf8').trim() : undefined;
}

/**
 * docker reads its whole configuration from DOCKER_CONFIG: the private one keeps the user's buildx
 * builders (setup-buildx-action's), CLI plugins and contexts by linking them, and their settings
 * minus any credentials, so the login lands only in the private directory.
 */
export function prepareDockerConfig(privateDir: string, userDir: string): void {
  mkdirSync(privateDir, { recursive: true, mode: 0o700 });
  for (const sub of ['buildx', 'cli-plugins', 'contexts']) {
    if (existsSync(join(userDir, sub))) symlinkSync(join(userDir, sub), join(privateDir, sub));
  }
  const userConfig = join(userDir, 'config.json');
  let settings: Record<string, unknown> = {};
  if (existsSync(userConfig)) {
    try {
      settings = JSON.parse(readFileSync(userConfig, 'utf8')) as Record<string, unknown>;
    } catch {
      settings = {};
    }
  }
  const { auths: _auths, credsStore: _store, credHelpers: _helpers, ...rest } = settings;
  writeFileSync(join(privateDir, 'config.json'), JSON.stringify(rest), { mode: 0o600 });
}

/**
 * docker without the buildx plugin (Debian's docker.io, a bare engine) still builds: `docker build`
 * (the classic builder, or BuildKit with DOCKER_BUILDKIT=1) then `docker push` per tag. What only
 * buildx does fails or is dropped here, named.
 */
async function hasBuildx(config: ImageInputs, ctx: RunContext, workDir: string): Promise<boolean> {
  const probe = buildxProbe(workDir);
  const result = await ctx.exec.run(probe.argv, { env: probe.env }).catch(() => undefined);
  if (result?.exitCode === 0) return true;
  if (config.platforms.length > 1)
    throw new OperationalError(
      `input "platforms": building for ${config.platforms.join(', ')} needs docker buildx, and this docker has no buildx plugin`,
      'add docker/setup-buildx-action before this step, or use builder: buildah',
    );
  if (config['cache-from'].length > 0 || config['cache-to'].length > 0)
    ctx.logger.warning('cache-from/cache-to are ignored: docker has no buildx plugin');
  ctx.logger.info(
    'docker has no buildx plugin: building with docker build (BuildKit with DOCKER_BUILDKIT=1, needed for secrets), pushing with docker push',
  );
  return false;
}

/** Removes the private directory holding credentials and secret files; safe to call twice. */
function removeWorkDir(dir: string): void {
  if (dir) rmSync(dir, { recursive: true, force: true });
}

/** What a build has done so far (the partial-result convention, src/core/action.ts): the metadata once planned. */
export interface ImageReport {
  metadata?: ImageMetadata;
}

/** plan → detect builder → log in → build → push; the report gets the metadata once planned, completed as the build goes. Credentials and secrets removed in every case. */
export async function buildImage(config: ImageInputs, ctx: RunContext, report: ImageReport): Promise<void> {
  const plan = await planImage(config, ctx);
  const metadata = plan.metadata;
  report.metadata = metadata;
  const builder = await detectBuilder(config, ctx);
  metadata.builder = builder;
  ctx.logger.info(`builder: ${builder}`);
  if (builder !== 'docker' && (config['cache-from'].length > 0 || config['cache-to'].length > 0))
    ctx.logger.warning(`cache-from/cache-to are ignored by ${builder}`);

  const workDir = mkdtempSync(join(ctx.env.tempDir, 'dk-image-'));
  chmodSync(workDir, 0o700);
  ctx.state.save(WORK_DIR_STATE, workDir);
  try {
    const secretDir = join(workDir, 'secrets');
    mkdirSync(secretDir, { mode: 0o700 });
    const secrets = Object.entries(plan.secrets).map(([id, value], index) => {
      const path = join(secretDir, String(index));
      writeFileSync(path, value, { mode: 0o600 });
      return { id, path };
    });
    let loggedIn = false;
    if (builder === 'docker') prepareDockerConfig(credentialPath('docker', workDir), ctx.env.dockerConfigDir ?? join(homedir(), '.docker'));
    const buildx = builder === 'docker' && (await hasBuildx(config, ctx, workDir));
    if (config.username && config.password) {
      const registry = config.registry ?? registryOf(plan.repositories[0]!);
      await run(
        ctx,
        `${builder} login to ${registry}`,
        loginCommand(builder, { registry, username: config.username, password: config.password }, workDir, config['tls-verify']),
      );
      loggedIn = true;
      ctx.logger.info(`logged in to ${registry} (credentials in a private temp dir, removed after the build)`);
    }
    const spec: BuildSpec = {
      context: plan.context,
      file: plan.file,
      refs: plan.refs,
      labels: metadata.labels,
      buildArgs: plan.buildArgs,
      secrets,
      target: config.target,
      platforms: config.platforms,
      push: config.push,
      tlsVerify: config['tls-verify'],
      cacheFrom: buildx ? config['cache-from'] : [],
      cacheTo: buildx ? config['cache-to'] : [],
      workDir,
      loggedIn,
      buildx,
      network: config.network,
    };
    await ctx.logger.group(`build ${plan.refs[0]}`, async () => {
      const result = await run(ctx, `${builder} build`, buildCommand(builder, spec));
      ctx.logger.info(`${result.stdout}${result.stderr}`.trim());
      if (existsSync(idFile(workDir))) ctx.logger.info(`image id ${readFileSync(idFile(workDir), 'utf8').trim()}`);
    });
    const pushed: string[] = [];
    for (const [index, command] of pushCommands(builder, spec).entries()) {
      const result = await ctx.logger.group(`push ${plan.refs[index]}`, () => run(ctx, `push ${plan.refs[index]}`, command));
      pushed.push(result.stdout);
    }
    const digest = readDigest(builder, spec, pushed[0]);
    if (spec.push && !digest) throw new OperationalError(`${builder} pushed but reported no digest`);
    if (digest) {
      metadata.digest = digest;
      metadata.image = `${plan.repositories[0]}@${digest}`;
    }
  } finally {
    removeWorkDir(workDir);
  }
}

/** Post step: the main step removes the directory itself; this covers a main step that was killed. */
export async function imagePost(ctx: PostContext): Promise<void> {
  const dir = ctx.state.get(WORK_DIR_STATE);
  if (dir && existsSync(dir)) {
    removeWorkDir(dir);
    ctx.logger.info('removed the registry credentials and build secrets left by the main step');
  }
}

import { describe, expect, it } from 'vitest';

import { recordingLogger } from '../../harness/services/recording-logger.js';
import { digitalOceanConfig, failedStep } from '../../src/backend/digitalocean/config.js';
import { FLY_API, flyConfig, pinnedImage } from '../../src/backend/fly/config.js';
import type { RunContext } from '../../src/core/action.js';
import { ConfigurationError, OperationalError } from '../../src/core/errors.js';
import { HttpError } from '../../src/core/http.js';
import { bodyMessage, describeVendorError } from '../../src/core/vendor.js';
import { sentryConfig } from '../../src/sentry/config.js';
import { sentryCliEnv, sourcemapsUploadArgv } from '../../src/sentry/sourcemaps.js';

const DIGEST = `sha256:${'c'.repeat(64)}`;

function context(): { ctx: RunContext; masked: string[] } {
  const logger = recordingLogger();
  const env = { sha: 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678', repository: 'acme/shop' };
  return { ctx: { logger, env } as unknown as RunContext, masked: logger.masked };
}

describe('fly config', () => {
  it('builds the config with the default API, masks the token, and checks the image is pinned by digest', () => {
    const { ctx, masked } = context();
    expect(flyConfig({ app: 'shop-api', token: 'fm2_x', timeout: 60_000, 'max-parallel': 2 }, ctx)).toEqual({
      apiUrl: FLY_API,
      token: 'fm2_x',
      app: 'shop-api',
      processGroup: undefined,
      maxParallel: 2,
      timeoutMs: 60_000,
    });
    expect(masked).toContain('fm2_x');
    expect(pinnedImage('image', `registry.fly.io/shop@${DIGEST}`)).toBe(`registry.fly.io/shop@${DIGEST}`);
  });

  it.each([
    [() => flyConfig({ token: 't', timeout: 1 }, context().ctx), /input "app"/],
    [() => flyConfig({ app: 'a1', timeout: 1 }, context().ctx), /input "token"/],
    [() => pinnedImage('image', undefined), /input "image": expected the image/],
    [() => pinnedImage('image', 'registry.fly.io/shop:latest'), /input "image": expected an image pinned by digest/],
    [() => pinnedImage('to', `shop@sha256:${'c'.repeat(63)}`), /input "to"/],
  ])('rejects bad inputs (%#)', (build, message) => {
    expect(build).toThrow(message);
  });
});

describe('digitalocean config', () => {
  it('needs the app id and the token', () => {
    expect(() => digitalOceanConfig({ token: 't', timeout: 1 }, context().ctx)).toThrow(/input "app-id"/);
    expect(() => digitalOceanConfig({ 'app-id': 'x', timeout: 1 }, context().ctx)).toThrow(/input "token"/);
  });

  it('finds the deepest failed step of a deployment', () => {
    const deployment = {
      id: 'd',
      phase: 'ERROR',
      progress: {
        steps: [
          { name: 'build', status: 'SUCCESS' },
          { name: 'deploy', status: 'ERROR', steps: [{ name: 'deploy-web', status: 'ERROR', reason: { message: 'health check failed' } }] },
        ],
      },
    };
    expect(failedStep(deployment)?.name).toBe('deploy-web');
    expect(failedStep({ id: 'd', phase: 'ERROR' })).toBeUndefined();
  });
});

describe('vendor errors', () => {
  const error = (status: number, body: string, url = 'https://api.example.test/v2/apps/x') =>
    new HttpError({ method: 'GET', url }, status, body);
  const shape = {
    vendor: 'Vendor',
    apiUrl: 'https://api.example.test/v2',
    tokenInput: 'token',
    notFound: { pathEnd: '/apps/x', input: 'app-id', what: 'app x' },
  };

  it.each([
    ['{"id":"not_found","message":"gone"}', 'gone'],
    ['{"error":"machine not found"}', 'machine not found'],
    ['{"detail":"Invalid token"}', 'Invalid token'],
    ['{"refs":["bad"]}', '{"refs":["bad"]}'],
    ['plain text', 'plain text'],
  ])('reads the message of %s', (body, message) => {
    expect(bodyMessage(body)).toBe(message);
  });

  it('turns 401/403 and a 404 on the resource into configuration errors, the rest into operational ones', () => {
    expect(describeVendorError(error(401, '{"message":"no"}'), shape)).toBeInstanceOf(ConfigurationError);
    expect(describeVendorError(error(404, '{}'), shape).message).toMatch(/input "app-id": Vendor has no app x/);
    const other = describeVendorError(error(404, '{"message":"nope"}', 'https://api.example.test/v2/apps/x/deployments/1?a=b'), shape);
    expect(other).toBeInstanceOf(OperationalError);
    expect(other.message).toBe('Vendor GET /apps/x/deployments/1 returned 404: nope');
  });
});

describe('sentry config and sentry-cli argv', () => {
  const inputs = {
    'sentry-org': 'acme',
    'sentry-project': 'shop-web',
    'sentry-token': 'sntrys_x',
    'sentry-environment': 'production',
    'project-prefix': false,
  };

  it('defaults the version to the short sha, the repository and commit to the run, the server to sentry.io', () => {
    const config = sentryConfig(inputs, context().ctx);
    expect(config).toMatchObject({
      version: 'a1b2c3d',
      repository: 'acme/shop',
      apiUrl: 'https://sentry.io/api/0',
      baseUrl: 'https://sentry.io',
    });
    expect(
      sentryConfig({ ...inputs, 'project-prefix': true, version: '2.0.1', 'sentry-url': 'https://sentry.acme.test/' }, context().ctx),
    ).toMatchObject({
      version: 'shop-web@2.0.1',
      apiUrl: 'https://sentry.acme.test/api/0',
    });
  });

  it('builds the upload argv with no token in it, the token in the environment', () => {
    const config = sentryConfig(inputs, context().ctx);
    const argv = sourcemapsUploadArgv('/bin/sentry-cli', config, '/w/dist', '~/assets');
    expect(argv).toEqual([
      '/bin/sentry-cli',
      'sourcemaps',
      'upload',
      '--org',
      'acme',
      '--project',
      'shop-web',
      '--release',
      'a1b2c3d',
      '--url-prefix',
      '~/assets',
      '/w/dist',
    ]);
    expect(argv.join(' ')).not.toContain('sntrys_x');
    expect(sentryCliEnv(config)).toMatchObject({ SENTRY_AUTH_TOKEN: 'sntrys_x', SENTRY_URL: 'https://sentry.io' });
  });
});

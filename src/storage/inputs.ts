import { isAbsolute, resolve } from 'node:path';

import type { RunContext } from '../core/action.js';
import { ConfigurationError } from '../core/errors.js';
import { bool, choice, httpUrl, integer, optionalText, pattern, text } from '../core/inputs.js';
import { maskSecret } from '../core/logger.js';
import { missingSecret } from '../core/missing-secret.js';
import { parseRepository } from '../github/client.js';
import { connectionConfig, SSH_SECRET_INPUTS, type SshConnectionInputs, sshConnectionInputs } from '../ssh/inputs.js';
import { localTarget } from './local.js';
import { sshStorage } from './ssh.js';
import { SAFE_KEY, type StorageTarget } from './target.js';

/** The target inputs backup and restore share. */
export const storageInputs = {
  target: choice(['local', 's3', 'ssh', 'artifact'] as const, 'local'),
  path: optionalText(),
  prefix: pattern(SAFE_KEY, 'a key prefix of "/"-separated names of letters, digits, ".", "_", "-"'),
  bucket: optionalText(),
  endpoint: httpUrl(),
  region: text('us-east-1'),
  'force-path-style': bool(false),
  'access-key-id': optionalText(),
  'secret-access-key': optionalText(),
  hosts: sshConnectionInputs.hosts,
  user: sshConnectionInputs.user,
  'ssh-key': sshConnectionInputs['ssh-key'],
  'known-hosts': sshConnectionInputs['known-hosts'],
  'host-fingerprint': sshConnectionInputs['host-fingerprint'],
  'insecure-skip-host-key-check': sshConnectionInputs['insecure-skip-host-key-check'],
  'jump-host': sshConnectionInputs['jump-host'],
  'github-token': optionalText(),
  'retention-days': integer(0, 0, 400),
};

export const STORAGE_SECRET_INPUTS = ['access-key-id', 'secret-access-key', 'github-token', ...SSH_SECRET_INPUTS] as const;

export interface StorageInputs extends Omit<SshConnectionInputs, 'transport'> {
  target: 'local' | 's3' | 'ssh' | 'artifact';
  prefix?: string;
  bucket?: string;
  endpoint?: string;
  region: string;
  'force-path-style': boolean;
  'access-key-id'?: string;
  'secret-access-key'?: string;
  'github-token'?: string;
  'retention-days': number;
}

/** Checks the target inputs (before anything is written) and builds the target; `encrypted` says whether what it will store is age-encrypted. */
export async function openStorage(inputs: StorageInputs, ctx: RunContext, options: { encrypted: boolean }): Promise<StorageTarget> {
  const providers: Record<StorageInputs['target'], () => StorageTarget | Promise<StorageTarget>> = {
    local: () => {
      if (!inputs.path) throw new ConfigurationError('input "path": expected the directory that holds the backups (target: local)');
      return localTarget(isAbsolute(inputs.path) ? inputs.path : resolve(ctx.env.workspace, inputs.path));
    },
    // The AWS SDK and the artifact client are loaded only by the runs that use them (start-up and memory).
    s3: async () => {
      if (!inputs.bucket) throw new ConfigurationError('input "bucket": expected the bucket name (target: s3)');
      if (Boolean(inputs['access-key-id']) !== Boolean(inputs['secret-access-key'])) {
        throw missingSecret(
          inputs['access-key-id'] ? 'secret-access-key' : 'access-key-id',
          "the other S3 key is given (give both, or neither to use the runner's AWS credentials)",
        );
      }
      for (const secret of [inputs['access-key-id'], inputs['secret-access-key']]) if (secret) maskSecret(ctx.logger, secret);
      const { s3Target } = await import('./s3.js');
      return s3Target({
        bucket: inputs.bucket,
        region: inputs.region,
        endpoint: inputs.endpoint,
        forcePathStyle: inputs['force-path-style'],
        accessKeyId: inputs['access-key-id'],
        secretAccessKey: inputs['secret-access-key'],
      });
    },
    ssh: () => {
      const config = connectionConfig({ ...inputs, transport: 'ssh' });
      if (config.hosts.length !== 1) throw new ConfigurationError('input "hosts": expected exactly one host for target: ssh');
      return sshStorage(config, ctx);
    },
    artifact: async () => {
      const { artifactStorage, checkArtifactUse } = await import('./artifact.js');
      checkArtifactUse(options, ctx);
      if (!inputs['github-token'])
        throw missingSecret(
          'github-token',
          'target: artifact needs a token with "actions: write" to list and prune the artifacts (the default is the job\'s GITHUB_TOKEN)',
        );
      return artifactStorage(
        {
          repo: parseRepository(ctx.env.repository),
          token: inputs['github-token'],
          retentionDays: inputs['retention-days'] || undefined,
          stagingDir: ctx.env.tempDir,
        },
        ctx,
      );
    },
  };
  return providers[inputs.target]();
}

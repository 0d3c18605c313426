import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';

import { DefaultArtifactClient } from '@actions/artifact';

import type { RunContext } from '../core/action.js';
import { ConfigurationError, errorMessage, OperationalError } from '../core/errors.js';
import { HttpError } from '../core/http.js';
import { githubApi, type GitHubRepo, withPermission } from '../github/client.js';
import { assertSafeKey, type StorageTarget } from './target.js';

export interface ArtifactStorageConfig {
  repo: GitHubRepo;
  token: string;
  /** Days GitHub keeps each artifact; undefined = the repository's setting (90 by default). */
  retentionDays?: number;
  /** Where an upload is staged: the artifact client uploads files, not streams. */
  stagingDir: string;
}

/** One entry of GET /repos/{owner}/{repo}/actions/artifacts. */
interface RestArtifact {
  id: number;
  name: string;
  expired: boolean;
  created_at: string | null;
}

/** `a/b/c.zst` ⇄ `a+b+c.zst`: artifact names cannot hold "/", and keys never hold "+". */
export function artifactName(key: string): string {
  return assertSafeKey(key).replaceAll('/', '+');
}

function keyOf(name: string): string {
  return name.replaceAll('+', '/');
}

/**
 * Workflow artifacts of the repository, across runs. Uploads go through the job's artifact service
 * (@actions/artifact, so only inside an Actions job); listing, download and delete use the REST API,
 * which sees every run's artifacts. An artifact appears only once finalized, so put is atomic and
 * there is no move. Artifacts expire after their retention days whatever the keep-* policy says.
 */
export function artifactStorage(config: ArtifactStorageConfig, ctx: RunContext): StorageTarget {
  const api = githubApi(ctx, config.token);
  const base = `/repos/${config.repo.owner}/${config.repo.repo}/actions/artifacts`;
  const client = new DefaultArtifactClient();

  /** Live (not expired) artifacts, optionally those with one exact name, newest first. */
  async function live(name?: string): Promise<RestArtifact[]> {
    const found: RestArtifact[] = [];
    // Only the page requests can fail here, so this covers each page as before.
    await withPermission('actions: read', 'list the workflow artifacts', async () => {
      for await (const page of api.pages<{ artifacts: RestArtifact[] }>(base, { query: { per_page: '100', name } }))
        found.push(...page.artifacts.filter((a) => !a.expired));
    });
    return found.sort((a, b) => b.id - a.id);
  }

  return {
    label: `workflow artifacts of ${config.repo.owner}/${config.repo.repo}`,
    async put(key, body) {
      const name = artifactName(key);
      const dir = mkdtempSync(join(config.stagingDir, 'dk-artifact-'));
      try {
        const file = join(dir, name);
        await pipeline(body, createWriteStream(file, { mode: 0o600 }));
        await client
          .uploadArtifact(name, [file], dir, { skipArchive: true, retentionDays: config.retentionDays })
          .catch((error: unknown) => {
            throw new OperationalError(`upload of workflow artifact ${name} failed: ${errorMessage(error)}`);
          });
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
    async get(key) {
      const name = artifactName(key);
      const [artifact] = await live(name);
      if (!artifact)
        throw new OperationalError(
          `no workflow artifact ${name} in ${config.repo.owner}/${config.repo.repo} (never uploaded, deleted or expired)`,
        );
      const redirect = await withPermission('actions: read', `download the workflow artifact ${name}`, () =>
        api.send('GET', `${base}/${artifact.id}/zip`),
      );
      const location = redirect.headers.get('location');
      if (redirect.status !== 302 || !location)
        throw new OperationalError(`GitHub answered ${redirect.status} without a download location for workflow artifact ${name}`);
      const response = await fetch(location, { signal: AbortSignal.timeout(60_000) }).catch((error: unknown) => {
        throw new OperationalError(`download of workflow artifact ${name} failed: ${errorMessage(error)}`);
      });
      if (!response.ok || !response.body)
        throw new OperationalError(`download of workflow artifact ${name} failed: blob storage answered ${response.status}`);
      return Readable.fromWeb(response.body as WebReadableStream<Uint8Array>);
    },
    async list(prefix) {
      const keys = new Set(
        (await live()).map((a) => keyOf(a.name)).filter((key) => key.startsWith(prefix) && !key.slice(prefix.length).includes('/')),
      );
      return [...keys].sort();
    },
    async delete(key) {
      const name = artifactName(key);
      for (const artifact of await live(name)) {
        await withPermission('actions: write', `delete the workflow artifact ${name}`, () =>
          api.call('DELETE', `${base}/${artifact.id}`),
        ).catch((error: unknown) => {
          if (!(error instanceof HttpError && error.status === 404)) throw error;
        });
      }
    },
    close: async () => undefined,
  };
}

/**
 * Anyone who can read the repository can download its artifacts (anyone signed in, for a public
 * one), and nothing secret may reach an artifact: only age-encrypted backups go there.
 */
export function checkArtifactUse(options: { encrypted: boolean }, ctx: RunContext): void {
  if (!ctx.env.artifactService) {
    throw new ConfigurationError(
      'input "target": artifact works only inside a GitHub Actions job (ACTIONS_RUNTIME_TOKEN and ACTIONS_RESULTS_URL are not set); use local, s3 or ssh from the CLI',
    );
  }
  if (!options.encrypted) {
    throw new ConfigurationError(
      'target artifact stores only encrypted backups, since anyone who can read the repository can download its artifacts: set age-recipients (backup) or age-identity (restore, also encrypting its safety backup)',
    );
  }
}

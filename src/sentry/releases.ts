import { z } from 'zod';

import type { RunContext } from '../core/action.js';
import { OperationalError } from '../core/errors.js';
import { HttpError, type HttpResponse } from '../core/http.js';
import { jsonApi } from '../core/json-api.js';
import { bodyMessage, describeVendorError, parseVendor } from '../core/vendor.js';
import type { SentryConfig } from './config.js';

const releaseSchema = z.object({ version: z.string(), dateReleased: z.string().nullish(), commitCount: z.number().optional() });
const deploySchema = z.object({ id: z.string(), environment: z.string() });

/** The release calls the kit makes itself (the source-map upload is sentry-cli's). */
export class SentryReleases {
  constructor(
    private readonly config: SentryConfig,
    private readonly ctx: RunContext,
  ) {}

  private get releasePath(): string {
    return `/organizations/${this.config.org}/releases/${encodeURIComponent(this.config.version)}/`;
  }

  private async call(method: string, path: string, body?: unknown): Promise<HttpResponse> {
    try {
      return await jsonApi(this.ctx, this.config.apiUrl, this.config.token).send(method, path, { body });
    } catch (error) {
      if (error instanceof HttpError && error.status === 404 && path.startsWith(this.releasePath)) throw error;
      throw describeVendorError(error, {
        vendor: 'Sentry',
        apiUrl: this.config.apiUrl,
        tokenInput: 'sentry-token',
        notFound: { pathEnd: `/organizations/${this.config.org}/releases`, input: 'sentry-org', what: `organization ${this.config.org}` },
      });
    }
  }

  private refs() {
    const { repository, commit, previousCommit } = this.config;
    return [{ repository, commit, ...(previousCommit ? { previousCommit } : {}) }];
  }

  /**
   * Creates the release for the project with its commits (201), or finds it (208) and sets the
   * commits on it. A repository Sentry has no integration for is a warning: the release is made without commits.
   */
  async create(): Promise<{ created: boolean; commits: boolean }> {
    const body = { version: this.config.version, projects: [this.config.project] };
    try {
      const response = await this.call('POST', `/organizations/${this.config.org}/releases/`, { ...body, refs: this.refs() });
      parseVendor(releaseSchema, response.json(), 'Sentry create release');
      if (response.status === 208) await this.call('PUT', this.releasePath, { refs: this.refs() });
      return { created: response.status !== 208, commits: true };
    } catch (error) {
      if (!(error instanceof OperationalError) || !/returned 400: .*repositor/i.test(error.message)) throw error;
      this.ctx.logger.warning(
        `Sentry could not associate commits (${error.message.replace(/^.*returned 400: /, '')}); connect ${this.config.repository} in Sentry (Settings → Integrations) to get suspect commits`,
      );
      const response = await this.call('POST', `/organizations/${this.config.org}/releases/`, body);
      return { created: response.status !== 208, commits: false };
    }
  }

  async finalize(at: Date): Promise<void> {
    parseVendor(
      releaseSchema,
      (await this.call('PUT', this.releasePath, { dateReleased: at.toISOString() })).json(),
      'Sentry finalize release',
    );
  }

  /** Records a deploy of the release to the environment; a release Sentry does not have is an error naming the version. */
  async deploy(started: Date, finished: Date, url: string): Promise<string> {
    const body = {
      environment: this.config.environment,
      name: `deploy-kit ${this.config.version}`,
      url,
      projects: [this.config.project],
      dateStarted: started.toISOString(),
      dateFinished: finished.toISOString(),
    };
    try {
      const response = await this.call('POST', `${this.releasePath}deploys/`, body);
      return parseVendor(deploySchema, response.json(), 'Sentry create deploy').id;
    } catch (error) {
      if (error instanceof HttpError && error.status === 404) {
        throw new OperationalError(
          `Sentry has no release ${this.config.version} in ${this.config.org} (404: ${bodyMessage(error.body)})`,
          'run the sentry action with `step: release` (or `all`) for this version first, or pass the `version` that was released',
        );
      }
      throw error;
    }
  }

  get releaseUrl(): string {
    return `${this.config.baseUrl}/organizations/${this.config.org}/releases/${encodeURIComponent(this.config.version)}/`;
  }
}

import type { RunContext } from '../core/action.js';
import type { SiteFile } from './files.js';

export type Target = 'production' | 'preview';

/** What every frontend host is asked to publish. */
export interface PublishRequest {
  dir: string;
  /** Every file with its sha1; empty for a host without `needsDigests` (it publishes dir as a whole). */
  files: readonly SiteFile[];
  target: Target;
  branch: string;
  sha: string;
  title: string;
  timeoutMs: number;
  alias?: string;
}

/** What is known about a publish; filled in as it goes so outputs exist on failure too. */
export interface PublishProgress {
  providerDeploymentId?: string;
  url?: string;
  filesTotal?: number;
  filesUploaded?: number;
  aliasUrl?: string;
  aliasError?: string;
  state?: string;
  /** Something the provider did beyond the publish that the summary must show (a Vercel promotion). */
  note?: string;
}

/**
 * One place a built frontend can be published (Vercel, Netlify, an SSH host). The factory checks
 * its inputs (ConfigurationError before anything remote); publish uploads, waits and reports.
 */
export interface FrontendHost {
  readonly provider: string;
  /** The site this publish belongs to (project, site id, host path): keys the sticky PR comment. */
  readonly site: string;
  /** A vendor token is needed (and absent on pull requests from forks). */
  readonly needsToken: boolean;
  /** publish reads each file's sha1 (request.files); otherwise only dir is used and no file is hashed. */
  readonly needsDigests: boolean;
  publish(request: PublishRequest, ctx: RunContext, progress: PublishProgress): Promise<void>;
}

/** Returning a frontend to an earlier deploy (`to` is a deployment id or "previous"). */
export interface FrontendRollback {
  from?: string;
  to: string;
  url?: string;
}

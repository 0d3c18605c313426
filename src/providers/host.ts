import type { RunContext } from '../core/action.js';
import type { InputsOf } from '../core/inputs.js';
import type { sshConnectionInputs } from '../ssh/inputs.js';
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

/** What is known about a publish, filled in as it goes (the partial-result convention, src/core/action.ts). */
export interface PublishReport {
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
  /** publish reads each file's sha1 (request.files); otherwise only dir is used and no file is hashed. */
  readonly needsDigests: boolean;
  publish(request: PublishRequest, ctx: RunContext, progress: PublishReport): Promise<void>;
}

/** Returning a frontend to an earlier deploy (`to` is a deployment id or "previous"). */
export interface FrontendRollback {
  from?: string;
  to: string;
  url?: string;
}

/**
 * The inputs a frontend provider reads, declared here so providers depend on nothing above them: the
 * frontend and rollback actions' parsed inputs both satisfy it.
 */
export interface ProviderInputs extends InputsOf<typeof sshConnectionInputs> {
  token?: string;
  project?: string;
  team?: string;
  site?: string;
  url?: string;
  'api-url'?: string;
}

/**
 * One frontend provider, by its `provider` name: the publish host built from the inputs (checking
 * them before anything remote) and, for vendors that keep old deployments, how to return to one.
 */
export interface FrontendProvider {
  /** A vendor token is needed (and absent on pull requests from forks). */
  readonly needsToken: boolean;
  host(inputs: ProviderInputs): FrontendHost;
  rollback?(inputs: ProviderInputs & { token: string }, to: string, ctx: RunContext): Promise<FrontendRollback>;
}

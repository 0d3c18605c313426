import type { RunContext } from '../core/action.js';

/** A deploy on a hosted backend, as the provider reports it. */
export interface BackendDeployment {
  id: string;
  status: string;
  /** The public URL of the service, when the provider knows it. */
  url?: string;
  /** Outputs the provider sets instead of `deploy-id` (fly: release, previous-release, machines). */
  outputs?: Record<string, string>;
  /** Summary rows, one per unit rolled (fly: machine, region, from, to, status). */
  rows?: string[][];
}

/** What a rollback goes back to (`target`) and what was live before it (`current`). */
export interface RollbackFrom {
  target: string;
  current?: string;
}

/**
 * What a hosted deploy or rollback has done so far, filled by the host as it goes (the partial-result
 * convention, src/core/action.ts): the caller reads it to set outputs and the summary, also on failure.
 */
export interface BackendReport {
  /** The deployment as last seen, from the moment it has an id. */
  deployment?: BackendDeployment;
  /** A rollback's target and what was live, once the rollback has started. */
  from?: RollbackFrom;
}

/**
 * The steps every hosted backend provider implements (SSH hosts use the release model in src/release):
 * check credentials → deploy → wait to live → rollback.
 */
export interface BackendHost {
  readonly name: string;
  verify(ctx: RunContext): Promise<{ url?: string }>;
  deploy(ctx: RunContext, report: BackendReport): Promise<void>;
  /** `to` is a provider deploy id or `previous`. */
  rollback(to: string, ctx: RunContext, report: BackendReport): Promise<void>;
}

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

/** How a rollback reports progress: the deployment, and what it goes from and to. */
export type RollbackProgress = (deployment: BackendDeployment, from: RollbackFrom) => void;

/**
 * The steps every hosted backend provider implements (SSH hosts use the release model in src/ssh):
 * check credentials → deploy → wait to live → rollback. `onProgress` receives the deployment as soon
 * as it has an id, so outputs exist when the wait fails.
 */
export interface BackendHost {
  readonly name: string;
  verify(ctx: RunContext): Promise<{ url?: string }>;
  deploy(ctx: RunContext, onProgress: (deployment: BackendDeployment) => void): Promise<BackendDeployment>;
  /** `to` is a provider deploy id or `previous`; onProgress names the deploy returned to and the one that was live. */
  rollback(
    to: string,
    ctx: RunContext,
    onProgress: (deployment: BackendDeployment, from: { target: string; current?: string }) => void,
  ): Promise<BackendDeployment>;
}

/** What the swarm switch strategy needs (deploy and rollback); built by applySwarmMode from the inputs. */
import type { RunContext } from '../../core/action.js';

/** One service of the stack as the outputs report it. */
export interface ServiceReport {
  /** The image reference the service spec runs (`repo@sha256:…`). */
  image: string;
  digest?: string;
  running: number;
  desired: number;
}

export interface SwarmConfig {
  stack: string;
  /** The stack file relative to the release (compose-file): used when a release has no rendered file. */
  file: string;
  /** The file the kit deploys, relative to the release. */
  rendered: string;
  /** Deploy only: the rendered content, written into the new release before the switch. */
  content?: string;
  /** Deploy only: the services the stack file names, each of which must exist after the deploy. */
  services?: readonly string[];
  /** How long a stack deploy may take to converge (health-timeout). */
  timeoutMs: number;
  /** Filled with the stack's services after every convergence wait, for the outputs. */
  report?: SwarmReport;
}

/** What the swarm strategy has seen (the partial-result convention, src/core/action.ts). */
export interface SwarmReport {
  services?: Record<string, ServiceReport>;
}

/** The `services` output, once the strategy has seen the stack converge or fail. */
export function swarmServicesOutput(report: SwarmReport, ctx: RunContext): void {
  if (report.services) ctx.outputs.set('services', JSON.stringify(report.services));
}

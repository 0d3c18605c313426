import type { z } from 'zod';

import type { Clock } from './clock.js';
import type { Executor } from './exec.js';
import type { HttpClient } from './http.js';
import type { Logger } from './logger.js';
import type { Summary } from './summary.js';

/** Facts about the run that domain code may use; filled from GITHUB_* by the Actions runtime, from git by the CLI. */
export interface RunEnvironment {
  sha: string;
  ref: string;
  eventName: string;
  repository: string;
  actor: string;
  /** Link to this run's log, or a description of who ran the CLI. */
  runUrl: string;
  /** A private scratch directory for key files and sockets (RUNNER_TEMP). */
  tempDir: string;
  workspace: string;
  githubApiUrl: string;
  eventPath?: string;
  /** The user's docker configuration directory (DOCKER_CONFIG); unset means ~/.docker. */
  dockerConfigDir?: string;
  /** Inside an Actions job the workflow-artifact service is reachable (ACTIONS_RUNTIME_TOKEN, ACTIONS_RESULTS_URL); never from the CLI. */
  artifactService?: boolean;
}

/**
 * Outputs and the summary must exist when a step fails half-way. The convention for that, everywhere:
 * an operation that can fail part-way (a deploy, rollback, publish, build) takes a typed report object
 * its caller created (`DeployReport`, `BackendReport`, `PublishReport`, `ImageReport`, ...), fills its
 * fields as they become known and keeps no callbacks for it; the caller reads the report in its
 * catch/finally to set the outputs and write the summary, also when the operation threw.
 */
export interface OutputSink {
  set(name: string, value: string): void;
}

/** What a post step needs from the main step; inputs are not reliably there in post. */
export interface StateStore {
  save(name: string, value: string): void;
  get(name: string): string;
}

export interface RunContext {
  logger: Logger;
  exec: Executor;
  http: HttpClient;
  clock: Clock;
  outputs: OutputSink;
  summary: Summary;
  state: StateStore;
  env: RunEnvironment;
  /** Aborted when the run is cancelled (SIGINT/SIGTERM); absent where nothing can cancel. */
  signal?: AbortSignal;
}

export type PostContext = Pick<RunContext, 'logger' | 'exec' | 'state'>;

export type InputSchema = z.ZodObject<Record<string, z.ZodType<unknown, string>>>;

export interface ActionDefinition<S extends InputSchema = InputSchema> {
  name: string;
  schema: S;
  /** Inputs masked the moment they are read. */
  secretInputs: readonly string[];
  /** Outputs this action documents (checked against action.yml in the tests). */
  outputs: readonly string[];
  run(inputs: z.output<S>, ctx: RunContext): Promise<void>;
  /** Cleanup after the main step, also when it failed; must not throw. */
  post?(ctx: PostContext): Promise<void>;
}

/**
 * Type-checks `run` against its own schema, then erases the schema type: the runtimes and the registry
 * hold every action as one `ActionDefinition` (they parse inputs with `schema` before calling `run`).
 */
export function defineAction<S extends InputSchema>(definition: ActionDefinition<S>): ActionDefinition {
  return definition as unknown as ActionDefinition;
}

import { backupAction } from './backup/action.js';
import type { ActionDefinition } from './core/action.js';
import { deployAction, pipelineStages } from './deploy.js';
import { restoreAction } from './restore/action.js';
import { rollbackAction } from './rollback/action.js';

/** Every stand-alone action, by name; a pipeline chains some of them (src/pipeline). */
const stageActions: Record<string, ActionDefinition> = {
  gate: pipelineStages.gate,
  image: pipelineStages.image,
  migrate: pipelineStages.migrate,
  backend: pipelineStages.backend,
  frontend: pipelineStages.frontend,
  smoke: pipelineStages.smoke,
  rollback: rollbackAction,
  backup: backupAction,
  restore: restoreAction,
  sentry: pipelineStages.sentry,
};

/** Every action the CLI can run, by name; `deploy` is the root action.yml (a whole strategy in one step). */
export const actions: Record<string, ActionDefinition> = {
  ...stageActions,
  deploy: deployAction,
};

/** Where an action's metadata lives: `<name>/action.yml`, or the repository root for the pipeline. */
export function metadataPath(name: string): string {
  return name === 'deploy' ? 'action.yml' : `${name}/action.yml`;
}

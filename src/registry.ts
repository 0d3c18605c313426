import { backendAction } from './backend/action.js';
import { backupAction } from './backup/action.js';
import type { ActionDefinition } from './core/action.js';
import { frontendAction } from './frontend/action.js';
import { gateAction } from './gate/action.js';
import { imageAction } from './image/action.js';
import { migrateAction } from './migrate/action.js';
import { pipelineAction } from './pipeline/action.js';
import { restoreAction } from './restore/action.js';
import { rollbackAction } from './rollback/action.js';
import { sentryAction } from './sentry/action.js';
import { smokeAction } from './smoke/action.js';

/** Every stand-alone action, by name; a pipeline chains some of them (src/pipeline). */
const stageActions: Record<string, ActionDefinition> = {
  gate: gateAction,
  image: imageAction,
  migrate: migrateAction,
  backend: backendAction,
  frontend: frontendAction,
  smoke: smokeAction,
  rollback: rollbackAction,
  backup: backupAction,
  restore: restoreAction,
  sentry: sentryAction,
};

/** Every action the CLI can run, by name; `deploy` is the root action.yml (a whole strategy in one step). */
export const actions: Record<string, ActionDefinition> = {
  ...stageActions,
  deploy: pipelineAction(stageActions),
};

/** Where an action's metadata lives: `<name>/action.yml`, or the repository root for the pipeline. */
export function metadataPath(name: string): string {
  return name === 'deploy' ? 'action.yml' : `${name}/action.yml`;
}

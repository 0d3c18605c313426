import { backendAction } from './backend/action.js';
import type { ActionDefinition } from './core/action.js';
import { frontendAction } from './frontend/action.js';
import { gateAction } from './gate/action.js';
import { imageAction } from './image/action.js';
import { migrateAction } from './migrate/action.js';
import type { STAGES } from './pipeline/action.js';
import { pipelineAction } from './pipeline/action.js';
import { sentryAction } from './sentry/action.js';
import { smokeAction } from './smoke/action.js';

/**
 * The actions a strategy chains (src/pipeline), by name: only those, so the root action's bundle
 * does not load the ones it never runs (rollback, backup, restore; src/registry.ts has every action).
 */
export const pipelineStages: Record<(typeof STAGES)[number], ActionDefinition> = {
  gate: gateAction,
  image: imageAction,
  migrate: migrateAction,
  backend: backendAction,
  frontend: frontendAction,
  smoke: smokeAction,
  sentry: sentryAction,
};

/** The root action.yml: a whole strategy in one step. */
export const deployAction = pipelineAction(pipelineStages);

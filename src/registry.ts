import type { ActionDefinition } from './core/action.js';
import { backendAction } from './backend/action.js';
import { gateAction } from './gate/action.js';
import { rollbackAction } from './rollback/action.js';
import { smokeAction } from './smoke/action.js';

/** Every action the CLI can run, by name. */
export const actions: Record<string, ActionDefinition> = {
  backend: backendAction as unknown as ActionDefinition,
  gate: gateAction as unknown as ActionDefinition,
  rollback: rollbackAction as unknown as ActionDefinition,
  smoke: smokeAction as unknown as ActionDefinition,
};

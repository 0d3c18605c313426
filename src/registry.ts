import type { ActionDefinition } from './core/action.js';
import { backendAction } from './backend/action.js';
import { backupAction } from './backup/action.js';
import { restoreAction } from './restore/action.js';
import { rollbackAction } from './rollback/action.js';

/** Every action the CLI can run, by name. */
export const actions: Record<string, ActionDefinition> = {
  backend: backendAction as unknown as ActionDefinition,
  backup: backupAction as unknown as ActionDefinition,
  restore: restoreAction as unknown as ActionDefinition,
  rollback: rollbackAction as unknown as ActionDefinition,
};

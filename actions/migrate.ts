import { migrateAction } from '../src/migrate/action.js';
import { runAction } from '../src/runtime/actions.js';

await runAction(migrateAction);

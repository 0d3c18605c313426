import { runAction } from '../src/runtime/actions.js';
import { migrateAction } from '../src/migrate/action.js';

await runAction(migrateAction);

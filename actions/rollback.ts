import { rollbackAction } from '../src/rollback/action.js';
import { runAction } from '../src/runtime/actions.js';

await runAction(rollbackAction);

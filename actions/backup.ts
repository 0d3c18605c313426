import { backupAction } from '../src/backup/action.js';
import { runAction } from '../src/runtime/actions.js';

await runAction(backupAction);

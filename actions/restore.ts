import { restoreAction } from '../src/restore/action.js';
import { runAction } from '../src/runtime/actions.js';

await runAction(restoreAction);

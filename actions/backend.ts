import { backendAction } from '../src/backend/action.js';
import { runAction } from '../src/runtime/actions.js';

await runAction(backendAction);

import { frontendAction } from '../src/frontend/action.js';
import { runAction } from '../src/runtime/actions.js';

await runAction(frontendAction);

import { runAction } from '../src/runtime/actions.js';
import { frontendAction } from '../src/frontend/action.js';

await runAction(frontendAction);

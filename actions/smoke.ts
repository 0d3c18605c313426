import { runAction } from '../src/runtime/actions.js';
import { smokeAction } from '../src/smoke/action.js';

await runAction(smokeAction);

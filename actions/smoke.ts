import { smokeAction } from '../src/smoke/action.js';
import { runAction } from '../src/runtime/actions.js';

await runAction(smokeAction);

import { gateAction } from '../src/gate/action.js';
import { runAction } from '../src/runtime/actions.js';

await runAction(gateAction);

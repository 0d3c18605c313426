import { imageAction } from '../src/image/action.js';
import { runAction } from '../src/runtime/actions.js';

await runAction(imageAction);

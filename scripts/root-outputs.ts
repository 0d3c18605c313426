// Prints the outputs block of the root action.yml from the registry (each stage's outputs, prefixed),
// so the file is regenerated rather than hand-edited when an action gains an output.
import { STAGES } from '../src/pipeline/action.js';
import { actions } from '../src/registry.js';

const lines = ['outputs:'];
for (const stage of STAGES) {
  for (const output of actions[stage]?.outputs ?? []) {
    lines.push(`  ${stage}-${output}:`, `    description: The \`${stage}\` stage's \`${output}\` output.`);
  }
}
console.log(lines.join('\n'));

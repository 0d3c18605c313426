import { actions } from './registry.js';
import { runCli } from './runtime/cli.js';

const USAGE = `usage: deploy-kit <action> --input value ...
actions: ${Object.keys(actions).join(', ')}
Inputs are the action's input names (see docs/<action>.md); --<input>-file PATH reads a value from a file,
and DEPLOY_KIT_<INPUT> in the environment sets one (for secrets such as DEPLOY_KIT_SSH_KEY).
Outputs are printed on stdout as name=value lines; logs go to stderr.`;

export async function main(argv: readonly string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name) {
    // A usage error: the text goes where errors go, so `deploy-kit | ...` pipes nothing.
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  if (name === '--help' || name === '-h') {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const definition = actions[name];
  if (!definition) {
    process.stderr.write(`unknown action "${name}"; known: ${Object.keys(actions).join(', ')}\n`);
    return 2;
  }
  if (rest.includes('--help')) {
    process.stdout.write(
      `deploy-kit ${name} inputs: ${Object.keys(definition.schema.shape)
        .map((n) => `--${n}`)
        .join(' ')}\n`,
    );
    return 0;
  }
  return runCli(definition, {
    argv: rest,
    env: process.env,
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
  });
}

import { actions } from './registry.js';
import { runCli } from './runtime/cli.js';
import { actionHelp, packageVersion } from './runtime/help.js';

const USAGE = `usage: deploy-kit <action> --input value ...
actions: ${Object.keys(actions).join(', ')}
Inputs are the action's input names (see docs/<action>.md); --<input>-file PATH reads a value from a file,
and DEPLOY_KIT_<INPUT> in the environment sets one (for secrets such as DEPLOY_KIT_SSH_KEY).
deploy-kit <action> --help lists that action's inputs; deploy-kit --version prints the version.
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
  if (name === '--version' || name === '-V') {
    process.stdout.write(`${packageVersion()}\n`);
    return 0;
  }
  const definition = actions[name];
  if (!definition) {
    process.stderr.write(`unknown action "${name}"; known: ${Object.keys(actions).join(', ')}\n`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(actionHelp(name));
    return 0;
  }
  return runCli(definition, {
    argv: rest,
    env: process.env,
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
  });
}

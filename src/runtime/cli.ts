import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';

import type { ActionDefinition, RunContext, RunEnvironment } from '../core/action.js';
import { checkCancelled } from '../core/cancel.js';
import { systemClock } from '../core/clock.js';
import { ConfigurationError, errorMessage } from '../core/errors.js';
import { processExecutor } from '../core/exec.js';
import { createHttpClient } from '../core/http.js';
import { parseInputs } from '../core/inputs.js';
import { formatPosition, type Logger } from '../core/logger.js';
import { SecretRegistry } from '../core/secrets.js';
import { Summary } from '../core/summary.js';
import { handleCancelSignals } from './cancel.js';
import { describeFailure } from './errors.js';

export interface CliIo {
  argv: readonly string[];
  env: Record<string, string | undefined>;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

/**
 * Flags are the input names: `--hosts a,b --path /srv/app`. `--name-file F` reads the value of
 * `name` from a file (keys, known_hosts), and DEPLOY_KIT_<NAME> in the environment fills any input,
 * so secrets need not appear on the command line. A flag without a value means true. A value may
 * begin with `-` (a private key begins with `-----BEGIN`): only a known flag ends a flag's value.
 * `onValue` sees every value as soon as it is known, so secrets are registered before any error;
 * errors name flags only and never quote an argument, which may be a secret.
 */
export function parseFlags(
  argv: readonly string[],
  known: readonly string[],
  env: CliIo['env'],
  onValue: (name: string, value: string) => void = () => undefined,
): Record<string, string> {
  const raw: Record<string, string> = {};
  for (const name of known) {
    raw[name] = env[`DEPLOY_KIT_${name.replace(/-/g, '_').toUpperCase()}`] ?? '';
    onValue(name, raw[name]);
  }
  const flagName = (arg: string) => (arg.startsWith('--') ? arg.slice(2, arg.includes('=') ? arg.indexOf('=') : undefined) : undefined);
  const isKnownFlag = (arg: string) => {
    const name = flagName(arg);
    return name !== undefined && (known.includes(name) || (name.endsWith('-file') && known.includes(name.slice(0, -5))));
  };
  // First every value, so all secrets are registered; then the checks that may fail.
  const given: { name: string; value: string; position: number }[] = [];
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i]!;
    const name = flagName(arg);
    if (name === undefined) {
      onValue('', arg);
      given.push({ name: '', value: arg, position: i + 1 });
      continue;
    }
    const eq = arg.indexOf('=');
    let value = 'true';
    if (eq >= 0) value = arg.slice(eq + 1);
    else if (i + 1 < argv.length && !isKnownFlag(argv[i + 1]!)) value = argv[++i]!;
    onValue(name, value);
    given.push({ name, value, position: i + 1 });
  }
  for (const { name, value, position } of given) {
    if (name === '')
      throw new ConfigurationError(`unexpected argument at position ${position} (not shown): inputs are given as --name value`);
    if (known.includes(name)) {
      raw[name] = value;
      continue;
    }
    if (!isKnownFlag(`--${name}`)) {
      const shown = /^[a-z0-9][a-z0-9-]{0,63}$/.test(name) ? `--${name}` : `at position ${position} (not shown: it is not a flag name)`;
      throw new ConfigurationError(`unknown flag ${shown}; known: ${known.map((k) => `--${k}`).join(' ')}`);
    }
    const input = name.slice(0, -5);
    try {
      raw[input] = readFileSync(value, 'utf8');
    } catch (error) {
      throw new ConfigurationError(`--${name}: cannot read ${value}: ${(error as NodeJS.ErrnoException).code ?? errorMessage(error)}`);
    }
    onValue(input, raw[input]);
  }
  return raw;
}

function gitSha(cwd: string): string {
  try {
    return execFileSync('git', ['rev-parse', 'HEAD'], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return '';
  }
}

function cliEnvironment(env: CliIo['env']): RunEnvironment {
  const cwd = process.cwd();
  const who = env.USER ?? userInfo().username;
  return {
    sha: env.DEPLOY_KIT_SHA ?? gitSha(cwd),
    ref: env.GITHUB_REF ?? '',
    eventName: 'cli',
    repository: env.GITHUB_REPOSITORY ?? '',
    actor: who,
    runUrl: `cli:${who}`,
    tempDir: env.RUNNER_TEMP ?? tmpdir(),
    workspace: cwd,
    githubApiUrl: env.GITHUB_API_URL ?? 'https://api.github.com',
    dockerConfigDir: env.DOCKER_CONFIG,
  };
}

/** Runs one action definition from the command line; returns the process exit code. */
export async function runCli(definition: ActionDefinition, io: CliIo): Promise<number> {
  const secrets = new SecretRegistry();
  const print = (text: string) => io.stderr(`${secrets.redact(text)}\n`);
  const logger: Logger = {
    info: (m) => print(m),
    warning: (m) => print(`warning: ${m}`),
    error: (m) => print(`error: ${m}`),
    debug: (m) => (io.env.DEPLOY_KIT_DEBUG ? print(`debug: ${m}`) : undefined),
    mask: (s) => void secrets.addForms([s]),
    redact: (t) => secrets.redact(t),
    async group(name, fn) {
      print(`── ${name}`);
      return fn();
    },
    annotate(kind, message, position) {
      const where = formatPosition(position);
      print(`${kind}: ${where ? `${where}: ` : ''}${position.title ? `${position.title}: ` : ''}${message}`);
    },
  };
  const stateValues = new Map<string, string>();
  const state = {
    save: (n: string, v: string) => void stateValues.set(n, secrets.redact(v)),
    get: (n: string) => stateValues.get(n) ?? '',
  };
  const outputs = new Map<string, string>();
  const summary = new Summary();
  const cancel = handleCancelSignals(processExecutor, systemClock, (m) => print(`warning: ${m}`), { exitOnSecond: true });
  const ctx: RunContext = {
    logger,
    exec: cancel.exec,
    http: createHttpClient({ clock: cancel.clock, onRetry: (m) => logger.info(m), redact: (t) => secrets.redact(t) }),
    clock: cancel.clock,
    signal: cancel.signal,
    outputs: { set: (n, v) => void outputs.set(n, v) },
    summary,
    state,
    env: cliEnvironment(io.env),
  };
  let code = 0;
  try {
    const names = Object.keys(definition.schema.shape);
    const raw = parseFlags(io.argv, names, io.env, (name, value) => {
      if (definition.secretInputs.includes(name)) secrets.add(value);
      secrets.addUrlCredentials(value);
    });
    await definition.run(parseInputs(definition.schema, raw), ctx);
    checkCancelled(cancel.signal, `${definition.name} (after its work was done)`);
  } catch (error) {
    print(describeFailure(definition.name, error));
    code = cancel.signal.aborted ? 130 : 1;
  } finally {
    try {
      await definition.post?.({ logger, exec: processExecutor, state });
    } catch (error) {
      print(`warning: cleanup: ${errorMessage(error)}`);
    }
    cancel.dispose();
  }
  if (!summary.empty) print(`\n${summary.toMarkdown()}`);
  for (const [name, value] of outputs) io.stdout(`${name}=${secrets.redact(value)}\n`);
  return code;
}

import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';

import type { ActionDefinition, RunContext, RunEnvironment } from '../core/action.js';
import { systemClock } from '../core/clock.js';
import { ConfigurationError, errorMessage } from '../core/errors.js';
import { processExecutor } from '../core/exec.js';
import { createHttpClient } from '../core/http.js';
import { parseInputs } from '../core/inputs.js';
import { formatPosition, type Logger, maskSecret, redact } from '../core/logger.js';
import { Summary } from '../core/summary.js';
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
 * so secrets need not appear on the command line. A flag without a value means true.
 */
export function parseFlags(argv: readonly string[], known: readonly string[], env: CliIo['env']): Record<string, string> {
  const raw: Record<string, string> = {};
  for (const name of known) {
    const fromEnv = env[`DEPLOY_KIT_${name.replace(/-/g, '_').toUpperCase()}`];
    raw[name] = fromEnv ?? '';
  }
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i]!;
    if (!arg.startsWith('--')) throw new ConfigurationError(`unexpected argument "${arg}": inputs are given as --name value`);
    const eq = arg.indexOf('=');
    let name = eq >= 0 ? arg.slice(2, eq) : arg.slice(2);
    let value: string;
    if (eq >= 0) value = arg.slice(eq + 1);
    else if (i + 1 < argv.length && !argv[i + 1]!.startsWith('--')) value = argv[++i]!;
    else value = 'true';
    if (!known.includes(name) && name.endsWith('-file') && known.includes(name.slice(0, -5))) {
      try {
        value = readFileSync(value, 'utf8');
      } catch (error) {
        throw new ConfigurationError(`--${name}: cannot read ${value}: ${(error as NodeJS.ErrnoException).code ?? errorMessage(error)}`);
      }
      name = name.slice(0, -5);
    }
    if (!known.includes(name)) throw new ConfigurationError(`unknown flag --${name}; known: ${known.map((k) => `--${k}`).join(' ')}`);
    raw[name] = value;
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
  };
}

/** Runs one action definition from the command line; returns the process exit code. */
export async function runCli(definition: ActionDefinition, io: CliIo): Promise<number> {
  const secrets = new Set<string>();
  const print = (text: string) => io.stderr(`${redact(text, secrets)}\n`);
  const logger: Logger = {
    info: (m) => print(m),
    warning: (m) => print(`warning: ${m}`),
    error: (m) => print(`error: ${m}`),
    debug: (m) => (io.env.DEPLOY_KIT_DEBUG ? print(`debug: ${m}`) : undefined),
    mask: (s) => secrets.add(s),
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
  const state = { save: (n: string, v: string) => void stateValues.set(n, v), get: (n: string) => stateValues.get(n) ?? '' };
  const outputs = new Map<string, string>();
  const summary = new Summary();
  const ctx: RunContext = {
    logger,
    exec: processExecutor,
    http: createHttpClient({ clock: systemClock, onRetry: (m) => logger.info(m) }),
    clock: systemClock,
    outputs: { set: (n, v) => void outputs.set(n, v) },
    summary,
    state,
    env: cliEnvironment(io.env),
  };
  let code = 0;
  try {
    const names = Object.keys(definition.schema.shape);
    const raw = parseFlags(io.argv, names, io.env);
    for (const name of definition.secretInputs) if (raw[name]) maskSecret(logger, raw[name]);
    await definition.run(parseInputs(definition.schema, raw), ctx);
  } catch (error) {
    print(describeFailure(definition.name, error));
    code = 1;
  } finally {
    try {
      await definition.post?.({ logger, exec: processExecutor, state });
    } catch (error) {
      print(`warning: cleanup: ${errorMessage(error)}`);
    }
  }
  if (!summary.empty) print(`\n${summary.toMarkdown()}`);
  for (const [name, value] of outputs) io.stdout(`${name}=${redact(value, secrets)}\n`);
  return code;
}

import { tmpdir } from 'node:os';

import type { ActionDefinition, RunContext, RunEnvironment } from '../core/action.js';
import { checkCancelled } from '../core/cancel.js';
import { systemClock } from '../core/clock.js';
import { errorMessage } from '../core/errors.js';
import { processExecutor } from '../core/exec.js';
import { createHttpClient } from '../core/http.js';
import { parseInputs } from '../core/inputs.js';
import type { Logger } from '../core/logger.js';
import { secretForms, SecretRegistry, urlCredentialForms } from '../core/secrets.js';
import { Summary } from '../core/summary.js';
import { handleCancelSignals } from './cancel.js';
import { describeFailure } from './errors.js';
import * as core from './runner-commands.js';

/** The Actions logger: every message is redacted in-process; the runner's masker is a second line, not the first. */
function actionsLogger(secrets: SecretRegistry): Logger {
  const r = (text: string) => secrets.redact(text);
  return {
    info: (m) => core.info(r(m)),
    warning: (m) => core.warning(r(m)),
    error: (m) => core.error(r(m)),
    debug: (m) => core.debug(r(m)),
    mask: (s) => registerSecretForms(secrets, [s]),
    group: (name, fn) => core.group(r(name), fn),
    redact: r,
    annotate(kind, message, position) {
      const properties: core.AnnotationProperties = {
        title: position.title === undefined ? undefined : r(position.title),
        file: position.file,
        startLine: position.line,
        startColumn: position.line !== undefined ? position.col : undefined,
      };
      if (kind === 'error') core.error(r(message), properties);
      else if (kind === 'warning') core.warning(r(message), properties);
      else core.notice(r(message), properties);
    },
  };
}

/** Adds forms to the run's registry and hands the new ones to the runner's masker too. */
function registerSecretForms(secrets: SecretRegistry, forms: readonly string[]): void {
  for (const form of secrets.addForms(forms)) core.setSecret(form);
}

/**
 * Reads every input raw, registering the secret ones (and credentials in any URL) before anything
 * is parsed or printed; the post step does the same, since it is a new process.
 */
function readInputs(definition: ActionDefinition, secrets: SecretRegistry): Record<string, string> {
  const raw: Record<string, string> = {};
  for (const name of Object.keys(definition.schema.shape)) {
    raw[name] = core.getInput(name);
    if (definition.secretInputs.includes(name)) registerSecretForms(secrets, secretForms(raw[name]));
    registerSecretForms(secrets, urlCredentialForms(raw[name]));
  }
  return raw;
}

function runEnvironment(): RunEnvironment {
  const env = process.env;
  const server = env.GITHUB_SERVER_URL ?? 'https://github.com';
  return {
    sha: env.GITHUB_SHA ?? '',
    ref: env.GITHUB_REF ?? '',
    eventName: env.GITHUB_EVENT_NAME ?? '',
    repository: env.GITHUB_REPOSITORY ?? '',
    actor: env.GITHUB_ACTOR ?? '',
    runUrl: env.GITHUB_RUN_ID ? `${server}/${env.GITHUB_REPOSITORY}/actions/runs/${env.GITHUB_RUN_ID}` : '',
    tempDir: env.RUNNER_TEMP ?? tmpdir(),
    workspace: env.GITHUB_WORKSPACE ?? process.cwd(),
    githubApiUrl: env.GITHUB_API_URL ?? 'https://api.github.com',
    dockerConfigDir: env.DOCKER_CONFIG,
    eventPath: env.GITHUB_EVENT_PATH,
    artifactService: Boolean(env.ACTIONS_RUNTIME_TOKEN && env.ACTIONS_RESULTS_URL),
  };
}

/** The error boundary of every action entry: main or post, inputs → run → outputs + summary. */
export async function runAction(definition: ActionDefinition): Promise<void> {
  const secrets = new SecretRegistry();
  const r = (text: string) => secrets.redact(text);
  const logger = actionsLogger(secrets);
  const state = { save: (n: string, v: string) => core.saveState(n, r(v)), get: (n: string) => core.getState(n) };
  if (core.getState('isPost') === 'true') {
    try {
      readInputs(definition, secrets);
      await definition.post?.({ logger, exec: processExecutor, state });
    } catch (error) {
      core.warning(r(`${definition.name} cleanup: ${errorMessage(error)}`));
    }
    return;
  }
  core.saveState('isPost', 'true');

  const summary = new Summary();
  const cancel = handleCancelSignals(processExecutor, systemClock, (m) => core.warning(m));
  const ctx: RunContext = {
    logger,
    exec: cancel.exec,
    http: createHttpClient({ clock: cancel.clock, onRetry: (m) => logger.info(m), redact: r }),
    clock: cancel.clock,
    outputs: { set: (n, v) => core.setOutput(n, r(v)) },
    summary,
    state,
    env: runEnvironment(),
    signal: cancel.signal,
  };
  try {
    const raw = readInputs(definition, secrets);
    const inputs = parseInputs(definition.schema, raw);
    await definition.run(inputs, ctx);
    // Cancelled after the work was done (during housekeeping): still a cancelled step, not a success.
    checkCancelled(cancel.signal, `${definition.name} (after its work was done)`);
  } catch (error) {
    core.setFailed(r(describeFailure(definition.name, error)));
  } finally {
    cancel.dispose();
    if (!summary.empty) {
      try {
        core.appendSummary(r(summary.toMarkdown()));
      } catch (error) {
        logger.warning(`could not write the job summary: ${errorMessage(error)}`);
      }
    }
  }
}

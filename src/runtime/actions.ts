import { tmpdir } from 'node:os';

import * as core from '@actions/core';

import type { ActionDefinition, RunContext, RunEnvironment } from '../core/action.js';
import { systemClock } from '../core/clock.js';
import { errorMessage } from '../core/errors.js';
import { processExecutor } from '../core/exec.js';
import { createHttpClient } from '../core/http.js';
import { parseInputs } from '../core/inputs.js';
import { type Logger, maskSecret } from '../core/logger.js';
import { Summary } from '../core/summary.js';
import { describeFailure } from './errors.js';

const actionsLogger: Logger = {
  info: (m) => core.info(m),
  warning: (m) => core.warning(m),
  error: (m) => core.error(m),
  debug: (m) => core.debug(m),
  mask: (s) => core.setSecret(s),
  group: (name, fn) => core.group(name, fn),
  annotate(kind, message, position) {
    const properties: core.AnnotationProperties = {
      title: position.title,
      file: position.file,
      startLine: position.line,
      startColumn: position.line !== undefined ? position.col : undefined,
    };
    if (kind === 'error') core.error(message, properties);
    else if (kind === 'warning') core.warning(message, properties);
    else core.notice(message, properties);
  },
};

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
    eventPath: env.GITHUB_EVENT_PATH,
    artifactService: Boolean(env.ACTIONS_RUNTIME_TOKEN && env.ACTIONS_RESULTS_URL),
  };
}

/** The error boundary of every action entry: main or post, inputs → run → outputs + summary. */
export async function runAction(definition: ActionDefinition): Promise<void> {
  const state = { save: (n: string, v: string) => core.saveState(n, v), get: (n: string) => core.getState(n) };
  if (core.getState('isPost') === 'true') {
    try {
      await definition.post?.({ logger: actionsLogger, exec: processExecutor, state });
    } catch (error) {
      core.warning(`${definition.name} cleanup: ${errorMessage(error)}`);
    }
    return;
  }
  core.saveState('isPost', 'true');

  const summary = new Summary();
  const ctx: RunContext = {
    logger: actionsLogger,
    exec: processExecutor,
    http: createHttpClient({ clock: systemClock, onRetry: (m) => core.info(m) }),
    clock: systemClock,
    outputs: { set: (n, v) => core.setOutput(n, v) },
    summary,
    state,
    env: runEnvironment(),
  };
  try {
    const raw: Record<string, string> = {};
    for (const name of Object.keys(definition.schema.shape)) {
      raw[name] = core.getInput(name);
      if (definition.secretInputs.includes(name) && raw[name] !== '') maskSecret(actionsLogger, raw[name]);
    }
    const inputs = parseInputs(definition.schema, raw);
    await definition.run(inputs, ctx);
  } catch (error) {
    core.setFailed(describeFailure(definition.name, error));
  } finally {
    if (!summary.empty) {
      try {
        await core.summary.addRaw(summary.toMarkdown()).write();
      } catch (error) {
        core.warning(`could not write the job summary: ${errorMessage(error)}`);
      }
    }
  }
}

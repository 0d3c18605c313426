import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';

import { data, Evaluator, Lexer, Parser } from '@actions/expressions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';

import { ROOT, runBundle } from '../../harness/services/runner.js';

/**
 * Issue #18 item 3: the smoke step of each reusable workflow, with the `with:` the workflow passes
 * evaluated by GitHub's own expression evaluator from the workflow_call defaults, run as the bundle
 * against a plain app (a stock page: no sha, no security headers). It must pass, or every first
 * deploy of a stock Django app would be rolled back.
 */

const SHA = 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678';

interface Step {
  id?: string;
  uses?: string;
  with?: Record<string, unknown>;
}

interface Workflow {
  on: { workflow_call: { inputs: Record<string, { default?: unknown; required?: boolean }> } };
  jobs: Record<string, { steps?: Step[] }>;
}

/** Evaluates `${{ … }}` in one `with:` value the way the runner does (a whole-value expression or interpolation). */
function evaluate(value: unknown, contexts: Record<string, unknown>): string {
  const text = String(value);
  return text.replace(/\$\{\{([\s\S]*?)\}\}/g, (_all, source: string) => {
    const lexed = new Lexer(source.trim()).lex();
    const expr = new Parser(lexed.tokens, Object.keys(contexts), []).parse();
    const context = JSON.parse(JSON.stringify(contexts), data.reviver) as data.Dictionary;
    return new Evaluator(expr, context).evaluate().coerceString();
  });
}

/** The smoke step's inputs as the workflow passes them with its defaults and the given caller inputs. */
function smokeInputs(
  file: string,
  caller: Record<string, unknown>,
  stepOutputs: Record<string, Record<string, string>>,
): Record<string, string> {
  const workflow = parse(readFileSync(join(ROOT, '.github', 'workflows', file), 'utf8')) as Workflow;
  const inputs: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(workflow.on.workflow_call.inputs)) inputs[name] = spec.default ?? '';
  Object.assign(inputs, caller);
  const step = Object.values(workflow.jobs)
    .flatMap((job) => job.steps ?? [])
    .find((s) => s.uses === '$/smoke');
  if (!step?.with) throw new Error(`${file}: no smoke step`);
  const steps = Object.fromEntries(Object.entries(stepOutputs).map(([id, outputs]) => [id, { outputs, outcome: 'success' }]));
  const contexts = { inputs, github: { sha: SHA, event_name: 'push', ref: 'refs/heads/main' }, steps, secrets: {}, vars: {} };
  return Object.fromEntries(Object.entries(step.with).map(([name, value]) => [name, evaluate(value, contexts)]));
}

describe('the reusable workflows’ smoke defaults against a plain app', () => {
  let server: Server;
  let url: string;

  beforeAll(async () => {
    // What `django-admin startproject` serves: a 200 page with neither the sha nor security headers.
    server = createServer((_req, res) =>
      res.writeHead(200, { 'content-type': 'text/html' }).end('<h1>The install worked successfully!</h1>'),
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it.each(['monolithic.yml', 'containerized.yml'])(
    '%s: the default presets pass and say that version was skipped',
    async (file) => {
      const inputs = smokeInputs(file, { 'environment-url': url }, {});
      expect(inputs).toMatchObject({ url, presets: 'version', 'expect-version': SHA, 'version-url': '' });
      const run = await runBundle('smoke', inputs);
      expect(run.exitCode, run.stdout).toBe(0);
      expect(run.outputs.passed).toBe('true');
      expect(run.stdout).toMatch(/::notice[^:]*::smoke preset version skipped: no "version-url"/);
      expect(run.summary).toContain('Preset `version` skipped');
    },
    60_000,
  );

  it('monolithic.yml with the example caller’s presets (version, security-headers): warnings, not a failure', async () => {
    const inputs = smokeInputs('monolithic.yml', { 'environment-url': url, 'smoke-presets': 'version,security-headers' }, {});
    const run = await runBundle('smoke', inputs);
    expect(run.exitCode, run.stdout).toBe(0);
    expect(run.stdout).toMatch(/::warning::security headers: Content-Security-Policy missing.*strict: true/);
    expect(run.summary).toMatch(/security headers \| warning/);
    const report = JSON.parse(run.outputs.report!) as { checks: { kind: string; passed: boolean; warning?: boolean }[] };
    expect(report.checks.find((c) => c.kind === 'security-headers')).toMatchObject({ passed: true, warning: true });

    const strict = await runBundle('smoke', {
      ...smokeInputs('monolithic.yml', { 'environment-url': url, 'smoke-presets': 'security-headers', 'smoke-strict': true }, {}),
      deadline: '1s',
    });
    expect(strict.exitCode).toBe(1);
    expect(strict.stdout).toContain('Content-Security-Policy missing');
  }, 60_000);

  it('monolithic.yml with version-url: the version preset runs and catches a page without the sha', async () => {
    const inputs = smokeInputs('monolithic.yml', { 'environment-url': url, 'version-url': url }, {});
    const run = await runBundle('smoke', { ...inputs, deadline: '1s' });
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toContain('old release may still be serving');
  }, 60_000);

  it('separated.yml: the default presets (cors needs api-url) pass against a plain frontend', async () => {
    const inputs = smokeInputs('separated.yml', {}, { frontend: { url: url.replace(/\/$/, '') } });
    const run = await runBundle('smoke', inputs);
    expect(run.exitCode, run.stdout).toBe(0);
  }, 60_000);
});

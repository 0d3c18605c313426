import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

import { convertWorkflowTemplate, NoOperationTraceWriter, parseWorkflow } from '@actions/workflow-parser';
import type { FileProvider } from '@actions/workflow-parser/workflows/file-provider';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';

import { ROOT } from '../../harness/services/runner.js';
import { actions } from '../../src/registry.js';

/**
 * The reusable workflows and the example callers are what users copy; a typo in an input name
 * there only shows up on a real runner. These tests parse them with GitHub's own parser and check
 * every `with:` against the action.yml / workflow_call it feeds.
 */

const REUSABLE_NAMES = ['monolithic', 'separated', 'containerized', 'backup', 'rollback'];
/** The reusable workflows present (a missing one fails the last test). */
const REUSABLE = REUSABLE_NAMES.map((name) => join(ROOT, '.github', 'workflows', `${name}.yml`)).filter((file) => existsSync(file));
/** The kit's own CI and release workflows. */
const OWN = ['ci', 'release'].map((name) => join(ROOT, '.github', 'workflows', `${name}.yml`));
const EXAMPLES_DIR = join(ROOT, 'examples', 'workflows');
const EXAMPLES = existsSync(EXAMPLES_DIR)
  ? readdirSync(EXAMPLES_DIR)
      .filter((file) => /\.ya?ml$/.test(file))
      .map((file) => join(EXAMPLES_DIR, file))
  : [];
/** How the examples call the kit (OWNER is the placeholder users replace). */
const KIT = 'OWNER/deploy-kit';

type Mapping = Record<string, unknown>;

interface Step {
  name?: string;
  id?: string;
  uses?: string;
  run?: string;
  with?: Mapping;
}

interface Job {
  uses?: string;
  needs?: string | string[];
  with?: Mapping;
  secrets?: Mapping | 'inherit';
  steps?: Step[];
  outputs?: Mapping;
  permissions?: Mapping | string;
  'runs-on'?: string;
  environment?: string | { name: string; deployment?: boolean };
  concurrency?: { group: string; 'cancel-in-progress'?: boolean; queue?: string } | string;
}

interface WorkflowCall {
  inputs?: Record<string, { type: string; required?: boolean; default?: unknown }>;
  secrets?: Record<string, { required?: boolean }>;
  outputs?: Record<string, { value: string }>;
}

interface Workflow {
  /** `on: push`, `on: [push, pull_request]` or a mapping of events. */
  on: string | string[] | (Mapping & { workflow_call?: WorkflowCall | null });
  permissions?: Mapping;
  jobs: Record<string, Job>;
}

interface ActionInputs {
  inputs?: Record<string, { required?: boolean; default?: unknown }>;
}

const rel = (file: string) => relative(ROOT, file);
const events = (workflow: Workflow) =>
  typeof workflow.on === 'string' ? [workflow.on] : Array.isArray(workflow.on) ? workflow.on : Object.keys(workflow.on);
const workflowCall = (workflow: Workflow): WorkflowCall =>
  (typeof workflow.on === 'object' && !Array.isArray(workflow.on) ? workflow.on.workflow_call : undefined) ?? {};
const load = (file: string) => parse(readFileSync(file, 'utf8')) as Workflow;

/** Every step that calls an action, with where it is. */
function actionSteps(file: string) {
  const found: { where: string; uses: string; with: Mapping }[] = [];
  for (const [jobId, job] of Object.entries(load(file).jobs)) {
    (job.steps ?? []).forEach((step, index) => {
      if (step.uses)
        found.push({ where: `${rel(file)} ${jobId} step ${step.id ?? step.name ?? index + 1}`, uses: step.uses, with: step.with ?? {} });
    });
  }
  return found;
}

/** `$/backend` in a reusable workflow, `OWNER/deploy-kit/backend@v1` in an example. */
function kitAction(uses: string): string | undefined {
  return /^\$\/([a-z-]+)$/.exec(uses)?.[1] ?? new RegExp(`^${KIT}/([a-z-]+)@`).exec(uses)?.[1];
}

/** Serves `OWNER/deploy-kit/<path>@<ref>` and local `./<path>` from this tree, so the parser checks
 * each call of a reusable workflow (unknown and missing inputs and secrets) against the file as it is here. */
const kitFiles: FileProvider = {
  async getFileContent(ref) {
    if ('repository' in ref && `${ref.owner}/${ref.repository}` !== KIT) throw new Error(`not a kit file: ${JSON.stringify(ref)}`);
    return { name: ref.path, content: readFileSync(join(ROOT, ref.path), 'utf8') };
  },
};

async function parseErrors(file: string): Promise<string[]> {
  const result = parseWorkflow({ name: rel(file), content: readFileSync(file, 'utf8') }, new NoOperationTraceWriter());
  const errors = result.context.errors.getErrors().map((error) => error.message);
  if (errors.length > 0 || !result.value) return errors.length > 0 ? errors : ['no workflow parsed'];
  const template = await convertWorkflowTemplate(result.context, result.value, kitFiles, { fetchReusableWorkflowDepth: 1 });
  // The conversion adds its errors to the context and copies them into template.errors.
  return (template.errors ?? []).map((error) => error.Message);
}

/** Checks a `with:` block against declared inputs; returns the problems found. */
function checkWith(passed: Mapping, declared: Record<string, { required?: boolean; default?: unknown }>) {
  const problems: string[] = [];
  for (const key of Object.keys(passed)) {
    if (!(key in declared)) problems.push(`passes unknown input \`${key}\``);
  }
  for (const [key, spec] of Object.entries(declared)) {
    if (spec.required && spec.default === undefined && !(key in passed)) problems.push(`misses required input \`${key}\``);
  }
  return problems;
}

describe.each([...REUSABLE, ...OWN, ...EXAMPLES].map((file) => [rel(file), file]))('%s', (_name, file) => {
  it('parses with @actions/workflow-parser without errors', async () => {
    expect(await parseErrors(file)).toEqual([]);
  });

  it('never puts ${{ }} inside a run: script (values go through env:)', () => {
    for (const [jobId, job] of Object.entries(load(file).jobs)) {
      for (const step of job.steps ?? []) {
        if (step.run !== undefined) expect(step.run, `${jobId}: ${step.name ?? step.run}`).not.toContain('${{');
      }
    }
  });

  it('refers only to steps and jobs that exist (a typo would read as an empty string)', () => {
    for (const [jobId, job] of Object.entries(load(file).jobs)) {
      const text = stringify(job);
      const stepIds = (job.steps ?? []).map((step) => step.id);
      const needs = typeof job.needs === 'string' ? [job.needs] : (job.needs ?? []);
      for (const [, id] of text.matchAll(/\bsteps\.([A-Za-z0-9_-]+)/g)) expect(stepIds, `${jobId}: steps.${id}`).toContain(id);
      for (const [, id] of text.matchAll(/\bneeds\.([A-Za-z0-9_-]+)/g)) expect(needs, `${jobId}: needs.${id}`).toContain(id);
    }
  });

  it('never runs on pull_request_target', () => {
    expect(events(load(file))).not.toContain('pull_request_target');
  });

  const calls = actionSteps(file).filter((step) => kitAction(step.uses));

  it.each(calls.map((step) => [`${step.uses} in ${step.where}`, step] as const))(
    'passes only inputs that %s declares, and all it requires',
    (_label, step) => {
      const action = kitAction(step.uses)!;
      const metadata = join(ROOT, action, 'action.yml');
      expect(existsSync(metadata), `${step.where} uses ${step.uses} but ${action}/action.yml is missing`).toBe(true);
      const declared = (parse(readFileSync(metadata, 'utf8')) as ActionInputs).inputs ?? {};
      expect(checkWith(step.with, declared), step.where).toEqual([]);
    },
  );
});

describe.each(REUSABLE.map((file) => [rel(file), file]))('reusable workflow %s', (_name, file) => {
  const workflow = load(file);
  const call = workflowCall(workflow);
  const text = readFileSync(file, 'utf8');

  it('is called with workflow_call and declares inputs of string, boolean or number only', () => {
    expect(events(workflow)).toEqual(['workflow_call']);
    for (const [input, spec] of Object.entries(call.inputs ?? {})) {
      expect(['string', 'boolean', 'number'], input).toContain(spec.type);
    }
  });

  it('reads only inputs and secrets it declares', () => {
    const inputs = new Set([...text.matchAll(/\binputs\.([A-Za-z0-9_-]+)/g)].map((match) => match[1]!));
    const secrets = new Set([...text.matchAll(/\bsecrets\.([A-Za-z0-9_-]+)/g)].map((match) => match[1]!));
    for (const input of inputs) expect(Object.keys(call.inputs ?? {}), `inputs.${input}`).toContain(input);
    for (const secret of secrets) expect(Object.keys(call.secrets ?? {}), `secrets.${secret}`).toContain(secret);
  });

  it('grants nothing at the top and declares permissions on every job', () => {
    expect(workflow.permissions).toEqual({});
    for (const [jobId, job] of Object.entries(workflow.jobs)) expect(job.permissions, jobId).toBeDefined();
  });

  it('queues every run of a group in order (queue: max): a queued deploy never cancels a pending rollback', () => {
    const changing = ['backend', 'frontend', 'rollback', 'migrate', 'backup', 'restore'];
    for (const [jobId, job] of Object.entries(workflow.jobs)) {
      if (!(job.steps ?? []).some((step) => changing.includes(kitAction(step.uses ?? '') ?? ''))) continue;
      const environment = typeof job.environment === 'string' ? job.environment : job.environment?.name;
      expect(environment, `${jobId} environment`).toBe('${{ inputs.environment }}');
      expect(job.concurrency, `${jobId} concurrency`).toMatchObject({ queue: 'max' });
      expect(job.concurrency, `${jobId} concurrency`).not.toHaveProperty('cancel-in-progress');
      const group = typeof job.concurrency === 'string' ? job.concurrency : job.concurrency!.group;
      expect(group, `${jobId} concurrency group`).toMatch(/^(deploy|backup)-\$\{\{ inputs\.environment \}\}$/);
    }
  });

  it('records no deployment for a backup job, which uses the environment only for its secrets', () => {
    for (const [jobId, job] of Object.entries(workflow.jobs)) {
      if (!(job.steps ?? []).some((step) => kitAction(step.uses ?? '') === 'backup')) continue;
      expect(job.environment, jobId).toMatchObject({ deployment: false });
    }
  });

  it('runs every job on the runs-on input (default ubuntu-latest)', () => {
    expect(call.inputs?.['runs-on']).toMatchObject({ type: 'string', default: 'ubuntu-latest' });
    for (const [jobId, job] of Object.entries(workflow.jobs)) expect(job['runs-on'], jobId).toBe('${{ inputs.runs-on }}');
  });

  it("feeds each kit action's secret inputs from declared secrets only (never from inputs, which are logged)", () => {
    for (const step of actionSteps(file)) {
      const action = kitAction(step.uses);
      if (!action) continue;
      for (const input of actions[action]!.secretInputs) {
        const value = step.with[input];
        if (value === undefined) continue;
        // github.token is the runner's own secret; an input compared (`inputs.provider == ...`) only picks one.
        const read = [
          ...String(value).matchAll(/\b(inputs|secrets|vars|steps|needs|github)\.([A-Za-z0-9_-]+)(?![A-Za-z0-9_-]|\s*==)/g),
        ].filter(([, context, name]) => !(context === 'github' && name === 'token'));
        expect(read.length + (String(value).includes('github.token') ? 1 : 0), `${step.where} ${input}: ${String(value)}`).toBeGreaterThan(
          0,
        );
        for (const [, context, name] of read) {
          expect(context, `${step.where} ${input}`).toBe('secrets');
          expect(Object.keys(call.secrets ?? {}), `${step.where} ${input}: secrets.${name}`).toContain(name);
        }
      }
    }
  });

  it('declares its secrets optional, since environment secrets are not visible where GitHub checks required', () => {
    for (const [secret, spec] of Object.entries(call.secrets ?? {})) expect(spec.required ?? false, secret).toBe(false);
  });

  it('exposes outputs that its jobs declare', () => {
    for (const [output, spec] of Object.entries(call.outputs ?? {})) {
      const [, job, name] = /^\$\{\{ jobs\.([a-z0-9_-]+)\.outputs\.([a-z0-9_-]+) \}\}$/.exec(spec.value) ?? [];
      expect(workflow.jobs[job ?? '']?.outputs ?? {}, `${output}: ${spec.value}`).toHaveProperty([name ?? '']);
    }
  });
});

describe.each(EXAMPLES.map((file) => [rel(file), file]))('example %s', (_name, file) => {
  const calls = Object.entries(load(file).jobs).filter(([, job]) => job.uses?.startsWith(`${KIT}/.github/workflows/`));

  it.skipIf(calls.length === 0).each(calls)('job %s calls the reusable workflow with inputs and secrets it declares', (jobId, job) => {
    const name = /\.github\/workflows\/([a-z-]+\.yml)@/.exec(job.uses!)?.[1];
    const target = join(ROOT, '.github', 'workflows', name ?? '?');
    expect(existsSync(target), `${jobId} calls ${job.uses}`).toBe(true);
    const call = workflowCall(load(target));
    expect(checkWith(job.with ?? {}, call.inputs ?? {}), `${jobId} with:`).toEqual([]);
    // GitHub rejects a literal of the wrong type for a boolean or number input when the run starts.
    for (const [input, value] of Object.entries(job.with ?? {})) {
      const type = call.inputs?.[input]?.type;
      const literal = !(typeof value === 'string' && value.includes('${{'));
      if (literal && (type === 'boolean' || type === 'number')) expect(typeof value, `${jobId} with.${input}`).toBe(type);
    }
    if (job.secrets !== 'inherit') expect(checkWith(job.secrets ?? {}, call.secrets ?? {}), `${jobId} secrets:`).toEqual([]);
  });

  it.skipIf(calls.length === 0).each(calls)(
    'job %s follows the secrets rule (docs/strategies/README.md#secrets): secrets: inherit, so environment secrets arrive',
    (jobId, job) => {
      const name = /\.github\/workflows\/([a-z-]+\.yml)@/.exec(job.uses!)?.[1];
      const called = load(join(ROOT, '.github', 'workflows', name ?? '?'));
      const read = new Set([...stringify(called.jobs).matchAll(/\bsecrets\.([A-Za-z0-9_]+)/g)].map((match) => match[1]!));
      // An explicit mapping is evaluated in this job, which has no environment: environment secrets map to ''.
      if (read.size > 0) expect(job.secrets, `${jobId} reads ${[...read].join(', ')}`).toBe('inherit');
      for (const secret of read)
        expect(Object.keys(workflowCall(called).secrets ?? {}), `${name} reads secrets.${secret}`).toContain(secret);
    },
  );
});

/** The node24 majors of the third-party actions the workflows and examples use. */
const PINNED: Record<string, string> = { 'actions/checkout': 'v7', 'actions/setup-node': 'v7', 'actions/setup-python': 'v7' };

describe.each([...REUSABLE, ...EXAMPLES].map((file) => [rel(file), file]))('%s third-party actions', (_name, file) => {
  it('uses the node24 majors of actions/checkout, setup-node and setup-python', () => {
    for (const step of actionSteps(file)) {
      const [name, ref] = step.uses.split('@');
      if (name! in PINNED) expect(ref, step.where).toBe(PINNED[name!]);
    }
  });
});

describe("the kit's own CI and release", () => {
  const [ci, release] = OWN.map(load) as [Workflow, Workflow];

  it('pins every action from outside the repository by full commit sha, with the version beside it', () => {
    for (const file of OWN) {
      const lines = readFileSync(file, 'utf8').split('\n');
      for (const line of lines.filter((text) => /^\s*(- )?uses: (?!\.\/)/.test(text))) {
        expect(line, rel(file)).toMatch(/uses: [\w.-]+\/[\w.-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$/);
      }
    }
  });

  it('runs CI on pull requests and pushes, and lets the release call it', () => {
    expect(events(ci)).toEqual(expect.arrayContaining(['push', 'pull_request', 'workflow_call']));
    expect(ci.permissions).toEqual({ contents: 'read' });
  });

  it('releases on a version tag or by hand, only after CI passed on the same commit, with write access in that job alone', () => {
    expect(release.on).toMatchObject({
      push: { tags: ['v[0-9]+.[0-9]+.[0-9]+'] },
      workflow_dispatch: { inputs: { version: { required: true } } },
    });
    expect(release.permissions).toEqual({});
    expect(release.jobs.ci).toMatchObject({ uses: './.github/workflows/ci.yml', permissions: { contents: 'read' } });
    expect(release.jobs.release).toMatchObject({ needs: 'ci', permissions: { contents: 'write' } });
    const steps = release.jobs.release!.steps ?? [];
    const tagging = steps.findIndex((step) => step.run?.startsWith('node scripts/release.mjs '));
    const publishing = steps.findIndex((step) => step.run?.includes('gh release create'));
    expect(steps[0]).toMatchObject({ with: { ref: '${{ github.sha }}', 'fetch-depth': 0 } });
    expect(steps[tagging]!.run).toContain('--build "npm run build"');
    expect(tagging).toBeGreaterThan(0);
    expect(publishing).toBeGreaterThan(tagging);
  });

  it('has Dependabot update npm packages and the pinned actions', () => {
    const config = parse(readFileSync(join(ROOT, '.github', 'dependabot.yml'), 'utf8')) as { updates: { 'package-ecosystem': string }[] };
    expect(config.updates.map((update) => update['package-ecosystem']).sort()).toEqual(['github-actions', 'npm']);
  });
});

describe('the test sees what it checks', () => {
  it('reports parse errors for a broken workflow', async () => {
    const broken = ['on: workflow_call', 'jobs:', '  deploy:', '    runs-on: ubuntu-latest', '    step:', '      - uses: $/backend'].join(
      '\n',
    );
    const result = parseWorkflow({ name: 'broken.yml', content: broken }, new NoOperationTraceWriter());
    expect(
      result.context.errors
        .getErrors()
        .map((error) => error.message)
        .join('\n'),
    ).toMatch(/step/);
  });

  it('names unknown and missing inputs', () => {
    const declared = { path: { required: true }, hosts: {}, 'keep-releases': { required: true, default: '5' } };
    expect(checkWith({ host: 'a', hosts: 'b' }, declared)).toEqual(['passes unknown input `host`', 'misses required input `path`']);
  });

  it('finds every reusable workflow and at least one example per strategy', () => {
    expect(REUSABLE.map(rel)).toEqual(REUSABLE_NAMES.map((name) => `.github/workflows/${name}.yml`));
    const called = EXAMPLES.flatMap((file) => Object.values(load(file).jobs).map((job) => job.uses ?? ''));
    for (const name of REUSABLE_NAMES) {
      expect(
        called.some((uses) => uses.includes(`/.github/workflows/${name}.yml@`)),
        name,
      ).toBe(true);
    }
  });
});

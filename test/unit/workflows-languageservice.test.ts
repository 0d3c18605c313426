import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';

import { type ActionsMetadataProvider, validate } from '@actions/languageservice';
import type { FileProvider } from '@actions/workflow-parser/workflows/file-provider';
import { describe, expect, it } from 'vitest';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { parse } from 'yaml';

import { ROOT } from '../../harness/services/runner.js';

/**
 * GitHub's own validator (the one behind the VS Code extension) on every reusable workflow, example
 * caller and action.yml: unknown keys and inputs, contexts used where they are not available,
 * expression types. The kit's own actions and reusable workflows are served from this tree; other
 * actions (actions/checkout ...) have no metadata here, so only their syntax is checked.
 */

const KIT = 'OWNER/deploy-kit';
const rel = (file: string) => relative(ROOT, file);
const yamlIn = (dir: string) =>
  readdirSync(join(ROOT, dir))
    .filter((file) => /\.ya?ml$/.test(file))
    .map((file) => join(ROOT, dir, file));

const WORKFLOWS = ['monolithic', 'separated', 'containerized', 'backup', 'rollback'].map((name) =>
  join(ROOT, '.github', 'workflows', `${name}.yml`),
);
const EXAMPLES = yamlIn('examples/workflows');
const ACTIONS = [
  join(ROOT, 'action.yml'),
  ...readdirSync(ROOT, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && readdirSync(join(ROOT, entry.name)).includes('action.yml'))
    .map((entry) => join(ROOT, entry.name, 'action.yml')),
];

/** Serves `OWNER/deploy-kit/...` (examples) and `$/...` (the reusable workflows' own repository) from this tree. */
const kitFiles: FileProvider = {
  async getFileContent(ref) {
    if ('repository' in ref && `${ref.owner}/${ref.repository}` !== KIT) throw new Error(`not a kit file: ${JSON.stringify(ref)}`);
    return { name: ref.path, content: readFileSync(join(ROOT, ref.path), 'utf8') };
  },
};

/**
 * The inputs of the third-party actions the workflows use, at the majors workflows.test.ts pins
 * (their action.yml; only the inputs the kit passes matter here, since there is no network).
 */
const THIRD_PARTY: Record<string, string[]> = {
  'actions/checkout@v7': ['repository', 'ref', 'token', 'path', 'fetch-depth', 'persist-credentials'],
  'actions/setup-node@v7': ['node-version', 'node-version-file', 'cache', 'registry-url'],
  'actions/setup-python@v7': ['python-version', 'python-version-file', 'cache'],
};

const actionMetadata: ActionsMetadataProvider = {
  async fetchActionMetadata(action) {
    if (`${action.owner}/${action.name}` === KIT) return parse(readFileSync(join(ROOT, action.path ?? '', 'action.yml'), 'utf8')) as never;
    const inputs = THIRD_PARTY[`${action.owner}/${action.name}@${action.ref}`];
    if (!inputs) return undefined; // reported as unresolvable: pin it in THIRD_PARTY (and in workflows.test.ts)
    return { name: action.name, description: '', inputs: Object.fromEntries(inputs.map((input) => [input, { description: '' }])) };
  },
};

async function diagnostics(file: string): Promise<string[]> {
  const document = TextDocument.create(`file://${file}`, 'yaml', 1, readFileSync(file, 'utf8'));
  const found = await validate(document, { fileProvider: kitFiles, actionsMetadataProvider: actionMetadata });
  return found.map((d) => `${rel(file)}:${d.range.start.line + 1}: ${d.message}`);
}

describe('@actions/languageservice validation', () => {
  it.each([...WORKFLOWS, ...EXAMPLES, ...ACTIONS].map((file) => [rel(file), file]))('%s has no diagnostics', async (_name, file) => {
    expect(await diagnostics(file)).toEqual([]);
  });

  it('sees what it checks: an unknown input of a kit action and a misplaced context', async () => {
    const dir = join(ROOT, '.tmp');
    mkdirSync(dir, { recursive: true });
    const file = join(dir, 'broken-caller.yml');
    writeFileSync(
      file,
      [
        'on: push',
        'jobs:',
        '  deploy:',
        '    runs-on: ${{ steps.x.outputs.y }}',
        '    steps:',
        `      - uses: ${KIT}/backend@v1`,
        '        with:',
        '          hostz: a',
      ].join('\n'),
    );
    try {
      const found = (await diagnostics(file)).join('\n');
      expect(found).toMatch(/hostz/);
      expect(found).toMatch(/steps/);
    } finally {
      rmSync(file);
    }
  });
});

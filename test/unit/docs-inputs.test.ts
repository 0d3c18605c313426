import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

import { ROOT } from '../../harness/services/runner.js';

/**
 * What users copy from docs/ and examples/ must name inputs and outputs that exist: an unknown
 * `with:` key is only a runner warning, and an unknown output reads as an empty string. Each
 * `uses: OWNER/deploy-kit/<action>@...` step is checked against `<action>/action.yml`, each call
 * of a reusable workflow against its `workflow_call`, each `deploy-kit <action> --flag` against
 * the action's inputs, and each `## Inputs` table of docs/<action>.md against its action.yml.
 */

interface Declared {
  inputs: string[];
  outputs: string[];
}

type Node = unknown;

const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');
const keys = (value: unknown) => Object.keys((value ?? {}) as Record<string, unknown>);

function actionMetadata(action: string): Declared | undefined {
  const file = action === '' ? 'action.yml' : `${action}/action.yml`;
  if (!existsSync(join(ROOT, file))) return undefined;
  const metadata = parse(read(file)) as { inputs?: object; outputs?: object };
  return { inputs: keys(metadata.inputs), outputs: keys(metadata.outputs) };
}

function workflowMetadata(name: string): Declared | undefined {
  const file = `.github/workflows/${name}`;
  if (!existsSync(join(ROOT, file))) return undefined;
  const call = (parse(read(file)) as { on: { workflow_call?: { inputs?: object; outputs?: object } } }).on.workflow_call ?? {};
  return { inputs: [...keys(call.inputs), ...keys((call as { secrets?: object }).secrets)], outputs: keys(call.outputs) };
}

/** What a `uses:` of the kit names: an action (`''` is the root action.yml) or a reusable workflow. */
function target(uses: string): { label: string; declared: Declared | undefined } | undefined {
  const workflow = /^OWNER\/deploy-kit\/\.github\/workflows\/([a-z-]+\.yml)@/.exec(uses);
  if (workflow) return { label: workflow[1]!, declared: workflowMetadata(workflow[1]!) };
  const action = /^(?:OWNER\/deploy-kit(?:\/([a-z-]+))?@|\.\/\.deploy-kit\/([a-z-]+)$|\$\/([a-z-]+)$)/.exec(uses);
  if (!action) return undefined;
  const name = action[1] ?? action[2] ?? action[3] ?? '';
  return { label: name === '' ? 'action.yml' : `${name}/action.yml`, declared: actionMetadata(name) };
}

/** Every mapping in a parsed YAML document that has a string `uses`. */
function usesNodes(node: Node, found: Record<string, unknown>[] = []): Record<string, unknown>[] {
  if (Array.isArray(node)) for (const item of node) usesNodes(item, found);
  else if (node && typeof node === 'object') {
    const mapping = node as Record<string, unknown>;
    if (typeof mapping.uses === 'string') found.push(mapping);
    for (const value of Object.values(mapping)) usesNodes(value, found);
  }
  return found;
}

/** Each YAML snippet a user may copy: fenced yaml blocks in Markdown, whole files in examples/. */
function snippets(): { where: string; text: string }[] {
  const walk = (dir: string): string[] =>
    readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]));
  const files = ['README.md', ...walk('docs'), ...walk('examples')];
  const found: { where: string; text: string }[] = [];
  for (const file of files) {
    if (/\.ya?ml$/.test(file)) found.push({ where: file, text: read(file) });
    if (!file.endsWith('.md')) continue;
    for (const match of read(file).matchAll(/^```ya?ml\n([\s\S]*?)^```/gm)) {
      const line = read(file).slice(0, match.index).split('\n').length;
      found.push({ where: `${file}:${line}`, text: match[1]! });
    }
  }
  return found;
}

/** Problems in one snippet: unknown `with:` keys and unknown outputs read from a kit step or job. */
function snippetProblems(text: string): string[] {
  let document: Node;
  try {
    document = parse(text);
  } catch {
    return []; // a fragment that is not YAML on its own (an ellipsis, a template) has nothing to check
  }
  const problems: string[] = [];
  const producers = new Map<string, Declared>();
  const ids = new Set(usesNodes(document).map((node) => node.id));
  for (const match of text.matchAll(/^\s*(?:- )?id: ['"]?([A-Za-z0-9_-]+)/gm)) ids.add(match[1]!);
  for (const node of usesNodes(document)) {
    const kit = target(node.uses as string);
    if (!kit) continue;
    if (!kit.declared) {
      problems.push(`uses ${node.uses as string}, but ${kit.label} does not exist`);
      continue;
    }
    for (const key of keys(node.with)) if (!kit.declared.inputs.includes(key)) problems.push(`${kit.label} has no input \`${key}\``);
    if (node.secrets && node.secrets !== 'inherit')
      for (const key of keys(node.secrets)) if (!kit.declared.inputs.includes(key)) problems.push(`${kit.label} has no secret \`${key}\``);
    if (typeof node.id === 'string') producers.set(`steps.${node.id}`, kit.declared);
  }
  // A job calling a reusable workflow is the mapping under `jobs.<id>` that has `uses`.
  const jobs = (document as { jobs?: Record<string, { uses?: unknown }> } | null)?.jobs ?? {};
  for (const [jobId, job] of Object.entries(jobs)) {
    const kit = typeof job?.uses === 'string' ? target(job.uses) : undefined;
    if (kit?.declared) producers.set(`needs.${jobId}`, kit.declared);
  }
  for (const match of text.matchAll(/\b((?:steps|needs)\.[A-Za-z0-9_-]+)\.outputs\.([A-Za-z0-9_-]+)/g)) {
    const declared = producers.get(match[1]!);
    if (declared && !declared.outputs.includes(match[2]!)) problems.push(`${match[1]!} has no output \`${match[2]!}\``);
    else if (!declared && match[1]!.startsWith('steps.') && !ids.has(match[1]!.slice(6)))
      problems.push(`${match[0]} reads a step that is not in the snippet`);
  }
  return problems;
}

/** `deploy-kit <action> --flag ...` anywhere in docs (code blocks and inline code), continuation lines joined. */
function cliCalls(): { where: string; action: string; flags: string[] }[] {
  const found: { where: string; action: string; flags: string[] }[] = [];
  const files = ['README.md', ...readdirSync(join(ROOT, 'docs'), { recursive: true, encoding: 'utf8' }).map((f) => `docs/${f}`)];
  for (const file of files.filter((f) => f.endsWith('.md'))) {
    const text = read(file).replace(/\\\n\s*/g, ' ');
    for (const match of text.matchAll(/deploy-kit(?:#v1)? ([a-z]+)((?: +[^\s`|]+)*)/g)) {
      if (!actionMetadata(match[1] === 'deploy' ? '' : match[1]!)) continue;
      const flags = [...match[2]!.matchAll(/(?:^| )--([a-z][a-z0-9-]*)/g)].map((flag) => flag[1]!);
      if (flags.length > 0) found.push({ where: file, action: match[1]!, flags });
    }
  }
  return found;
}

describe('docs and examples name inputs and outputs that exist', () => {
  const all = snippets();

  it('finds the snippets it checks', () => {
    expect(all.length).toBeGreaterThan(30);
    expect(cliCalls().length).toBeGreaterThan(3);
  });

  it.each(all.map((snippet) => [snippet.where, snippet.text]))('%s', (_where, text) => {
    expect(snippetProblems(text)).toEqual([]);
  });

  it.each(cliCalls().map((call) => [`${call.where}: deploy-kit ${call.action}`, call] as const))(
    '%s flags are its inputs',
    (_label, call) => {
      const inputs = actionMetadata(call.action === 'deploy' ? '' : call.action)!.inputs;
      const known = (flag: string) =>
        flag === 'help' || inputs.includes(flag) || (flag.endsWith('-file') && inputs.includes(flag.slice(0, -5)));
      const unknown = call.flags.filter((flag) => !known(flag));
      expect(unknown).toEqual([]);
    },
  );

  const pages = readdirSync(join(ROOT, 'docs'))
    .filter((file) => file.endsWith('.md') && actionMetadata(file.slice(0, -3)))
    .map((file) => [file.slice(0, -3)]);
  it.each(pages)('docs/%s.md: every input in its Inputs table is in action.yml', (action) => {
    // The first table of the section lists the inputs; later ones (smoke's check fields) are not inputs.
    const section = /^## Inputs\n[^|]*((?:^\|.*\n)+)/m.exec(read(`docs/${action}.md`))?.[1] ?? '';
    const listed = [...section.matchAll(/^\| `([a-z][a-z0-9-]*)`/gm)].map((match) => match[1]!);
    const inputs = actionMetadata(action)!.inputs;
    expect(listed.filter((name) => !inputs.includes(name))).toEqual([]);
  });
});

describe('the docs check sees what it checks', () => {
  it('names an unknown input, an unknown output and a missing action', () => {
    const text = [
      '- uses: OWNER/deploy-kit/frontend@v1',
      '  id: site',
      '  with: { max-parallel: 2 }',
      '- uses: OWNER/deploy-kit/nope@v1',
      '- run: echo ${{ steps.site.outputs.nothing }}',
    ].join('\n');
    expect(snippetProblems(text)).toEqual([
      'frontend/action.yml has no input `max-parallel`',
      'uses OWNER/deploy-kit/nope@v1, but nope/action.yml does not exist',
      'steps.site has no output `nothing`',
    ]);
  });
});

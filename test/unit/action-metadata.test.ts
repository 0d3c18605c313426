import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

import { ROOT } from '../../harness/services/runner.js';
import { actions, metadataPath } from '../../src/registry.js';

interface ActionYaml {
  name: string;
  description: string;
  inputs?: Record<string, { description?: string; default?: string; required?: boolean }>;
  outputs?: Record<string, { description?: string }>;
  runs: { using: string; main: string; post?: string };
}

describe.each(Object.entries(actions))('%s action.yml', (name, definition) => {
  const metadata = parse(readFileSync(join(ROOT, metadataPath(name)), 'utf8')) as ActionYaml;
  const bundle = name === 'deploy' ? 'dist/deploy/index.js' : `../dist/${name}/index.js`;

  it('declares exactly the inputs the schema reads, each described', () => {
    expect(Object.keys(metadata.inputs ?? {}).sort()).toEqual(Object.keys(definition.schema.shape).sort());
    for (const [input, spec] of Object.entries(metadata.inputs ?? {})) expect(spec.description, input).toBeTruthy();
  });

  it('declares exactly the outputs the action sets, each described', () => {
    expect(Object.keys(metadata.outputs ?? {}).sort()).toEqual([...definition.outputs].sort());
    for (const [output, spec] of Object.entries(metadata.outputs ?? {})) expect(spec.description, output).toBeTruthy();
  });

  it('runs the committed bundle on node24', () => {
    expect(metadata.runs.using).toBe('node24');
    expect(metadata.runs.main).toBe(bundle);
    if (definition.post) expect(metadata.runs.post).toBe(bundle);
  });

  it('documents the defaults the schema applies', () => {
    for (const [input, spec] of Object.entries(metadata.inputs ?? {})) {
      // An expression default (`${{ github.token }}`) is filled in by the runner, never by the schema.
      if (spec.default === undefined || /^\$\{\{.*\}\}$/.test(String(spec.default))) continue;
      const fromSchema = definition.schema.shape[input]!.safeParse('');
      const fromYaml = definition.schema.shape[input]!.safeParse(String(spec.default));
      expect(fromYaml.success, `${input} default "${spec.default}" must parse`).toBe(true);
      expect(fromSchema.data, `${input}: the schema default must equal action.yml's`).toEqual(fromYaml.data);
    }
  });
});

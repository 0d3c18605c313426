import { describe, expect, it } from 'vitest';

import { annotate, type AnnotationKind, type AnnotationPosition, type Logger } from '../../src/core/logger.js';
import { Annotator } from '../../src/gate/annotations.js';
import { parseEslintJson, parseLintText } from '../../src/gate/lint.js';

function recordingLogger(withAnnotate = true) {
  const lines: string[] = [];
  const annotations: { kind: AnnotationKind; message: string; position: AnnotationPosition }[] = [];
  const logger: Logger = {
    info: (m) => lines.push(`info ${m}`),
    warning: (m) => lines.push(`warning ${m}`),
    error: (m) => lines.push(`error ${m}`),
    debug: () => undefined,
    mask: () => undefined,
    group: (_n, fn) => fn(),
  };
  if (withAnnotate) logger.annotate = (kind, message, position) => annotations.push({ kind, message, position });
  return { logger, lines, annotations };
}

describe('linter output', () => {
  it.each([
    [
      'ruff concise',
      'app/models.py:12:5: F401 [*] `os` imported but unused',
      { kind: 'error', file: 'app/models.py', line: 12, col: 5, rule: 'F401', message: '[*] `os` imported but unused' },
    ],
    [
      'flake8 warning code',
      './app/views.py:3:80: W291 trailing whitespace',
      { kind: 'warning', file: './app/views.py', line: 3, col: 80, rule: 'W291', message: 'trailing whitespace' },
    ],
    [
      'mypy',
      'app/api.py:20:9: error: Incompatible return value type (got "int", expected "str")  [return-value]',
      {
        kind: 'error',
        file: 'app/api.py',
        line: 20,
        col: 9,
        rule: 'return-value',
        message: 'Incompatible return value type (got "int", expected "str")',
      },
    ],
    [
      'mypy note, no column',
      'app/api.py:21: note: See docs',
      { kind: 'notice', file: 'app/api.py', line: 21, col: undefined, message: 'See docs' },
    ],
    [
      'eslint unix',
      '/w/src/App.tsx:4:10: Unexpected console statement. [Warning/no-console]',
      { kind: 'warning', file: '/w/src/App.tsx', line: 4, col: 10, rule: 'no-console', message: 'Unexpected console statement.' },
    ],
    [
      'eslint compact',
      '/w/src/App.tsx: line 7, col 3, Error - Missing semicolon. (semi)',
      { kind: 'error', file: '/w/src/App.tsx', line: 7, col: 3, rule: 'semi', message: 'Missing semicolon.' },
    ],
    [
      'tsc',
      "src/api.ts(3,7): error TS2322: Type 'number' is not assignable to type 'string'.",
      { kind: 'error', file: 'src/api.ts', line: 3, col: 7, rule: 'TS2322', message: "Type 'number' is not assignable to type 'string'." },
    ],
  ])('%s', (_name, line, finding) => {
    expect(parseLintText(line)).toEqual([expect.objectContaining(finding)]);
  });

  it('ignores summaries, diffs, colours and lines without a file', () => {
    const output = [
      'Found 3 errors.',
      '--- a/x.py',
      '+++ b/x.py',
      '@@ -1,3 +1,3 @@',
      'would reformat app/x.py',
      'http://localhost:8000: refused',
      '\x1b[1mapp/x.py\x1b[0m:1:1: E302 expected 2 blank lines',
    ].join('\n');
    expect(parseLintText(output)).toEqual([
      { kind: 'error', file: 'app/x.py', line: 1, col: 1, rule: 'E302', message: 'expected 2 blank lines' },
    ]);
  });

  it('reads eslint --format json with paths relative to the project', () => {
    const json = JSON.stringify([
      {
        filePath: '/w/src/App.tsx',
        messages: [
          { ruleId: 'no-unused-vars', severity: 2, message: "'x' is unused.", line: 3, column: 7 },
          { ruleId: null, severity: 1, message: 'Parsing warning', line: 1 },
        ],
      },
      { filePath: '/w/src/ok.ts', messages: [] },
    ]);
    expect(parseEslintJson(json, '/w')).toEqual([
      { kind: 'error', file: 'src/App.tsx', line: 3, col: 7, rule: 'no-unused-vars', message: "'x' is unused." },
      { kind: 'warning', file: 'src/App.tsx', line: 1, col: undefined, rule: undefined, message: 'Parsing warning' },
    ]);
    expect(parseEslintJson('Oops! Something went wrong!', '/w')).toEqual([]);
  });
});

describe('annotations', () => {
  it('annotates up to 10 per kind, logs the rest and says how many were dropped', () => {
    const { logger, lines, annotations } = recordingLogger();
    const annotator = new Annotator(logger);
    for (let i = 1; i <= 13; i += 1) annotator.add({ kind: 'error', message: `e${i}`, file: 'a.py', line: i, col: 1, title: 'ruff E1' });
    for (let i = 1; i <= 11; i += 1) annotator.add({ kind: 'warning', message: `w${i}`, file: 'b.py', line: i });
    annotator.add({ kind: 'notice', message: 'n' });
    expect(annotations.filter((a) => a.kind === 'error')).toHaveLength(10);
    expect(annotations.filter((a) => a.kind === 'warning')).toHaveLength(10);
    expect(annotations[0]).toEqual({ kind: 'error', message: 'e1', position: { file: 'a.py', line: 1, col: 1, title: 'ruff E1' } });
    expect(lines).toContain('info error (not annotated): a.py:11:1: ruff E1: e11');
    expect(lines).toContain('info warning (not annotated): b.py:11: w11');
    expect(annotator.annotated).toBe(21);
    expect(annotator.dropped).toBe(4);
    expect(annotator.droppedNote()).toBe('3 errors and 1 warning not annotated (GitHub shows 10 per kind per step); they are in the log');
  });

  it('has nothing to say when nothing was dropped', () => {
    const annotator = new Annotator(recordingLogger().logger);
    annotator.add({ kind: 'error', message: 'x' });
    expect(annotator.droppedNote()).toBeUndefined();
  });

  it('falls back to file:line:col text for loggers that cannot annotate', () => {
    const { logger, lines } = recordingLogger(false);
    annotate(logger, 'error', 'boom', { file: 'a.py', line: 3, col: 2 });
    annotate(logger, 'warning', 'careful', { file: 'b.py' });
    annotate(logger, 'notice', 'fyi');
    expect(lines).toEqual(['error a.py:3:2: boom', 'warning b.py: careful', 'info fyi']);
  });
});

describe('CLI runtime annotations', () => {
  it('prints kind, file:line:col, title and message', async () => {
    const { runCli } = await import('../../src/runtime/cli.js');
    const { defineAction } = await import('../../src/core/action.js');
    const { z } = await import('zod');
    const definition = defineAction({
      name: 'demo',
      schema: z.object({}),
      secretInputs: [],
      outputs: [],
      async run(_inputs, ctx) {
        annotate(ctx.logger, 'error', 'unused import', { file: 'app/x.py', line: 3, col: 1, title: 'ruff F401' });
        annotate(ctx.logger, 'warning', 'no position');
      },
    });
    let stderr = '';
    const code = await runCli(definition as never, { argv: [], env: {}, stdout: () => undefined, stderr: (t) => (stderr += t) });
    expect(code).toBe(0);
    expect(stderr).toContain('error: app/x.py:3:1: ruff F401: unused import\n');
    expect(stderr).toContain('warning: no position\n');
  });
});

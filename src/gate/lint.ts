import type { AnnotationKind } from '../core/logger.js';

/** One finding of a linter or type checker, pointing at a file and line of the project. */
export interface Finding {
  kind: AnnotationKind;
  file: string;
  line: number;
  col?: number;
  message: string;
  /** The rule or code (E501, no-unused-vars, TS2322). */
  rule?: string;
}

// ruff --output-format=concise, flake8, pycodestyle, mypy (path:line: error: msg), eslint --format unix.
// Terminal colour codes some linters print even when not on a TTY.
// eslint-disable-next-line no-control-regex
const ANSI_COLOR = /\x1b\[[0-9;]*m/g;
const COLON = /^(?<file>[^\s:][^:]*?):(?<line>\d+):(?:(?<col>\d+):)?\s*(?<rest>.+)$/;
// eslint --format compact: "path: line 3, col 5, Error - msg (rule)"
const COMPACT = /^(?<file>[^:]+): line (?<line>\d+), col (?<col>\d+), (?<sev>Error|Warning) - (?<msg>.+?)(?: \((?<rule>[^()]+)\))?$/;
// tsc: "src/a.ts(3,5): error TS2322: msg"
const TSC = /^(?<file>[^()\s][^()]*)\((?<line>\d+),(?<col>\d+)\): (?<sev>error|warning) (?<rule>TS\d+): (?<msg>.+)$/;

/** tsc's and eslint compact's lines: file, line, column, severity (either case), message and rule in named groups. */
function locatedFinding(line: string): Finding | undefined {
  for (const format of [TSC, COMPACT]) {
    const groups = format.exec(line)?.groups;
    if (!groups) continue;
    const { file, sev, msg, rule } = groups;
    return {
      kind: sev!.toLowerCase() === 'warning' ? 'warning' : 'error',
      file: file!,
      line: Number(groups.line),
      col: Number(groups.col),
      message: msg!,
      rule,
    };
  }
  return undefined;
}

function classify(rest: string): { kind: AnnotationKind; rule?: string; message: string } {
  // mypy: "error: msg  [code]" / "note: ..."
  const mypy = /^(error|warning|note): (.+?)(?:\s+\[([\w-]+)\])?$/.exec(rest);
  if (mypy) return { kind: mypy[1] === 'note' ? 'notice' : (mypy[1] as AnnotationKind), message: mypy[2]!, rule: mypy[3] };
  // eslint unix: "msg [Error/rule]"
  const unix = /^(.+?) \[(Error|Warning)(?:\/([^\]]+))?\]$/.exec(rest);
  if (unix) return { kind: unix[2] === 'Warning' ? 'warning' : 'error', message: unix[1]!, rule: unix[3] };
  // ruff / flake8: "E501 line too long" (W codes are warnings)
  const code = /^([A-Z]+\d+)\s+(.+)$/.exec(rest);
  if (code) return { kind: code[1]!.startsWith('W') ? 'warning' : 'error', message: code[2]!, rule: code[1] };
  return { kind: 'error', message: rest };
}

/** Findings in a linter's text output; lines that are not findings (summaries, diffs) are ignored. */
export function parseLintText(output: string): Finding[] {
  const findings: Finding[] = [];
  for (const raw of output.split('\n')) {
    const line = raw.replace(ANSI_COLOR, '').trimEnd();
    const located = locatedFinding(line);
    if (located) {
      findings.push(located);
      continue;
    }
    const colon = COLON.exec(line)?.groups;
    if (colon && /\.\w+$/.test(colon.file!)) {
      const { kind, message, rule } = classify(colon.rest!);
      findings.push({ kind, file: colon.file!, line: Number(colon.line), col: colon.col ? Number(colon.col) : undefined, message, rule });
    }
  }
  return findings;
}

interface EslintJsonResult {
  filePath: string;
  messages: { ruleId: string | null; severity: number; message: string; line?: number; column?: number }[];
}

/** eslint --format json: an array of files with messages (severity 2 = error, 1 = warning). */
export function parseEslintJson(output: string, projectDir: string): Finding[] {
  const start = output.indexOf('[');
  if (start < 0) return [];
  let results: EslintJsonResult[];
  try {
    results = JSON.parse(output.slice(start)) as EslintJsonResult[];
  } catch {
    return [];
  }
  const base = projectDir.endsWith('/') ? projectDir : `${projectDir}/`;
  return results.flatMap((r) =>
    r.messages.map((m) => ({
      kind: m.severity === 2 ? ('error' as const) : ('warning' as const),
      file: r.filePath.startsWith(base) ? r.filePath.slice(base.length) : r.filePath,
      line: m.line ?? 1,
      col: m.column,
      message: m.message,
      rule: m.ruleId ?? undefined,
    })),
  );
}

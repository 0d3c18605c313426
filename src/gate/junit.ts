/**
 * A small JUnit XML reader (pytest --junitxml, vitest/jest junit reporters, node --test junit):
 * <testsuites>/<testsuite>/<testcase> with <failure>, <error>, <skipped>. Only what the gate reports.
 */

export type CaseStatus = 'passed' | 'failed' | 'error' | 'skipped';

export interface TestCase {
  suite: string;
  name: string;
  classname: string;
  timeMs: number;
  status: CaseStatus;
  message?: string;
  details?: string;
  file?: string;
  line?: number;
}

export interface TestSuite {
  name: string;
  cases: TestCase[];
}

interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  text: string;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decode(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, entity: string) => {
    if (entity[0] === '#') {
      const code = entity[1] === 'x' || entity[1] === 'X' ? parseInt(entity.slice(2), 16) : parseInt(entity.slice(1), 10);
      return Number.isFinite(code) ? String.fromCodePoint(code) : whole;
    }
    return ENTITIES[entity.toLowerCase()] ?? whole;
  });
}

const TOKEN =
  /<!--[\s\S]*?-->|<\?[\s\S]*?\?>|<!\[CDATA\[([\s\S]*?)\]\]>|<!DOCTYPE[^>]*>|<(\/?)([A-Za-z_][\w:.-]*)((?:\s+[^\s=/>]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>|([^<]+)/g;
const ATTR = /([^\s=/>]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;

/** Parses well-formed XML into elements; throws on mismatched tags. */
export function parseXml(xml: string): XmlElement {
  const root: XmlElement = { name: '#document', attrs: {}, children: [], text: '' };
  const stack: XmlElement[] = [root];
  for (const m of xml.matchAll(TOKEN)) {
    const top = stack[stack.length - 1]!;
    if (m[1] !== undefined) top.text += m[1];
    else if (m[6] !== undefined) top.text += decode(m[6]);
    else if (m[3] !== undefined) {
      if (m[2] === '/') {
        if (top.name !== m[3]) throw new Error(`malformed XML: </${m[3]}> closes <${top.name}>`);
        stack.pop();
        continue;
      }
      const attrs: Record<string, string> = {};
      for (const a of (m[4] ?? '').matchAll(ATTR)) attrs[a[1]!] = decode(a[2] ?? a[3] ?? '');
      const element: XmlElement = { name: m[3], attrs, children: [], text: '' };
      top.children.push(element);
      if (m[5] !== '/') stack.push(element);
    }
  }
  if (stack.length !== 1) throw new Error(`malformed XML: <${stack[stack.length - 1]!.name}> is not closed`);
  return root;
}

function seconds(value: string | undefined): number {
  const n = Number(value);
  return Number.isFinite(n) ? Math.round(n * 1000) : 0;
}

function toCase(element: XmlElement, suite: string): TestCase {
  const outcome = element.children.find((c) => c.name === 'failure' || c.name === 'error' || c.name === 'skipped');
  const status: CaseStatus = outcome ? (outcome.name === 'failure' ? 'failed' : outcome.name === 'error' ? 'error' : 'skipped') : 'passed';
  const line = Number(element.attrs.line);
  return {
    suite,
    name: element.attrs.name ?? '',
    classname: element.attrs.classname ?? '',
    timeMs: seconds(element.attrs.time),
    status,
    message: outcome ? outcome.attrs.message || outcome.text.trim().split('\n')[0] || undefined : undefined,
    details: outcome?.text.trim() || undefined,
    file: element.attrs.file,
    line: Number.isInteger(line) && line > 0 ? line : undefined,
  };
}

/** The suites in one JUnit XML document; nested suites are flattened under their own names. */
export function parseJUnit(xml: string): TestSuite[] {
  const suites: TestSuite[] = [];
  const visit = (element: XmlElement, inherited: string) => {
    if (element.name === 'testsuite') {
      const name = element.attrs.name || inherited || 'tests';
      const cases = element.children.filter((c) => c.name === 'testcase').map((c) => toCase(c, name));
      if (cases.length > 0) suites.push({ name, cases });
      for (const child of element.children) if (child.name === 'testsuite') visit(child, name);
    } else if (element.name === 'testcase') {
      // node --test puts top-level tests directly under <testsuites>.
      const suite =
        suites.find((s) => s.name === (inherited || 'tests')) ?? suites[suites.push({ name: inherited || 'tests', cases: [] }) - 1]!;
      suite.cases.push(toCase(element, suite.name));
    } else {
      for (const child of element.children) visit(child, element.name === 'testsuites' ? (element.attrs.name ?? '') : inherited);
    }
  };
  visit(parseXml(xml), '');
  return suites;
}

export interface TestTotals {
  tests: number;
  passed: number;
  failed: number;
  skipped: number;
}

export function totals(suites: readonly TestSuite[]): TestTotals {
  const all = suites.flatMap((s) => s.cases);
  return {
    tests: all.length,
    passed: all.filter((c) => c.status === 'passed').length,
    failed: all.filter((c) => c.status === 'failed' || c.status === 'error').length,
    skipped: all.filter((c) => c.status === 'skipped').length,
  };
}

/**
 * Where a failing test points: the innermost frame of the failure text that lies in the project
 * (`tests/test_app.py:12:`, `at file:///.../x.test.js:5:3`), else the case's own file/line attributes.
 */
export function failureLocation(testCase: TestCase, projectDir: string): { file: string; line: number } | undefined {
  const text = testCase.details ?? '';
  const found = [
    ...[...text.matchAll(/(?:file:\/\/)?((?:\/|\.{0,2}[\w@-])[^\s:()'"]*\.(?:py|[cm]?[jt]sx?)):(\d+)(?::\d+)?/g)].map((m) => ({
      at: m.index,
      file: m[1]!,
      line: m[2]!,
    })),
    ...[...text.matchAll(/File "([^"]+)", line (\d+)/g)].map((m) => ({ at: m.index, file: m[1]!, line: m[2]! })),
  ].sort((a, b) => a.at - b.at);
  const frames = found
    .map((m) => ({ file: relativeTo(m.file, projectDir), line: Number(m.line) }))
    .filter(
      (f) =>
        !f.file.startsWith('/') &&
        !f.file.includes('node_modules') &&
        !f.file.startsWith('..') &&
        !/site-packages|node:internal/.test(f.file),
    );
  // Python tracebacks end with the innermost frame; JavaScript stacks start with it.
  const own = frames.length === 0 ? undefined : frames[0]!.file.endsWith('.py') ? frames.at(-1) : frames[0];
  if (own) return own;
  if (testCase.file) return { file: relativeTo(testCase.file, projectDir), line: testCase.line ?? 1 };
  return undefined;
}

function relativeTo(file: string, dir: string): string {
  const base = dir.endsWith('/') ? dir : `${dir}/`;
  return file.startsWith(base) ? file.slice(base.length) : file.replace(/^\.\//, '');
}

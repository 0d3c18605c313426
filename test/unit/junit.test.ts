import { describe, expect, it } from 'vitest';

import { failureLocation, parseJUnit, parseXml, type TestCase, totals } from '../../src/gate/junit.js';
import { slowestTests } from '../../src/gate/report.js';

const PYTEST = `<?xml version="1.0" encoding="utf-8"?><testsuites name="pytest tests"><testsuite name="pytest" errors="1" failures="1" skipped="1" tests="5" time="0.5"><testcase classname="tests.test_prices" name="test_total" file="tests/test_prices.py" line="3" time="0.003" /><testcase classname="tests.test_prices" name="test_vat" file="tests/test_prices.py" line="11" time="0.201"><failure message="assert 21.0 == 20&#10; +  where 21.0 = vat(100)">def test_vat():
&gt;       assert vat(100) == 20
E       assert 21.0 == 20

shop/prices.py:4: in vat
    return helper()
tests/test_prices.py:13: AssertionError</failure></testcase><testcase classname="tests.test_db" name="test_conn" time="0.1"><error message="failed on setup with &quot;OperationalError&quot;">/usr/lib/python3/site-packages/psycopg/conn.py:10: OperationalError</error></testcase><testcase classname="tests.test_s3" name="test_upload" time="0"><skipped type="pytest.skip" message="needs S3">skipped</skipped></testcase><testcase classname="tests.test_s3" name="test_list" time="0.05"/></testsuite></testsuites>`;

const NODE = `<?xml version="1.0" encoding="utf-8"?>
<testsuites>
	<testcase name="adds" time="0.001051" classname="test"/>
	<testsuite name="cart" time="0.01" disabled="0" errors="0" tests="2" failures="1" skipped="0" hostname="vm">
		<testcase name="totals" time="0.002" classname="test"/>
		<testcase name="counts" time="0.003" classname="test" failure="Expected values to be strictly equal:3 !== 1">
			<failure type="testCodeFailure" message="Expected values to be strictly equal:3 !== 1">
AssertionError [ERR_ASSERTION]: Expected values to be strictly equal:
      at TestContext.&lt;anonymous&gt; (file:///work/app/test/cart.test.mjs:10:10)
      at Test.runInAsyncScope (node:async_hooks:206:9)
      at helper (file:///work/app/src/cart.mjs:4:3)
			</failure>
		</testcase>
	</testsuite>
	<!-- tests 3 -->
</testsuites>`;

const VITEST = `<?xml version="1.0" encoding="UTF-8" ?>
<testsuites name="vitest tests" tests="2" failures="1" errors="0" time="0.9">
    <testsuite name="src/cart.test.ts" timestamp="2026-11-24T10:00:00" hostname="vm" tests="2" failures="1" errors="0" skipped="0" time="0.012">
        <testcase classname="src/cart.test.ts" name="cart &gt; totals" time="0.004">
        </testcase>
        <testcase classname="src/cart.test.ts" name="cart &gt; counts" time="0.008">
            <failure message="expected 1 to be 3 // Object.is equality" type="AssertionError">
<![CDATA[AssertionError: expected 1 to be 3 // Object.is equality
 ❯ src/cart.test.ts:14:22
 ❯ node_modules/@vitest/runner/dist/index.js:135:14]]>
            </failure>
        </testcase>
    </testsuite>
</testsuites>`;

describe('JUnit XML', () => {
  it('reads pytest reports: failures, errors and skips, file/line attributes, entities', () => {
    const suites = parseJUnit(PYTEST);
    expect(suites.map((s) => s.name)).toEqual(['pytest']);
    expect(suites[0]!.cases.map((c) => [c.name, c.status])).toEqual([
      ['test_total', 'passed'],
      ['test_vat', 'failed'],
      ['test_conn', 'error'],
      ['test_upload', 'skipped'],
      ['test_list', 'passed'],
    ]);
    const vat = suites[0]!.cases[1]!;
    expect(vat).toMatchObject({
      classname: 'tests.test_prices',
      file: 'tests/test_prices.py',
      line: 11,
      timeMs: 201,
      message: 'assert 21.0 == 20\n +  where 21.0 = vat(100)',
    });
    expect(vat.details).toContain('>       assert vat(100) == 20');
    expect(suites[0]!.cases[2]!.message).toBe('failed on setup with "OperationalError"');
    expect(totals(suites)).toEqual({ tests: 5, passed: 2, failed: 2, skipped: 1 });
  });

  it('reads node --test reports, with top-level tests outside any suite', () => {
    const suites = parseJUnit(NODE);
    expect(suites.map((s) => [s.name, s.cases.map((c) => c.name)])).toEqual([
      ['tests', ['adds']],
      ['cart', ['totals', 'counts']],
    ]);
    expect(totals(suites)).toEqual({ tests: 3, passed: 2, failed: 1, skipped: 0 });
  });

  it('reads vitest reports with CDATA failures', () => {
    const suites = parseJUnit(VITEST);
    expect(suites[0]!.name).toBe('src/cart.test.ts');
    const failed = suites[0]!.cases.find((c) => c.status === 'failed')!;
    expect(failed.name).toBe('cart > counts');
    expect(failed.details).toContain('src/cart.test.ts:14:22');
  });

  it('rejects malformed XML instead of guessing', () => {
    expect(() => parseXml('<testsuite><testcase></testsuite>')).toThrow(/closes <testcase>/);
    expect(() => parseXml('<testsuites><testsuite>')).toThrow(/not closed/);
  });

  it('an empty report has no tests', () => {
    expect(parseJUnit('<?xml version="1.0"?><testsuites/>')).toEqual([]);
  });
});

describe('where a failing test points', () => {
  const failed = (details: string, extra: Partial<TestCase> = {}): TestCase => ({
    suite: 's',
    name: 't',
    classname: '',
    timeMs: 0,
    status: 'failed',
    details,
    ...extra,
  });
  it.each([
    [
      'pytest: the innermost project frame (the assertion), not the test def line',
      parseJUnit(PYTEST)[0]!.cases[1]!,
      '/work/app',
      { file: 'tests/test_prices.py', line: 13 },
    ],
    [
      'node: the first project frame of the stack, as a path relative to the project',
      parseJUnit(NODE)[1]!.cases[1]!,
      '/work/app',
      { file: 'test/cart.test.mjs', line: 10 },
    ],
    ['vitest: skips node_modules frames', parseJUnit(VITEST)[0]!.cases[1]!, '/work/app', { file: 'src/cart.test.ts', line: 14 }],
    [
      'unittest: File "...", line N',
      failed(
        'Traceback (most recent call last):\n  File "/work/app/tests/test_x.py", line 8, in test_x\n    self.assertEqual(1, 2)\nAssertionError: 1 != 2',
      ),
      '/work/app',
      { file: 'tests/test_x.py', line: 8 },
    ],
    [
      'outside the project only: the file attribute',
      failed('/usr/lib/python3/site-packages/psycopg/conn.py:10: OperationalError', { file: 'tests/test_db.py', line: 5 }),
      '/work/app',
      { file: 'tests/test_db.py', line: 5 },
    ],
    ['nothing to point at', failed('boom'), '/work/app', undefined],
  ])('%s', (_name, testCase, dir, location) => {
    expect(failureLocation(testCase, dir)).toEqual(location);
  });
});

describe('slowest tests', () => {
  it('are the longest non-skipped cases, longest first', () => {
    expect(slowestTests(parseJUnit(PYTEST), 3).map((c) => c.name)).toEqual(['test_vat', 'test_conn', 'test_list']);
  });
});

// 20 smoke checks against endpoints answering after 50..1000 ms: all in parallel should take about
// as long as the slowest check alone (goal ≤ 1.3×), both measured here in the same run.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

import { systemClock } from '../src/core/clock.js';
import type { Logger } from '../src/core/logger.js';
import { parseChecks } from '../src/smoke/checks.js';
import { httpProbe } from '../src/smoke/probes.js';
import { runProbes } from '../src/smoke/run.js';

const quiet: Logger = { info() {}, warning() {}, error() {}, debug() {}, mask() {}, group: (_n, fn) => fn() };

export default async function bench(): Promise<void> {
  const server = createServer((req, res) => {
    const delay = Number(new URL(req.url ?? '/', 'http://x').searchParams.get('delay') ?? 0);
    setTimeout(() => res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}'), delay);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const checks = parseChecks(
    Array.from(
      { length: 20 },
      (_, i) => `- name: c${i}\n  url: http://127.0.0.1:${port}/health?delay=${(i + 1) * 50}\n  expect-json: $.status = ok`,
    ).join('\n'),
  );
  const options = { deadlineMs: 30_000, requestTimeoutMs: 10_000, clock: systemClock, logger: quiet };
  const time = async (probes: Parameters<typeof runProbes>[0]) => {
    const started = performance.now();
    const results = await runProbes(probes, options);
    if (!results.every((r) => r.passed)) throw new Error(`bench check failed: ${JSON.stringify(results.filter((r) => !r.passed))}`);
    return performance.now() - started;
  };
  const slowest = checks.at(-1)!;
  await time([httpProbe(slowest, {})]); // warm-up
  const single: number[] = [];
  const all: number[] = [];
  for (let round = 0; round < 3; round += 1) {
    single.push(await time([httpProbe(slowest, {})]));
    all.push(await time(checks.map((check) => httpProbe(check, {}))));
  }
  server.close();
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const s = median(single);
  const a = median(all);
  console.log(`slowest single check (1000 ms endpoint): ${s.toFixed(0)} ms`);
  console.log(`20 checks in parallel (50..1000 ms):     ${a.toFixed(0)} ms`);
  console.log(`ratio parallel / slowest: ${(a / s).toFixed(2)}x (goal ≤ 1.3x)`);
}

import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { recordingLogger } from '../../harness/services/recording-logger.js';
import { sendHeartbeat } from '../../src/backup/heartbeat.js';
import type { RunContext } from '../../src/core/action.js';
import { createHttpClient } from '../../src/core/http.js';

const hits: string[] = [];
let failuresLeft = 0;
const server = createServer((req, res) => {
  hits.push(req.url ?? '');
  if (req.url?.startsWith('/down')) res.writeHead(503).end();
  else if (req.url?.startsWith('/flaky') && failuresLeft-- > 0) res.writeHead(503).end();
  else res.writeHead(200).end('OK');
});
let base: string;
beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

function context() {
  const logger = recordingLogger();
  const clock = { now: () => Date.now(), sleep: async () => undefined };
  return { ctx: { logger, clock, http: createHttpClient({ clock, retries: 2 }) } as unknown as RunContext, logger };
}

describe('backup heartbeats', () => {
  it('GETs the URL, retrying a monitor that answers 503', async () => {
    hits.length = 0;
    failuresLeft = 1;
    const { ctx } = context();
    await sendHeartbeat(`${base}/flaky/uuid-1`, 'success', ctx);
    expect(hits).toEqual(['/flaky/uuid-1', '/flaky/uuid-1']);
  });

  it('never throws: a monitor that stays down or cannot be reached only warns', async () => {
    const { ctx, logger } = context();
    await expect(sendHeartbeat(`${base}/down/uuid-2`, 'failure', ctx)).resolves.toBeUndefined();
    await expect(sendHeartbeat('http://127.0.0.1:1/ping', 'success', ctx)).resolves.toBeUndefined();
    const warnings = logger.lines.filter((l) => l.includes('heartbeat'));
    expect(warnings).toHaveLength(2);
    expect(warnings.every((l) => l.includes('the backup result is unchanged'))).toBe(true);
  });

  it('does nothing without a URL', async () => {
    hits.length = 0;
    await sendHeartbeat(undefined, 'success', context().ctx);
    expect(hits).toEqual([]);
  });
});

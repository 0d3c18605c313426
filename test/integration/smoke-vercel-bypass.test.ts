import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { printed, runBundle } from '../../harness/services/runner.js';
import { startServer, type TestServer } from './smoke-servers.js';

/**
 * Issue #18 item 7: a Vercel project with Deployment Protection answers 401 unless the request carries
 * `x-vercel-protection-bypass: <Protection Bypass for Automation secret>`
 * (https://vercel.com/docs/deployment-protection/methods-to-bypass-deployment-protection/protection-bypass-automation).
 * The smoke step sends it to the site under test only, and never prints it.
 */

const SECRET = 'bypass-secret-0123456789abcdef';
let site: TestServer;
let api: Server;
let apiUrl: string;
const apiSaw: (string | undefined)[] = [];

beforeAll(async () => {
  site = await startServer((req, res) => {
    if (req.headers['x-vercel-protection-bypass'] !== SECRET) return void res.writeHead(401).end('Authentication Required');
    res.writeHead(200).end('<h1>shop</h1>');
  });
  // An API on another host (127.0.0.2, also the loopback interface): it must never see the secret.
  api = createServer((req, res) => {
    apiSaw.push(req.headers['x-vercel-protection-bypass'] as string | undefined);
    res.writeHead(200).end('{"status":"ok"}');
  });
  await new Promise<void>((resolve) => api.listen(0, '127.0.0.2', resolve));
  apiUrl = `http://127.0.0.2:${(api.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await site?.close();
  await new Promise((resolve) => api?.close(resolve));
});

describe('smoke vercel-bypass-secret', () => {
  it('without the secret a protected deployment fails with 401', async () => {
    const run = await runBundle('smoke', { url: `${site.url}/`, deadline: '1s' });
    expect(run.exitCode).toBe(1);
    expect(printed(run)).toContain('HTTP 401');
  });

  it('sends the secret to the site under test only, and masks it', async () => {
    const run = await runBundle('smoke', {
      url: `${site.url}/`,
      checks: `- ${apiUrl}/health`,
      'vercel-bypass-secret': SECRET,
      deadline: '5s',
    });
    expect(run.exitCode, printed(run)).toBe(0);
    expect(apiSaw.length).toBeGreaterThan(0);
    expect(apiSaw.every((h) => h === undefined)).toBe(true);
    expect(printed(run) + run.summary + JSON.stringify(run.outputs)).not.toContain(SECRET);
  });
});

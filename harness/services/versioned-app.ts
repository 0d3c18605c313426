import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** Writes a source tree for a release: { 'VERSION': 'v1', 'app/main.py': '...' }. */
export function makeSource(files: Record<string, string | Buffer>, dir = mkdtempSync(join(tmpdir(), 'dk-src-'))): string {
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), content);
  }
  return dir;
}

export interface HealthServer {
  url: string;
  close(): Promise<void>;
}

/**
 * Stands in for the app behind the public health URL: answers with <root>/current/VERSION, or 503
 * when that file says "broken" or there is no current release.
 */
export async function startHealthServer(currentDir: () => string): Promise<HealthServer> {
  const server: Server = createServer((_req, res) => {
    let version: string;
    try {
      version = readFileSync(join(currentDir(), 'VERSION'), 'utf8').trim();
    } catch {
      version = '';
    }
    if (!version || version === 'broken') {
      res.writeHead(503).end('unhealthy');
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ status: 'ok', version }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { url: `http://127.0.0.1:${port}/health`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** Stops the sample API that examples/app/backend/bin/restart started under a deploy root. */
export function stopSampleApp(deployRoot: string): void {
  const pidFile = join(deployRoot, 'shared/app.pid');
  if (!existsSync(pidFile)) return;
  try {
    process.kill(Number(readFileSync(pidFile, 'utf8').trim()));
  } catch {
    // already stopped
  }
}

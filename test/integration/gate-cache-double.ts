import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A stand-in for the Actions cache service, protocol v1 (what @actions/cache speaks to GHES and to
 * ACTIONS_CACHE_URL): look up by keys (exact key, then each restore key as a prefix, newest first,
 * same version), reserve, upload in Content-Range chunks, commit, download the archive.
 */
export interface CacheEntry {
  id: number;
  key: string;
  version: string;
  chunks: { start: number; data: Buffer }[];
  size?: number;
  committed: boolean;
  created: number;
}

export interface CacheDouble {
  url: string;
  entries: CacheEntry[];
  requests: string[];
  close(): Promise<void>;
}

function body(req: import('node:http').IncomingMessage): Promise<Buffer> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
  });
}

export async function startCacheDouble(): Promise<CacheDouble> {
  const entries: CacheEntry[] = [];
  const requests: string[] = [];
  let nextId = 1;
  let base = '';
  const archive = (entry: CacheEntry) => Buffer.concat([...entry.chunks].sort((a, b) => a.start - b.start).map((c) => c.data));
  const server: Server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    requests.push(`${req.method} ${url.pathname}`);
    const send = (status: number, json?: unknown) => {
      res.writeHead(status, json === undefined ? {} : { 'content-type': 'application/json' }).end(json === undefined ? undefined : JSON.stringify(json));
    };
    // The API wants the runtime token; archive URLs are pre-signed and take none.
    if (url.pathname.startsWith('/_apis/') && !req.headers.authorization?.startsWith('Bearer ')) return send(401, { message: 'no token' });
    const data = await body(req);
    if (req.method === 'GET' && url.pathname === '/_apis/artifactcache/cache') {
      const keys = (url.searchParams.get('keys') ?? '').split(',');
      const version = url.searchParams.get('version');
      const ready = entries.filter((e) => e.committed && e.version === version).sort((a, b) => b.created - a.created);
      const hit = ready.find((e) => e.key === keys[0]) ?? keys.slice(1).map((prefix) => ready.find((e) => e.key.startsWith(prefix))).find(Boolean);
      if (!hit) return send(204);
      return send(200, { cacheKey: hit.key, scope: 'refs/heads/main', archiveLocation: `${base}/archives/${hit.id}` });
    }
    if (req.method === 'POST' && url.pathname === '/_apis/artifactcache/caches') {
      const { key, version } = JSON.parse(data.toString()) as { key: string; version: string };
      if (entries.some((e) => e.key === key && e.version === version)) return send(409, { message: `Cache already exists. Scope: refs/heads/main, Key: ${key}` });
      const entry: CacheEntry = { id: nextId++, key, version, chunks: [], committed: false, created: Date.now() + nextId };
      entries.push(entry);
      return send(201, { cacheId: entry.id });
    }
    const byId = /^\/_apis\/artifactcache\/caches\/(\d+)$/.exec(url.pathname);
    if (byId) {
      const entry = entries.find((e) => e.id === Number(byId[1]));
      if (!entry) return send(404, { message: 'no such cache' });
      if (req.method === 'PATCH') {
        const range = /^bytes (\d+)-(\d+)\/\*$/.exec(req.headers['content-range'] ?? '');
        if (!range) return send(400, { message: 'Content-Range required' });
        entry.chunks.push({ start: Number(range[1]), data });
        return send(204);
      }
      if (req.method === 'POST') {
        const { size } = JSON.parse(data.toString()) as { size: number };
        if (archive(entry).length !== size) return send(400, { message: `size ${size} does not match the uploaded ${archive(entry).length} bytes` });
        entry.size = size;
        entry.committed = true;
        return send(204);
      }
    }
    const download = /^\/archives\/(\d+)$/.exec(url.pathname);
    if (req.method === 'GET' && download) {
      const entry = entries.find((e) => e.id === Number(download[1]) && e.committed);
      if (!entry) return send(404);
      const bytes = archive(entry);
      res.writeHead(200, { 'content-length': String(bytes.length), 'content-type': 'application/octet-stream' }).end(bytes);
      return;
    }
    send(404, { message: `unknown ${req.method} ${url.pathname}` });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: `${base}/`,
    entries,
    requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

import { type DoubleServer, type Handler, type Reply, serveRoutes } from './server.js';

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

export interface CacheDouble extends DoubleServer {
  entries: CacheEntry[];
}

export async function startCacheDouble(): Promise<CacheDouble> {
  const entries: CacheEntry[] = [];
  let nextId = 1;
  let base = '';
  const archive = (entry: CacheEntry) => Buffer.concat([...entry.chunks].sort((a, b) => a.start - b.start).map((c) => c.data));
  // The API wants the runtime token; archive URLs are pre-signed and take none.
  const api =
    (handler: Handler): Handler =>
    (req, params) =>
      String(req.headers.authorization ?? '').startsWith('Bearer ') ? handler(req, params) : { status: 401, body: { message: 'no token' } };
  const entry = (id: string): CacheEntry | undefined => entries.find((e) => e.id === Number(id));
  const noSuchCache: Reply = { status: 404, body: { message: 'no such cache' } };

  const server = await serveRoutes(
    [
      {
        method: 'GET',
        template: '/_apis/artifactcache/cache',
        handler: api((req) => {
          const keys = (req.query.get('keys') ?? '').split(',');
          const version = req.query.get('version');
          const ready = entries.filter((e) => e.committed && e.version === version).sort((a, b) => b.created - a.created);
          const hit =
            ready.find((e) => e.key === keys[0]) ??
            keys
              .slice(1)
              .map((prefix) => ready.find((e) => e.key.startsWith(prefix)))
              .find(Boolean);
          if (!hit) return { status: 204 };
          return { status: 200, body: { cacheKey: hit.key, scope: 'refs/heads/main', archiveLocation: `${base}/archives/${hit.id}` } };
        }),
      },
      {
        method: 'POST',
        template: '/_apis/artifactcache/caches',
        handler: api((req) => {
          const { key, version } = req.json as { key: string; version: string };
          if (entries.some((e) => e.key === key && e.version === version))
            return { status: 409, body: { message: `Cache already exists. Scope: refs/heads/main, Key: ${key}` } };
          const created: CacheEntry = { id: nextId++, key, version, chunks: [], committed: false, created: Date.now() + nextId };
          entries.push(created);
          return { status: 201, body: { cacheId: created.id } };
        }),
      },
      {
        method: 'PATCH',
        template: '/_apis/artifactcache/caches/{cacheId}',
        handler: api((req, [id]) => {
          const found = entry(id!);
          if (!found) return noSuchCache;
          const range = /^bytes (\d+)-(\d+)\/\*$/.exec(String(req.headers['content-range'] ?? ''));
          if (!range) return { status: 400, body: { message: 'Content-Range required' } };
          found.chunks.push({ start: Number(range[1]), data: req.body });
          return { status: 204 };
        }),
      },
      {
        method: 'POST',
        template: '/_apis/artifactcache/caches/{cacheId}',
        handler: api((req, [id]) => {
          const found = entry(id!);
          if (!found) return noSuchCache;
          const { size } = req.json as { size: number };
          if (archive(found).length !== size)
            return { status: 400, body: { message: `size ${size} does not match the uploaded ${archive(found).length} bytes` } };
          found.size = size;
          found.committed = true;
          return { status: 204 };
        }),
      },
      {
        method: 'GET',
        template: '/archives/{cacheId}',
        handler: (_req, [id]) => {
          const found = entry(id!);
          return found?.committed
            ? { status: 200, raw: archive(found), headers: { 'content-type': 'application/octet-stream' } }
            : { status: 404 };
        },
      },
    ],
    (req) => ({ status: 404, body: { message: `unknown ${req.method} ${req.path}` } }),
  );
  base = server.url;
  return Object.assign(server, { url: `${base}/`, entries });
}

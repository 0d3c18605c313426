import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request as the double saw it. */
export interface Recorded {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  body: Buffer;
  json?: unknown;
  /** What the double answered. */
  reply?: Reply;
  /** The route template that matched, if any. */
  route?: string;
}

export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** Bytes sent as they are instead of JSON `body` (no default content-type: set it in `headers`). */
  raw?: Buffer;
}

export type Handler = (req: Recorded, params: string[]) => Reply | Promise<Reply>;

/** A route: method + an OpenAPI-style template (`/sites/{site_id}/deploys`), matched segment by segment. */
export interface Route {
  method: string;
  template: string;
  handler: Handler;
}

function matcher(template: string): RegExp {
  const source = template
    .replace(/[.]/g, '\\.')
    .replace(/\{[^}]+\*\}/g, '(.+)')
    .replace(/\{[^}]+\}/g, '([^/]+)');
  return new RegExp(`^${source}$`);
}

export interface DoubleServer {
  url: string;
  requests: Recorded[];
  close(): Promise<void>;
}

/** Serves routes on 127.0.0.1 (a free port); unknown routes answer 404 with `notFound`'s body. */
export async function serveRoutes(routes: readonly Route[], notFound: (req: Recorded) => Reply, prefix = ''): Promise<DoubleServer> {
  const compiled = routes.map((r) => ({ ...r, re: matcher(prefix + r.template) }));
  const requests: Recorded[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const body = Buffer.concat(chunks);
      const recorded: Recorded = { method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, headers: req.headers, body };
      if (String(req.headers['content-type'] ?? '').includes('json') && body.length > 0) recorded.json = JSON.parse(body.toString('utf8'));
      requests.push(recorded);
      const route = compiled.find((r) => r.method === recorded.method && r.re.test(url.pathname));
      const params = route ? route.re.exec(url.pathname)!.slice(1).map(decodeURIComponent) : [];
      void Promise.resolve(route ? route.handler(recorded, params) : notFound(recorded))
        .catch((error: unknown): Reply => ({ status: 500, body: { message: String(error) } }))
        .then((reply) => {
          recorded.reply = reply;
          recorded.route = route?.template;
          if (reply.raw !== undefined) {
            res.writeHead(reply.status, { 'content-length': String(reply.raw.length), ...reply.headers });
            res.end(reply.raw);
            return;
          }
          res.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers });
          res.end(reply.body === undefined ? '' : JSON.stringify(reply.body));
        });
    });
  });
  // Port 0: the kernel picks a free port at bind time, with no window for another process to take it.
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

export function bearer(req: Recorded): string | undefined {
  return /^Bearer (.+)$/.exec(String(req.headers.authorization ?? ''))?.[1];
}

import { type IncomingHttpHeaders, request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP } from 'node:net';
import { rootCertificates } from 'node:tls';

/**
 * Where a request really goes. `resolve` connects to that address instead of the URL's host (like
 * curl --resolve); `hostHeader` sends another Host (a check before DNS moves). For https the TLS
 * server name (SNI and certificate check) follows the public name, never the IP.
 */
export interface Routing {
  resolve?: string;
  hostHeader?: string;
  /** The trusted CA certificates (PEM), built once by `trustedCas`; undefined for Node's default store. */
  ca?: string[];
  /** Sent as X-Forwarded-Proto on every request (an app behind a TLS proxy, checked directly). */
  forwardedProto?: string;
  /**
   * Vercel Deployment Protection: `x-vercel-protection-bypass: <secret>` goes only to the hosts listed
   * (the site under test) and *.vercel.app, never to an API on another host.
   */
  vercelBypass?: { secret: string; hosts: readonly string[] };
}

/** The headers every request to `url` carries because of the routing (forwarded proto, Vercel bypass). */
export function routingHeaders(url: URL, routing: Routing): Record<string, string> {
  const headers: Record<string, string> = {};
  if (routing.forwardedProto) headers['x-forwarded-proto'] = routing.forwardedProto;
  const bypass = routing.vercelBypass;
  if (bypass && (bypass.hosts.includes(url.hostname) || url.hostname.endsWith('.vercel.app')))
    headers['x-vercel-protection-bypass'] = bypass.secret;
  return headers;
}

/** The system store plus extra CA certificates (PEM), or undefined when there are none. */
export function trustedCas(extra: string | undefined): string[] | undefined {
  return extra ? [...rootCertificates, extra] : undefined;
}

export interface Endpoint {
  protocol: 'http:' | 'https:';
  /** The address the socket connects to. */
  address: string;
  port: number;
  /** What the Host header says. */
  host: string;
  /** TLS server name, undefined for http or a bare IP. */
  servername?: string;
  path: string;
}

export function endpoint(url: URL, routing: Routing): Endpoint {
  const protocol = url.protocol === 'https:' ? 'https:' : 'http:';
  const port = url.port ? Number(url.port) : protocol === 'https:' ? 443 : 80;
  const host = routing.hostHeader ?? url.host;
  const publicName = (routing.hostHeader ? hostnameOf(routing.hostHeader) : url.hostname).replace(/^\[|\]$/g, '');
  return {
    protocol,
    address: (routing.resolve ?? url.hostname).replace(/^\[|\]$/g, ''),
    port,
    host,
    servername: protocol === 'https:' && isIP(publicName) === 0 ? publicName : undefined,
    path: `${url.pathname}${url.search}`,
  };
}

function hostnameOf(hostHeader: string): string {
  return hostHeader.startsWith('[') ? hostHeader.slice(0, hostHeader.indexOf(']') + 1) : hostHeader.replace(/:\d+$/, '');
}

export interface SmokeRequest {
  url: URL;
  method: string;
  headers: Record<string, string>;
  body?: string;
  timeoutMs: number;
}

export interface SmokeResponse {
  status: number;
  /** Lower-case names; repeated headers joined with ", ". */
  headers: Record<string, string>;
  body: string;
  latencyMs: number;
}

const MAX_BODY = 1024 * 1024;

function flatten(headers: IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) if (value !== undefined) out[name] = Array.isArray(value) ? value.join(', ') : value;
  return out;
}

/** One request, no redirects followed, the body read up to 1 MiB; latency is to the end of the body. */
export function send(req: SmokeRequest, routing: Routing): Promise<SmokeResponse> {
  const target = endpoint(req.url, routing);
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const options = {
      host: target.address,
      port: target.port,
      path: target.path,
      method: req.method,
      headers: { ...routingHeaders(req.url, routing), ...req.headers, host: target.host },
      // Credentials in the URL (https://user:pass@host/) are sent as Basic auth, as browsers and curl do.
      auth: req.url.username ? `${decodeURIComponent(req.url.username)}:${decodeURIComponent(req.url.password)}` : undefined,
      servername: target.servername,
      ca: routing.ca,
      agent: false as const,
      timeout: req.timeoutMs,
    };
    const handle = target.protocol === 'https:' ? httpsRequest(options) : httpRequest(options);
    const timer = setTimeout(() => handle.destroy(new Error(`no complete answer within ${req.timeoutMs} ms`)), req.timeoutMs);
    handle.on('timeout', () => handle.destroy(new Error(`no answer within ${req.timeoutMs} ms`)));
    handle.on('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(new Error(describeNetworkError(error, target)));
    });
    handle.on('response', (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size <= MAX_BODY) chunks.push(chunk);
      });
      res.on('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
      res.on('end', () => {
        clearTimeout(timer);
        resolve({
          status: res.statusCode ?? 0,
          headers: flatten(res.headers),
          body: Buffer.concat(chunks).toString('utf8'),
          latencyMs: Math.round(performance.now() - started),
        });
      });
    });
    handle.end(req.body);
  });
}

function describeNetworkError(error: NodeJS.ErrnoException, target: Endpoint): string {
  const where = `${target.address}:${target.port}`;
  if (error.code === 'ECONNREFUSED') return `connection refused by ${where}`;
  if (error.code === 'ENOTFOUND' || error.code === 'EAI_AGAIN') return `cannot resolve ${target.address}`;
  if (error.code === 'ECONNRESET') return `connection reset by ${where}`;
  return `${where}: ${error.message}`;
}

import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP } from 'node:net';

import { type InputsOf, pattern } from './inputs.js';

/**
 * How a health check presents itself to the app, for frameworks that check the Host header
 * (Django ALLOWED_HOSTS answers 400 to `Host: 127.0.0.1`) or redirect plain http to https
 * (SECURE_SSL_REDIRECT answers 301 unless the proxy says X-Forwarded-Proto: https).
 */
export interface HealthRouting {
  /** Host header, and TLS server name (SNI, certificate check) for https: the public name. */
  host?: string;
  /** Sent as X-Forwarded-Proto, as the reverse proxy in front of the app would. */
  forwardedProto?: 'http' | 'https';
}

/** `health-host` and `health-forwarded-proto`, shared by backend and rollback. */
export const healthRoutingInputs = {
  'health-host': pattern(/^[A-Za-z0-9.-]+(?::\d{1,5})?$/, 'a host name with an optional :port, such as shop.example.com'),
  'health-forwarded-proto': pattern(/^https?$/, 'https (or http)'),
};

export function healthRouting(inputs: InputsOf<typeof healthRoutingInputs>): HealthRouting {
  return { host: inputs['health-host'], forwardedProto: inputs['health-forwarded-proto'] as HealthRouting['forwardedProto'] };
}

export function routingHeaders(routing: HealthRouting): Record<string, string> {
  return routing.forwardedProto ? { 'x-forwarded-proto': routing.forwardedProto } : {};
}

/**
 * One GET with a Host header of our choosing: fetch always sends the URL's host, so this goes through
 * node:http(s), connecting to the URL's address with `servername` set to the public name.
 */
export function getWithHost(
  url: string,
  headers: Record<string, string>,
  host: string,
  timeoutMs: number,
): Promise<{ status: number; body: string }> {
  const target = new URL(url);
  const name = host.replace(/:\d+$/, '');
  const secure = target.protocol === 'https:';
  return new Promise((resolve, reject) => {
    const handle = (secure ? httpsRequest : httpRequest)({
      host: target.hostname.replace(/^\[|\]$/g, ''),
      port: target.port || (secure ? 443 : 80),
      path: `${target.pathname}${target.search}`,
      headers: { ...headers, host },
      servername: secure && isIP(name) === 0 ? name : undefined,
      agent: false,
    });
    const timer = setTimeout(() => handle.destroy(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
    handle.on('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(new Error(`${error.code ?? 'request failed'}: ${error.message}`));
    });
    handle.on('response', (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body.length < 65_536 ? (body += chunk) : undefined));
      res.on('end', () => {
        clearTimeout(timer);
        resolve({ status: res.statusCode ?? 0, body });
      });
    });
    handle.end();
  });
}

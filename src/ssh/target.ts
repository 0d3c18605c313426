import { ConfigurationError } from '../core/errors.js';

export interface SshTarget {
  user?: string;
  host: string;
  port: number;
}

/** A login name: what the `user` input and the user of `[user@]host` accept. */
export const USER_NAME = /^[A-Za-z_][A-Za-z0-9_.-]{0,31}$/;
const HOSTNAME = /^[A-Za-z0-9](?:[A-Za-z0-9.-]{0,251}[A-Za-z0-9])?$/;
const IPV6 = /^[0-9A-Fa-f:.]+$/;

/** Parses `[user@]host[:port]` (IPv6 as `[addr]:port`), rejecting anything a shell or ssh could misread. */
export function parseTarget(spec: string, defaults: { user?: string; port?: number } = {}): SshTarget {
  const bad = (why: string) => new ConfigurationError(`host ${JSON.stringify(spec)}: ${why}`);
  let rest = spec.trim();
  let user = defaults.user;
  const at = rest.lastIndexOf('@');
  if (at >= 0) {
    user = rest.slice(0, at);
    rest = rest.slice(at + 1);
  }
  if (user !== undefined && !USER_NAME.test(user)) throw bad('the user must be letters, digits, "_", "." or "-"');
  let host = rest;
  let port = defaults.port ?? 22;
  const v6 = /^\[([^\]]+)\](?::(\d+))?$/.exec(rest);
  if (v6) {
    host = v6[1]!;
    if (!IPV6.test(host)) throw bad('not an IPv6 address');
    if (v6[2]) port = Number(v6[2]);
  } else {
    const colon = rest.lastIndexOf(':');
    if (colon >= 0) {
      host = rest.slice(0, colon);
      const portText = rest.slice(colon + 1);
      if (!/^\d{1,5}$/.test(portText)) throw bad('the port must be a number');
      port = Number(portText);
    }
    if (!HOSTNAME.test(host)) throw bad('expected a host name or IP address (letters, digits, "." and "-")');
  }
  if (port < 1 || port > 65535) throw bad('the port must be from 1 to 65535');
  return { user, host, port };
}

/** How a target is named in logs, outputs and history. */
export function targetLabel(target: SshTarget): string {
  const host = target.host.includes(':') ? `[${target.host}]` : target.host;
  return `${target.user ? `${target.user}@` : ''}${host}${target.port === 22 ? '' : `:${target.port}`}`;
}

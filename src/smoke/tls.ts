import { checkServerIdentity, connect } from 'node:tls';

import type { Endpoint } from './request.js';

export interface CertificateFacts {
  subject: string;
  issuer: string;
  validTo: Date;
  /** Why the chain is not trusted (expired, self-signed, unknown CA), if it is not. */
  chainError?: string;
  /** Why the certificate does not cover the host name, if it does not. */
  hostError?: string;
}

/** Connects with the public server name (SNI) and reads the certificate the server presents. */
export function inspectCertificate(target: Endpoint, timeoutMs: number, ca?: string[]): Promise<CertificateFacts> {
  const name = target.servername ?? target.address;
  return new Promise((resolve, reject) => {
    const socket = connect({
      host: target.address,
      port: target.port,
      servername: target.servername,
      ca,
      rejectUnauthorized: false,
      timeout: timeoutMs,
    });
    socket.once('timeout', () => socket.destroy(new Error(`no TLS handshake within ${timeoutMs} ms`)));
    socket.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        new Error(
          error.code === 'ECONNREFUSED'
            ? `connection refused by ${target.address}:${target.port}`
            : `TLS to ${target.address}:${target.port}: ${error.message}`,
        ),
      ),
    );
    socket.once('secureConnect', () => {
      const cert = socket.getPeerCertificate();
      const facts: CertificateFacts = {
        subject: String(cert.subject?.CN ?? JSON.stringify(cert.subject)),
        issuer: String(cert.issuer?.CN ?? JSON.stringify(cert.issuer)),
        validTo: new Date(cert.valid_to),
        chainError: socket.authorized ? undefined : String(socket.authorizationError),
        hostError: checkServerIdentity(name, cert)?.message,
      };
      socket.end();
      resolve(facts);
    });
  });
}

const DAY = 86_400_000;

/** Why the certificate is not good enough, or undefined; `now` from the run's clock. */
export function evaluateCertificate(facts: CertificateFacts, minDays: number, now: number): string | undefined {
  if (facts.hostError) return `certificate does not cover the host: ${facts.hostError}`;
  const days = Math.floor((facts.validTo.getTime() - now) / DAY);
  if (facts.validTo.getTime() <= now) return `certificate expired on ${facts.validTo.toISOString().slice(0, 10)}`;
  if (facts.chainError) return `certificate is not trusted: ${facts.chainError}`;
  if (days < minDays)
    return `certificate expires in ${days} days (${facts.validTo.toISOString().slice(0, 10)}), less than tls-min-days ${minDays}`;
  return undefined;
}

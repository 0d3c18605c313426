import { makeSource } from './versioned-app.js';

/**
 * The sample app shipped in each release: answers its VERSION on $PORT (`/` and `/health`; the
 * health path says 503 when VERSION is "broken"), and on SIGTERM stops accepting connections,
 * finishes what is in flight and exits, as gunicorn and uvicorn do.
 */
export const SERVER_JS = `
const http = require('node:http');
const fs = require('node:fs');
const version = fs.readFileSync('VERSION', 'utf8').trim();
const server = http.createServer((req, res) => {
  if (req.url === '/health' && version === 'broken') {
    res.writeHead(503, { 'content-type': 'text/plain' }).end('broken');
    return;
  }
  res.writeHead(200, { 'content-type': 'text/plain' }).end(version);
});
server.keepAliveTimeout = 65000;
server.listen(Number(process.env.PORT), '127.0.0.1', () => console.log('listening on ' + process.env.PORT + ' release ' + process.env.DEPLOY_KIT_RELEASE));
process.on('SIGTERM', () => {
  console.log('SIGTERM: draining');
  server.close(() => process.exit(0));
  server.closeIdleConnections();
  setTimeout(() => process.exit(0), 10000).unref();
});
`;

/** A release source: VERSION and server.cjs. */
export function makeAppSource(version: string): string {
  return makeSource({ VERSION: version, 'server.cjs': SERVER_JS });
}

/** The start-command the tests and the bench give the kit: the node that runs them, on $PORT. */
export const START_COMMAND = `exec ${process.execPath} server.cjs`;

import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { freePort, startDaemon } from './ports.js';

export const NGINX_BINARY = '/usr/sbin/nginx';

export interface NginxServer {
  /** http://127.0.0.1:<port> */
  url: string;
  port: number;
  dir: string;
  /** The include file the kit owns inside `upstream app { ... }`. */
  upstreamFile: string;
  /** Every *.conf here is included in the http block (a test drops a broken one to make nginx -t fail). */
  confDir: string;
  /** `nginx -t` and `nginx -s reload` for this instance (its own prefix and config). */
  testCommand: string;
  reloadCommand: string;
  errorLog(): string;
  stop(): Promise<void>;
}

/**
 * Starts the Debian nginx in the foreground (daemon off) with its own prefix, config and pid file,
 * listening on a free 127.0.0.1 port and proxying to `upstream app`, whose only server line comes
 * from the include file the kit rewrites. The include starts out pointing at `initialPort`.
 */
export async function startNginx(initialPort: number): Promise<NginxServer> {
  const dir = mkdtempSync(join(tmpdir(), 'dk-nginx-'));
  const port = await freePort();
  const confDir = join(dir, 'conf.d');
  mkdirSync(confDir);
  mkdirSync(join(dir, 'upstream'));
  mkdirSync(join(dir, 'logs'));
  const upstreamFile = join(dir, 'upstream', 'app-upstream.conf');
  writeFileSync(upstreamFile, `server 127.0.0.1:${initialPort};\n`);
  const conf = join(dir, 'nginx.conf');
  writeFileSync(
    conf,
    `daemon off;
worker_processes 1;
pid ${join(dir, 'nginx.pid')};
error_log ${join(dir, 'logs', 'error.log')} warn;
events { worker_connections 4096; }
http {
  access_log off;
  # nginx closes a keep-alive connection after keepalive_requests (default 1000) requests; a client that
  # has already sent the next one gets a reset. Under the bench's steady load that happens every few
  # seconds whatever the deploy does, so it is raised here to leave only what a switch causes.
  keepalive_requests 1000000;
  keepalive_timeout 300s;
  client_body_temp_path ${join(dir, 'tmp-body')};
  proxy_temp_path ${join(dir, 'tmp-proxy')};
  fastcgi_temp_path ${join(dir, 'tmp-fastcgi')};
  uwsgi_temp_path ${join(dir, 'tmp-uwsgi')};
  scgi_temp_path ${join(dir, 'tmp-scgi')};
  upstream app {
    include ${upstreamFile};
  }
  include ${confDir}/*.conf;
  server {
    listen 127.0.0.1:${port};
    location / {
      proxy_pass http://app;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
    }
  }
}
`,
  );
  const base = `${NGINX_BINARY} -p ${dir} -e ${join(dir, 'logs', 'error.log')} -c ${conf}`;
  execFileSync(NGINX_BINARY, ['-p', dir, '-e', join(dir, 'logs', 'error.log'), '-c', conf, '-t'], { stdio: 'pipe' });
  const daemon = await startDaemon('nginx', [NGINX_BINARY, '-p', dir, '-e', join(dir, 'logs', 'error.log'), '-c', conf], port);
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    dir,
    upstreamFile,
    confDir,
    testCommand: `${base} -t`,
    reloadCommand: `${base} -s reload`,
    errorLog: () => readFileSync(join(dir, 'logs', 'error.log'), 'utf8'),
    // A graceful stop, then a hard one if workers hang on to connections.
    stop: () => {
      setTimeout(() => daemon.child.kill('SIGKILL'), 5000).unref();
      return daemon.stop('SIGQUIT');
    },
  };
}

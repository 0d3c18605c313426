import { withVars } from '../../core/shell.js';

/** How the kit points nginx at one loopback port: a file it owns, included in the user's upstream block. */
export interface NginxConfig {
  /** Absolute path of the include file, e.g. /etc/nginx/deploy-kit/app-upstream.conf. */
  upstreamFile: string;
  /** Checks the whole configuration before it is loaded (`nginx -t`). */
  testCommand: string;
  /** Loads it gracefully (`nginx -s reload`, `systemctl reload nginx`). */
  reloadCommand: string;
}

/** Exit codes of the switch script, so the error can say which step refused. */
export const NGINX_TEST_FAILED = 20;
export const NGINX_RELOAD_FAILED = 21;

export function upstreamFileContent(port: number): string {
  return `# written by deploy-kit (switch: blue-green); do not edit, the next deploy rewrites it\nserver 127.0.0.1:${port};\n`;
}

/**
 * Points the upstream include at `port`: a temp file renamed over the old one (rename(2)), then
 * the test command, then a graceful reload. If the test or the reload fails, the old file is put
 * back, so the configuration nginx runs with and the one on disk never point at the new port.
 */
export function switchUpstreamScript(config: NginxConfig, port: number): string {
  return withVars(
    {
      file: config.upstreamFile,
      port: String(port),
      content: upstreamFileContent(port),
      test_command: config.testCommand,
      reload_command: config.reloadCommand,
    },
    `
dir=$(dirname "$file")
base=$(basename "$file")
mkdir -p "$dir"
tmp="$dir/.$base.deploy-kit.$$"
backup="$dir/.$base.deploy-kit-previous"
had=no
if [ -e "$file" ]; then cp -p "$file" "$backup"; had=yes; fi
printf '%s' "$content" > "$tmp"
if [ "$had" = yes ]; then chmod --reference="$backup" "$tmp" 2>/dev/null || true; else chmod 0644 "$tmp"; fi
mv -f "$tmp" "$file"
restore() {
  if [ "$had" = yes ]; then mv -f "$backup" "$file"; else rm -f "$file"; fi
}
if ! out=$(bash --noprofile --norc -c "$test_command" 2>&1); then
  restore
  printf '%s\\n' "$out" >&2
  echo "the nginx configuration test ($test_command) failed with the new upstream; the previous $file is back and nginx was not reloaded" >&2
  exit ${NGINX_TEST_FAILED}
fi
if ! out=$(bash --noprofile --norc -c "$reload_command" 2>&1); then
  restore
  printf '%s\\n' "$out" >&2
  echo "the nginx reload ($reload_command) failed; the previous $file is back" >&2
  exit ${NGINX_RELOAD_FAILED}
fi
rm -f "$backup"
echo "upstream=$port"
`,
  );
}

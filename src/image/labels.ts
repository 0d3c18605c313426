import { ConfigurationError } from '../core/errors.js';

export interface LabelFacts {
  /** owner/name */
  repository: string;
  /** https://github.com or a GHES URL. */
  serverUrl: string;
  sha: string;
  version: string;
  created: Date;
}

/** The OCI annotations metadata-action sets; user labels given as `key=value` lines override them. */
export function ociLabels(facts: LabelFacts, userLabels: readonly string[]): Record<string, string> {
  const labels: Record<string, string> = {};
  if (facts.repository) {
    labels['org.opencontainers.image.title'] = facts.repository.split('/').pop()!;
    labels['org.opencontainers.image.source'] = `${facts.serverUrl.replace(/\/$/, '')}/${facts.repository}`;
    labels['org.opencontainers.image.url'] = labels['org.opencontainers.image.source'];
  }
  if (facts.sha) labels['org.opencontainers.image.revision'] = facts.sha;
  labels['org.opencontainers.image.created'] = facts.created.toISOString();
  if (facts.version) labels['org.opencontainers.image.version'] = facts.version;
  Object.assign(labels, parseKeyValues('labels', userLabels));
  return labels;
}

/** `KEY=value` lines (labels, build-args, secrets) into a record; the value may contain `=`. */
export function parseKeyValues(input: string, lines: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [index, line] of lines.entries()) {
    const eq = line.indexOf('=');
    // The line itself is not printed: in `secrets` it may be the secret.
    if (eq <= 0) throw new ConfigurationError(`input "${input}": expected KEY=value lines; entry ${index + 1} has no KEY=`);
    out[line.slice(0, eq).trim()] = line.slice(eq + 1);
  }
  return out;
}

/** The server URL from the run link (`https://github.com/owner/repo/actions/runs/1`), github.com otherwise. */
export function serverUrlFromRunUrl(runUrl: string, repository: string): string {
  const at = repository ? runUrl.indexOf(`/${repository}/actions/runs/`) : -1;
  return at > 0 && /^https?:\/\//.test(runUrl) ? runUrl.slice(0, at) : 'https://github.com';
}

import { isIP } from 'node:net';

import { z } from 'zod';

import { defineAction, type RunContext } from '../core/action.js';
import { ConfigurationError, OperationalError } from '../core/errors.js';
import { bool, choice, content, duration, httpUrl, integer, list, optionalText, pattern, text } from '../core/inputs.js';
import { annotate, type Logger, maskBasicAuth, maskSecret } from '../core/logger.js';
import { rollbackConfig, rollbackInputs } from '../release/rollback-config.js';
import { applySwarmMode, swarmRollbackInputs, withoutSwarm } from '../release/swarm/inputs.js';
import { SSH_SECRET_INPUTS } from '../ssh/inputs.js';
import { displayUrl, type HttpCheck, parseChecks, shorthandCheck } from './checks.js';
import { corsProbe, httpProbe, type Probe, securityHeadersProbe, tlsProbe, versionProbe } from './probes.js';
import { buildReport, type SkippedPreset, writeSummary } from './report.js';
import { type Routing, trustedCas } from './request.js';
import { rollbackAfterFailure, type SmokeRollback } from './rollback.js';
import { runProbes } from './run.js';

const PRESETS = ['security-headers', 'cors', 'tls', 'version'] as const;
type Preset = (typeof PRESETS)[number];

const schema = z.object({
  url: httpUrl(),
  expect: text(''),
  checks: content(),
  presets: list(),
  deadline: duration('60s'),
  'request-timeout': duration('10s'),
  'host-header': pattern(/^[A-Za-z0-9.-]+(?::\d{1,5})?$/, 'a host name with an optional :port'),
  resolve: optionalText(),
  'forwarded-proto': pattern(/^https?$/, 'https (or http)'),
  'vercel-bypass-secret': optionalText(),
  'ca-cert': content(),
  // A trailing slash (a deployment URL output) is dropped: browsers send the origin without one.
  origin: pattern(/^https?:\/\/[^/\s]+\/?$/, 'an origin such as https://app.example.com (scheme and host, no path)'),
  'cors-url': httpUrl(),
  'cors-method': pattern(/^[A-Za-z]+$/, 'an HTTP method such as POST'),
  'cors-headers': list(),
  'cors-credentials': bool(false),
  'tls-min-days': integer(14, 0, 3650),
  'expect-version': pattern(/^[0-9a-fA-F]{7,64}$/, 'a commit sha (7 to 64 hex digits)'),
  'version-url': httpUrl(),
  strict: bool(false),
  'on-failure': choice(['fail', 'rollback'] as const, 'fail'),
  ...rollbackInputs,
  ...swarmRollbackInputs,
});

export type SmokeInputs = z.output<typeof schema>;

const SENSITIVE_HEADER = /authorization|cookie|token|secret|api-?key|password/i;

/** Credentials written into `checks` (headers, URL passwords) never reach a log. */
function maskCredentials(check: HttpCheck, logger: Logger): void {
  for (const [name, value] of Object.entries(check.headers)) {
    if (!SENSITIVE_HEADER.test(name)) continue;
    maskSecret(logger, value);
    const scheme = /^(?:Bearer|Basic|Token)\s+(.+)$/i.exec(value);
    if (scheme) maskSecret(logger, scheme[1]!);
  }
  if (check.url.password) maskBasicAuth(logger, decodeURIComponent(check.url.username), decodeURIComponent(check.url.password));
}

/** Every probe the inputs ask for; all input mistakes surface here, before any request. */
export function planProbes(inputs: SmokeInputs, ctx: Pick<RunContext, 'env' | 'clock' | 'logger'>): Probe[] {
  const presets = inputs.presets.map((name) => {
    if (!(PRESETS as readonly string[]).includes(name))
      throw new ConfigurationError(`input "presets": unknown preset ${JSON.stringify(name)}; known: ${PRESETS.join(', ')}`);
    return name as Preset;
  });
  if (inputs.resolve !== undefined && isIP(inputs.resolve) === 0)
    throw new ConfigurationError(`input "resolve": expected an IP address to send the requests to, got ${JSON.stringify(inputs.resolve)}`);
  if (inputs['ca-cert'] && !inputs['ca-cert'].includes('-----BEGIN CERTIFICATE-----'))
    throw new ConfigurationError('input "ca-cert": expected PEM certificates (-----BEGIN CERTIFICATE-----)');
  const routing: Routing = {
    resolve: inputs.resolve,
    hostHeader: inputs['host-header'],
    ca: trustedCas(inputs['ca-cert']),
    forwardedProto: inputs['forwarded-proto'],
  };

  const checks: HttpCheck[] = inputs.checks ? parseChecks(inputs.checks) : [];
  for (const check of checks) maskCredentials(check, ctx.logger);
  if (inputs.url) {
    checks.unshift(shorthandCheck(inputs.url, inputs.expect));
    maskCredentials(checks[0]!, ctx.logger);
  } else if (inputs.expect) throw new ConfigurationError('input "expect": it applies to "url", which is not set');
  const base = inputs.url ? new URL(inputs.url) : checks[0]?.url;
  if (inputs['vercel-bypass-secret']) routing.vercelBypass = { secret: inputs['vercel-bypass-secret'], hosts: base ? [base.hostname] : [] };
  if (checks.length === 0 && presets.length === 0)
    throw new ConfigurationError(
      'input "url" or "checks": expected at least one check (url: https://app.example.com/health, or a YAML list in checks)',
    );

  const probes: Probe[] = checks.map((check) => httpProbe(check, routing));
  const needBase = (preset: string): URL => {
    if (!base) throw new ConfigurationError(`input "presets": ${preset} needs "url" (or a check) to know which site to test`);
    return base;
  };
  for (const preset of new Set(presets)) {
    if (preset === 'security-headers') probes.push(securityHeadersProbe(needBase(preset), routing, inputs.strict));
    if (preset === 'cors') {
      if (!inputs.origin)
        throw new ConfigurationError(
          'input "origin": the cors preset needs the frontend origin that calls the API (https://app.example.com)',
        );
      const url = inputs['cors-url'] ? new URL(inputs['cors-url']) : needBase(preset);
      probes.push(
        corsProbe(
          url,
          {
            origin: inputs.origin.replace(/\/$/, ''),
            method: (inputs['cors-method'] ?? 'GET').toUpperCase(),
            requestHeaders: inputs['cors-headers'],
            credentials: inputs['cors-credentials'],
          },
          routing,
        ),
      );
    }
    if (preset === 'tls') {
      const url = needBase(preset);
      if (url.protocol !== 'https:') throw new ConfigurationError(`input "presets": tls needs an https:// url, got ${displayUrl(url)}`);
      probes.push(tlsProbe(url, inputs['tls-min-days'], routing, ctx.clock));
    }
    // The version preset needs the app to report its sha somewhere: without version-url it is skipped (skippedPresets).
    if (preset === 'version' && inputs['version-url']) {
      const sha = inputs['expect-version'] ?? ctx.env.sha;
      if (!sha)
        throw new ConfigurationError(
          'input "expect-version": the version preset needs the deployed commit sha (defaults to the run\'s sha, which is unknown here)',
        );
      probes.push(versionProbe(new URL(inputs['version-url']), sha.toLowerCase(), routing));
    }
  }
  if (probes.length === 0)
    throw new ConfigurationError(
      'input "url" or "checks": expected at least one check (the version preset runs only with "version-url", the URL that reports the deployed sha)',
    );
  return probes;
}

/** Presets asked for that need something from the app which the inputs do not say: listed in the notice and the summary, not run. */
export function skippedPresets(inputs: SmokeInputs): SkippedPreset[] {
  if (!inputs.presets.includes('version') || inputs['version-url']) return [];
  return [
    {
      name: 'version',
      reason:
        'skipped: no "version-url" (a URL whose response contains the deployed commit sha, such as /health answering {"version": "<sha>"})',
    },
  ];
}

/** With `on-failure: rollback`, the SSH inputs are checked up front like the rollback action's. */
export function rollbackPlan(inputs: SmokeInputs): SmokeRollback | undefined {
  if (inputs['on-failure'] !== 'rollback') return undefined;
  // Checked after switching back (2xx), with the same Host and X-Forwarded-Proto; not when the checks go through resolve.
  const healthUrl = inputs.resolve ? undefined : inputs.url;
  const routing = { host: inputs['host-header'], forwardedProto: inputs['forwarded-proto'] as 'http' | 'https' | undefined };
  const config = rollbackConfig(withoutSwarm(inputs), 'previous', { url: healthUrl, expect: {}, timeoutMs: inputs.deadline, routing });
  return { config: applySwarmMode(config, inputs), mode: inputs.mode };
}

export const smokeAction = defineAction({
  name: 'smoke',
  schema,
  secretInputs: [...SSH_SECRET_INPUTS, 'vercel-bypass-secret'],
  outputs: ['report', 'passed', 'rolled-back-to'],
  async run(inputs, ctx) {
    const probes = planProbes(inputs, ctx);
    const skipped = skippedPresets(inputs);
    for (const s of skipped) annotate(ctx.logger, 'notice', `smoke preset ${s.name} ${s.reason}`);
    const onFailure = rollbackPlan(inputs);
    ctx.logger.info(`${probes.length} checks in parallel, each retried for up to ${Math.round(inputs.deadline / 1000)}s`);
    const results = await runProbes(probes, {
      deadlineMs: inputs.deadline,
      requestTimeoutMs: inputs['request-timeout'],
      clock: ctx.clock,
      logger: ctx.logger,
    });
    const report = buildReport(results, skipped);
    ctx.outputs.set('report', JSON.stringify(report));
    ctx.outputs.set('passed', String(report.passed));
    writeSummary(ctx.summary, report);
    for (const r of results) {
      const line = `${r.passed ? 'passed' : 'FAILED'} ${r.name} after ${r.attempts} attempt${r.attempts === 1 ? '' : 's'}: ${r.reason}`;
      if (r.warning) ctx.logger.warning(`${r.name}: ${r.reason} (reported only; with strict: true these findings fail the step)`);
      else if (r.passed) ctx.logger.info(line);
      else ctx.logger.error(line);
    }
    const failed = results.filter((r) => !r.passed);
    if (failed.length === 0) return;
    const what = `${failed.length} of ${results.length} checks failed: ${failed.map((r) => `${r.name} (${r.reason})`).join('; ')}`;
    if (!onFailure)
      throw new OperationalError(
        what,
        'the deploy is live but not healthy; look at the failing checks above, then fix forward or run the rollback action',
      );
    const outcome = await rollbackAfterFailure(onFailure, ctx);
    if (outcome.refused) {
      ctx.summary.line(`Not rolled back: ${outcome.refused.message}`);
      throw new OperationalError(`${what}\n${outcome.refused.message}`, outcome.refused.hint);
    }
    if (outcome.release && !outcome.error) ctx.outputs.set('rolled-back-to', outcome.release);
    ctx.summary.heading('Rollback', 3);
    ctx.summary.table(
      ['host', 'from', 'to', 'status'],
      outcome.report.hosts.map((h) => [h.host, h.from ?? '—', h.to ?? '—', h.status]),
    );
    if (outcome.error) {
      ctx.summary.line(`Rollback failed: ${outcome.error}`);
      throw new OperationalError(
        `${what}\nThe rollback failed too: ${outcome.error}`,
        'the site may be down: run the rollback action with an explicit release, or fix forward',
      );
    }
    throw new OperationalError(
      `${what}\nRolled back from ${outcome.previous ?? '?'} to ${outcome.release ?? '?'}.`,
      'the previous release is serving again; fix the failing checks before deploying again',
    );
  },
  // on-failure: rollback holds the deploy lock: a killed main step leaves it to the post step to release.
  post: async (ctx) => (await import('../release/post.js')).releasePost(ctx),
});

import { type FaultQueue, faultQueue } from './faults.js';
import { bearer, type DoubleServer, type Recorded, type Reply, type Route, serveRoutes } from './server.js';

/**
 * A stand-in for Sentry's REST API (https://sentry.io/api/0) on 127.0.0.1. Pages under https://docs.sentry.io/api/:
 *  - auth/: Bearer auth token; 401 `{"detail": "Invalid token"}`; permissions/: a token without
 *    project:releases gets 403 `{"detail": "You do not have permission to perform this action."}`.
 *  - requests/ and ratelimits/: errors are `{"detail": ...}` or field errors `{"field": ["..."]}` with 400
 *    (Sentry answers validation errors with 400, not 422); a 429 carries Retry-After and
 *    X-Sentry-Rate-Limit-Limit/-Remaining/-Reset.
 *  - releases/create-a-new-release-for-an-organization/: POST `{version, projects, refs?}` → 201; an existing
 *    version answers 208 (the endpoint's "already reported" path); refs naming a repository the org has no
 *    integration for → 400 `{"detail": "Invalid repository names: ..."}`; an unknown project slug → 400.
 *  - releases/update-an-organizations-release/: PUT `{refs?, dateReleased?}` (finalize = set dateReleased).
 *  - releases/retrieve-an-organizations-release/: 404 `{"detail": "The requested resource does not exist"}`.
 *  - releases/create-a-new-deploy-for-an-organization/: POST `{environment (required), name?, url?,
 *    projects?, dateStarted?, dateFinished?}` → 201 `{id, environment, name, url, dateStarted, dateFinished}`.
 *  - releases/list-a-releases-deploys/.
 */

export interface SentryRelease {
  version: string;
  projects: string[];
  refs: { repository: string; commit: string; previousCommit?: string }[];
  dateReleased: string | null;
  deploys: { id: string; environment: string; name: string | null; url: string | null; dateStarted: string | null; dateFinished: string }[];
}

export interface SentryDouble extends DoubleServer {
  token: string;
  /** A token without project:releases. */
  readToken: string;
  org: string;
  projects: string[];
  /** Repositories with an integration in the org (refs to others are refused). */
  repositories: string[];
  releases: Map<string, SentryRelease>;
  faults: FaultQueue['faults'];
}

const detail = (status: number, text: string): Reply => ({ status, body: { detail: text } });
const NOT_FOUND = detail(404, 'The requested resource does not exist');

export async function startSentryDouble(): Promise<SentryDouble> {
  const token = 'sntrys_double_0123456789abcdefABCDEF';
  const readToken = 'sntrys_readonly_0123456789abcdef';
  const org = 'acme';
  const projects = ['shop-web', 'shop-api'];
  const repositories = ['acme/shop'];
  const releases = new Map<string, SentryRelease>();
  const faults = faultQueue();
  let deployCount = 0;

  const view = (r: SentryRelease) => ({
    version: r.version,
    shortVersion: r.version.slice(0, 12),
    projects: r.projects.map((slug) => ({ slug, name: slug })),
    dateReleased: r.dateReleased,
    commitCount: r.refs.length,
    deployCount: r.deploys.length,
    lastCommit: r.refs[0] ? { id: r.refs[0].commit } : null,
  });

  /** refs must name repositories the org has an integration for. */
  const badRefs = (refs: unknown): Reply | undefined => {
    if (refs === undefined) return undefined;
    const list = refs as { repository?: string; commit?: string }[];
    if (!Array.isArray(list) || list.some((r) => !r.repository || !r.commit))
      return { status: 400, body: { refs: ['Each ref needs repository and commit.'] } };
    const unknown = list.filter((r) => !repositories.includes(r.repository!)).map((r) => r.repository);
    return unknown.length > 0 ? detail(400, `Invalid repository names: ${unknown.join(',')}`) : undefined;
  };

  const inOrg = (params: string[]) => params[0] === org;
  const routes: Route[] = [
    {
      method: 'POST',
      template: '/api/0/organizations/{org}/releases/',
      handler: (req, p) => {
        if (!inOrg(p)) return NOT_FOUND;
        const body = (req.json ?? {}) as { version?: string; projects?: string[]; refs?: SentryRelease['refs'] };
        if (!body.version) return { status: 400, body: { version: ['This field is required.'] } };
        if (!Array.isArray(body.projects) || body.projects.length === 0)
          return { status: 400, body: { projects: ['This field is required.'] } };
        if (body.projects.some((slug) => !projects.includes(slug))) return { status: 400, body: { projects: ['Invalid project slugs'] } };
        const refused = badRefs(body.refs);
        if (refused) return refused;
        const existing = releases.get(body.version);
        if (existing) {
          existing.projects = [...new Set([...existing.projects, ...body.projects])];
          if (body.refs) existing.refs = body.refs;
          return { status: 208, body: view(existing) };
        }
        const release: SentryRelease = {
          version: body.version,
          projects: body.projects,
          refs: body.refs ?? [],
          dateReleased: null,
          deploys: [],
        };
        releases.set(release.version, release);
        return { status: 201, body: view(release) };
      },
    },
    {
      method: 'GET',
      template: '/api/0/organizations/{org}/releases/{version}/',
      handler: (_req, p) => {
        const release = inOrg(p) ? releases.get(p[1]!) : undefined;
        return release ? { status: 200, body: view(release) } : NOT_FOUND;
      },
    },
    {
      method: 'PUT',
      template: '/api/0/organizations/{org}/releases/{version}/',
      handler: (req, p) => {
        const release = inOrg(p) ? releases.get(p[1]!) : undefined;
        if (!release) return NOT_FOUND;
        const body = (req.json ?? {}) as { refs?: SentryRelease['refs']; dateReleased?: string };
        const refused = badRefs(body.refs);
        if (refused) return refused;
        if (body.refs) release.refs = body.refs;
        if (body.dateReleased !== undefined) {
          if (Number.isNaN(Date.parse(body.dateReleased))) return { status: 400, body: { dateReleased: ['Datetime has wrong format.'] } };
          release.dateReleased = body.dateReleased;
        }
        return { status: 200, body: view(release) };
      },
    },
    {
      method: 'POST',
      template: '/api/0/organizations/{org}/releases/{version}/deploys/',
      handler: (req, p) => {
        const release = inOrg(p) ? releases.get(p[1]!) : undefined;
        if (!release) return NOT_FOUND;
        const body = (req.json ?? {}) as { environment?: string; name?: string; url?: string; dateStarted?: string; dateFinished?: string };
        if (!body.environment) return { status: 400, body: { environment: ['This field is required.'] } };
        deployCount += 1;
        const deploy = {
          id: String(1000 + deployCount),
          environment: body.environment,
          name: body.name ?? null,
          url: body.url ?? null,
          dateStarted: body.dateStarted ?? null,
          dateFinished: body.dateFinished ?? new Date().toISOString(),
        };
        release.deploys.push(deploy);
        return { status: 201, body: deploy };
      },
    },
    {
      method: 'GET',
      template: '/api/0/organizations/{org}/releases/{version}/deploys/',
      handler: (_req, p) => {
        const release = inOrg(p) ? releases.get(p[1]!) : undefined;
        return release ? { status: 200, body: release.deploys } : NOT_FOUND;
      },
    },
  ];

  const gate = (req: Recorded): Reply | undefined => {
    const presented = bearer(req);
    if (presented !== token && presented !== readToken) return detail(401, 'Invalid token');
    if (presented === readToken && req.method !== 'GET') return detail(403, 'You do not have permission to perform this action.');
    const fault = faults.take(req, (status) => ({
      detail:
        status === 429 ? 'You are attempting to use this endpoint too frequently. Limit is 40 requests in 1 seconds' : 'Internal Error',
    }));
    if (fault?.status === 429)
      fault.headers = {
        ...fault.headers,
        'x-sentry-rate-limit-limit': '40',
        'x-sentry-rate-limit-remaining': '0',
        'x-sentry-rate-limit-reset': String(Math.floor(Date.now() / 1000) + 1),
      };
    return fault;
  };
  const server = await serveRoutes(
    routes.map((r) => ({ ...r, handler: (req: Recorded, params: string[]) => gate(req) ?? r.handler(req, params) })),
    (req) => gate(req) ?? NOT_FOUND,
  );
  return { ...server, token, readToken, org, projects, repositories, releases, faults: faults.faults };
}

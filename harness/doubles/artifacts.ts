import { createHash, createHmac, randomBytes, randomUUID } from 'node:crypto';

import { bearer, type DoubleServer, type Recorded, type Reply, type Route, serveRoutes } from './server.js';

/**
 * GitHub's workflow-artifact service as @actions/artifact 6 and the REST API see it:
 * - the results service (twirp JSON, proto field names): CreateArtifact → a signed blob URL,
 *   FinalizeArtifact → the artifact id, and the in-run ListArtifacts / GetSignedArtifactURL / DeleteArtifact;
 *   authenticated by the runtime token of one workflow run;
 * - blob storage on its own origin, like *.blob.core.windows.net: Put Block / Put Block List / Get Blob
 *   behind a SAS `sig`, refusing an Authorization header as Azure does;
 * - the REST routes that list, download (302 to a one-minute signed blob URL) and delete artifacts of
 *   every run of the repository. `deny` makes read routes (list, get, download) or write routes (delete)
 *   answer 403 as GitHub does for a token without `actions: read` / `actions: write`.
 */
export interface ArtifactServiceOptions {
  token: string;
  owner?: string;
  repo?: string;
  deny?: ('read' | 'write')[];
}

/** A finalized artifact. `digest` is `sha256:<hex>` of `content`, as the REST API shows it. */
export interface StoredArtifact {
  id: number;
  name: string;
  runId: number;
  size: number;
  digest: string;
  mimeType: string;
  content: Buffer;
  createdAt: Date;
  expiresAt: Date;
}

export interface ArtifactService extends DoubleServer {
  artifacts: StoredArtifact[];
  /** The blob storage origin (a second server, so an Authorization header is not carried over a redirect). */
  blobUrl: string;
  blobRequests: Recorded[];
  /** A new workflow run with fresh backend ids and the environment the runner gives its steps. */
  startRun(): { runId: number; env: Record<string, string> };
  /** Marks every artifact with this name expired (its blob is gone, its download answers 410). */
  expire(name: string): void;
}

/** Every REST route the double serves, as OpenAPI path templates (the unit test checks them against the spec). */
export const ARTIFACT_REST_ROUTES = [
  ['get', '/repos/{owner}/{repo}/actions/artifacts'],
  ['get', '/repos/{owner}/{repo}/actions/artifacts/{artifact_id}'],
  ['get', '/repos/{owner}/{repo}/actions/runs/{run_id}/artifacts'],
  ['get', '/repos/{owner}/{repo}/actions/artifacts/{artifact_id}/{archive_format}'],
  ['delete', '/repos/{owner}/{repo}/actions/artifacts/{artifact_id}'],
] as const;

export const TWIRP_SERVICE = '/twirp/github.actions.results.api.v1.ArtifactService';
const ACCOUNT = 'productionresultssa0';
const CONTAINER = 'actions-results';
const DEFAULT_RETENTION_DAYS = 90;
const UPLOAD_URL_SECONDS = 6 * 3600;
const DOWNLOAD_URL_SECONDS = 60;

interface Run {
  runId: number;
  runBackendId: string;
  jobBackendId: string;
  headSha: string;
}

interface Pending {
  run: Run;
  name: string;
  mimeType: string;
  expiresAt: Date;
  blobPath: string;
}

interface Blob {
  blocks: Map<string, Buffer>;
  committed?: { content: Buffer; contentType: string; etag: string; lastModified: Date };
}

const base64url = (value: string | Buffer) => Buffer.from(value).toString('base64url');

// ---- twirp ---------------------------------------------------------------------------------

const TWIRP_STATUS: Record<string, number> = {
  invalid_argument: 400,
  unauthenticated: 401,
  permission_denied: 403,
  bad_route: 404,
  not_found: 404,
  already_exists: 409,
  failed_precondition: 412,
  internal: 500,
};

/** A twirp error: JSON `{code, msg}` with the status twirp maps the code to. */
const twirpError = (code: keyof typeof TWIRP_STATUS, msg: string): Reply => ({ status: TWIRP_STATUS[code]!, body: { code, msg } });

/** A Timestamp in proto JSON is an RFC 3339 string. */
function parseTimestamp(value: unknown): Date | undefined {
  if (typeof value !== 'string') return undefined;
  const at = new Date(value);
  return Number.isNaN(at.getTime()) ? undefined : at;
}

// ---- Azure blob storage ----------------------------------------------------------------------

function azureError(status: number, code: string, message: string, detail?: string): Reply {
  const requestId = randomUUID();
  const xml =
    `<?xml version="1.0" encoding="utf-8"?><Error><Code>${code}</Code><Message>${message}\nRequestId:${requestId}\nTime:${new Date().toISOString()}</Message>` +
    (detail ? `<AuthenticationErrorDetail>${detail}</AuthenticationErrorDetail>` : '') +
    '</Error>';
  return {
    status,
    raw: Buffer.from(xml),
    headers: { 'content-type': 'application/xml', 'x-ms-error-code': code, 'x-ms-request-id': requestId, 'x-ms-version': '2026-04-06' },
  };
}

const azureHeaders = (extra: Record<string, string> = {}) => ({
  'x-ms-request-id': randomUUID(),
  'x-ms-version': '2026-04-06',
  date: new Date().toUTCString(),
  ...extra,
});

/** Block ids of a Put Block List body, in order (`Latest` looks in uncommitted blocks, then committed). */
function parseBlockList(xml: string): { kind: string; id: string }[] | undefined {
  if (!/<BlockList>[\s\S]*<\/BlockList>/.test(xml)) return undefined;
  return [...xml.matchAll(/<(Latest|Committed|Uncommitted)>([^<]*)<\/\1>/g)].map((m) => ({ kind: m[1]!, id: m[2]! }));
}

// ---- the service -------------------------------------------------------------------------------

export async function startArtifactService(options: ArtifactServiceOptions): Promise<ArtifactService> {
  const owner = options.owner ?? 'acme';
  const repoName = options.repo ?? 'shop';
  const repositoryId = 734512987;
  const jwtKey = randomBytes(32);
  const sasKey = randomBytes(32);
  const runs = new Map<string, Run>(); // runtime token → run
  const pending = new Map<string, Pending>(); // `${runBackendId}/${name}` → upload in progress
  const blobs = new Map<string, Blob>(); // blob path (inside the container) → blob
  const placeOf = new Map<number, { run: Run; blobPath: string }>(); // artifact id → its run and blob
  const artifacts: StoredArtifact[] = [];
  let nextRunId = 11_800_000_001;
  let nextArtifactId = 4_120_000_001;
  let api = '';
  let blobOrigin = '';
  const runOf = new Map<number, Run>();
  const expired = (a: StoredArtifact) => a.expiresAt.getTime() <= Date.now();

  // -- runtime token: an HS256 JWT whose scp carries the backend ids, as the runner's token does
  const issueToken = (run: Run) => {
    const header = base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
    const now = Math.floor(Date.now() / 1000);
    const scp = `Actions.ExampleScope Actions.Results:${run.runBackendId}:${run.jobBackendId}`;
    const payload = base64url(
      JSON.stringify({
        scp,
        iss: 'vstoken.actions.githubusercontent.com',
        aud: 'vstoken.actions.githubusercontent.com',
        nbf: now,
        iat: now,
        exp: now + 6 * 3600,
      }),
    );
    return `${header}.${payload}.${base64url(createHmac('sha256', jwtKey).update(`${header}.${payload}`).digest())}`;
  };

  // -- SAS: sig = HMAC(sp, path, se, rscd); `sp` r allows reads, c/w writes; `rscd` sets the download's Content-Disposition
  const sign = (path: string, sp: string, se: string, rscd: string) =>
    createHmac('sha256', sasKey).update(`${sp}\n${path}\n${se}\n${rscd}`).digest('base64');
  const signedUrl = (blobPath: string, sp: string, seconds: number, rscd = '') => {
    const path = `/${ACCOUNT}/${CONTAINER}/${blobPath}`;
    const se = new Date(Date.now() + seconds * 1000).toISOString().replace(/\.\d+Z$/, 'Z');
    const query = new URLSearchParams({ sv: '2026-04-06', se, sr: 'b', sp, ...(rscd ? { rscd } : {}), sig: sign(path, sp, se, rscd) });
    return `${blobOrigin}${path}?${query}`;
  };
  /** A one-minute read URL whose download is named like the artifact (`<name>.zip` for a zip). */
  const downloadUrl = (a: StoredArtifact) => {
    const file = a.mimeType === 'application/zip' ? `${a.name}.zip` : a.name;
    return signedUrl(
      placeOf.get(a.id)!.blobPath,
      'r',
      DOWNLOAD_URL_SECONDS,
      `attachment; filename="${file.replace(/["\\]/g, '_')}"; filename*=UTF-8''${encodeURIComponent(file)}`,
    );
  };
  /** An Azure error reply when the request may not do `op` on this path, else undefined. */
  const sasRefusal = (req: Recorded, op: 'read' | 'write'): Reply | undefined => {
    const authorization = String(req.headers.authorization ?? '');
    if (/^Bearer /i.test(authorization))
      return azureError(
        400,
        'InvalidAuthenticationInfo',
        'Authentication information is not given in the correct format. Check the value of Authorization header.',
      );
    if (authorization)
      return azureError(
        403,
        'AuthenticationFailed',
        'Server failed to authenticate the request. Make sure the value of Authorization header is formed correctly including the signature.',
      );
    const sp = req.query.get('sp') ?? '';
    const se = req.query.get('se') ?? '';
    const sig = req.query.get('sig') ?? '';
    if (!sig || sig !== sign(req.path, sp, se, req.query.get('rscd') ?? '')) {
      return azureError(
        403,
        'AuthenticationFailed',
        'Server failed to authenticate the request. Make sure the value of Authorization header is formed correctly including the signature.',
        'Signature did not match. String to sign used was ...',
      );
    }
    if (Date.parse(se) < Date.now()) {
      return azureError(
        403,
        'AuthenticationFailed',
        'Server failed to authenticate the request. Make sure the value of Authorization header is formed correctly including the signature.',
        `Signature not valid in the specified time frame: Start [] - Expiry [${new Date(se).toUTCString()}] - Current [${new Date().toUTCString()}]`,
      );
    }
    const allowed = op === 'read' ? sp.includes('r') : /[cw]/.test(sp);
    return allowed
      ? undefined
      : azureError(
          403,
          'AuthorizationPermissionMismatch',
          'This request is not authorized to perform this operation using this permission.',
        );
  };

  const blobRoutes: Route[] = [
    {
      method: 'PUT',
      template: `/${ACCOUNT}/${CONTAINER}/{blob*}`,
      handler: (req, [blobPath]) => {
        const refused = sasRefusal(req, 'write');
        if (refused) return refused;
        const blob = blobs.get(blobPath!) ?? { blocks: new Map<string, Buffer>() };
        blobs.set(blobPath!, blob);
        const comp = req.query.get('comp');
        if (comp === 'block') {
          const blockId = req.query.get('blockid');
          if (!blockId || Buffer.from(blockId, 'base64').length === 0 || Buffer.from(blockId, 'base64').length > 64) {
            return azureError(
              400,
              'InvalidQueryParameterValue',
              'Value for one of the query parameters specified in the request URI is invalid.',
            );
          }
          if (Number(req.headers['content-length']) !== req.body.length)
            return azureError(400, 'InvalidHeaderValue', 'The value for one of the HTTP headers is not in the correct format.');
          if (req.headers['x-ms-structured-body'])
            return azureError(400, 'UnsupportedHeader', 'One of the HTTP headers specified in the request is not supported.');
          blob.blocks.set(blockId, req.body);
          return {
            status: 201,
            raw: Buffer.alloc(0),
            headers: azureHeaders({
              'content-md5': createHash('md5').update(req.body).digest('base64'),
              'x-ms-request-server-encrypted': 'true',
            }),
          };
        }
        if (comp === 'blocklist') {
          const list = parseBlockList(req.body.toString('utf8'));
          if (!list) return azureError(400, 'InvalidXmlDocument', 'XML specified is not syntactically valid.');
          const parts: Buffer[] = [];
          for (const { kind, id } of list) {
            const part = kind === 'Committed' ? undefined : blob.blocks.get(id);
            if (!part) return azureError(400, 'InvalidBlockList', 'The specified block list is invalid.');
            parts.push(part);
          }
          const lastModified = new Date();
          const etag = `"0x${randomBytes(8).toString('hex').toUpperCase()}"`;
          blob.committed = {
            content: Buffer.concat(parts),
            contentType: String(req.headers['x-ms-blob-content-type'] ?? 'application/octet-stream'),
            etag,
            lastModified,
          };
          blob.blocks.clear();
          return {
            status: 201,
            raw: Buffer.alloc(0),
            headers: azureHeaders({ etag, 'last-modified': lastModified.toUTCString(), 'x-ms-request-server-encrypted': 'true' }),
          };
        }
        return azureError(400, 'UnsupportedQueryParameter', 'One of the query parameters specified in the request URI is not supported.');
      },
    },
    {
      method: 'GET',
      template: `/${ACCOUNT}/${CONTAINER}/{blob*}`,
      handler: (req, [blobPath]) => {
        const refused = sasRefusal(req, 'read');
        if (refused) return refused;
        const committed = blobs.get(blobPath!)?.committed;
        if (!committed) return azureError(404, 'BlobNotFound', 'The specified blob does not exist.');
        return {
          status: 200,
          raw: committed.content,
          headers: azureHeaders({
            'content-type': committed.contentType,
            etag: committed.etag,
            'last-modified': committed.lastModified.toUTCString(),
            'accept-ranges': 'bytes',
            'x-ms-blob-type': 'BlockBlob',
            'x-ms-server-encrypted': 'true',
            ...(req.query.get('rscd') ? { 'content-disposition': req.query.get('rscd')! } : {}),
          }),
        };
      },
    },
  ];

  // -- results service (twirp)
  const twirp =
    (handler: (run: Run, body: Record<string, unknown>) => Reply) =>
    (req: Recorded): Reply => {
      const run = runs.get(bearer(req) ?? '');
      if (!run) return twirpError('unauthenticated', 'invalid or missing runtime token');
      if (!String(req.headers['content-type'] ?? '').startsWith('application/json'))
        return twirpError('bad_route', `unexpected Content-Type: ${String(req.headers['content-type'])}`);
      const body = req.json as Record<string, unknown> | undefined;
      if (!body || typeof body !== 'object') return twirpError('invalid_argument', 'the json request could not be decoded');
      if (body.workflow_run_backend_id !== run.runBackendId)
        return twirpError('permission_denied', 'the runtime token does not grant access to this workflow run');
      return handler(run, body);
    };
  /** Create and Finalize act for the token's own job and need a name. */
  const ownJob = (handler: (run: Run, body: Record<string, unknown>, name: string) => Reply) =>
    twirp((run, body) => {
      if (body.workflow_job_run_backend_id !== run.jobBackendId)
        return twirpError('permission_denied', 'the runtime token does not grant access to this job');
      return typeof body.name === 'string' && body.name !== ''
        ? handler(run, body, body.name)
        : twirpError('invalid_argument', 'name is required');
    });
  const finalized = (run: Run, name: string) => artifacts.find((a) => a.runId === run.runId && a.name === name);
  /** The run's artifacts that can still be downloaded, as ListArtifacts and GetSignedArtifactURL see them. */
  const current = (run: Run) => artifacts.filter((a) => a.runId === run.runId && !expired(a));
  const remove = (a: StoredArtifact) => {
    artifacts.splice(artifacts.indexOf(a), 1);
    blobs.delete(placeOf.get(a.id)!.blobPath);
    placeOf.delete(a.id);
  };
  const byName = (handler: (run: Run, a: StoredArtifact) => Reply) =>
    twirp((run, body) => {
      const a = current(run).find((x) => x.name === body.name);
      return a ? handler(run, a) : twirpError('not_found', 'artifact not found');
    });

  const twirpRoutes: Route[] = [
    {
      method: 'POST',
      template: `${TWIRP_SERVICE}/CreateArtifact`,
      handler: ownJob((run, body, name) => {
        if (typeof body.version !== 'number' || body.version < 4) return twirpError('invalid_argument', 'unsupported artifact version');
        if (finalized(run, name)) return twirpError('already_exists', 'an artifact with this name already exists on the workflow run');
        const expiresAt =
          body.expires_at === undefined ? new Date(Date.now() + DEFAULT_RETENTION_DAYS * 86_400_000) : parseTimestamp(body.expires_at);
        if (!expiresAt) return twirpError('invalid_argument', 'expires_at is not a valid timestamp');
        const mimeType = typeof body.mime_type === 'string' && body.mime_type ? body.mime_type : 'application/zip';
        const blobPath = `${run.runBackendId}/workflow-job-run-${run.jobBackendId}/artifacts/${randomBytes(32).toString('hex')}${mimeType === 'application/zip' ? '.zip' : ''}`;
        const previous = pending.get(`${run.runBackendId}/${name}`);
        if (previous) blobs.delete(previous.blobPath);
        pending.set(`${run.runBackendId}/${name}`, { run, name, mimeType, expiresAt, blobPath });
        blobs.set(blobPath, { blocks: new Map() });
        return { status: 200, body: { ok: true, signed_upload_url: signedUrl(blobPath, 'cw', UPLOAD_URL_SECONDS) } };
      }),
    },
    {
      method: 'POST',
      template: `${TWIRP_SERVICE}/FinalizeArtifact`,
      handler: ownJob((run, body, name) => {
        const upload = pending.get(`${run.runBackendId}/${name}`);
        if (!upload)
          return finalized(run, name)
            ? twirpError('already_exists', 'artifact is already finalized')
            : twirpError('not_found', 'artifact not found');
        const committed = blobs.get(upload.blobPath)?.committed;
        if (!committed) return twirpError('invalid_argument', 'no content was uploaded for this artifact');
        if (typeof body.size !== 'string' || !/^\d+$/.test(body.size) || Number(body.size) !== committed.content.length) {
          return twirpError(
            'invalid_argument',
            `size ${String(body.size)} does not match the uploaded blob (${committed.content.length} bytes)`,
          );
        }
        const digest = `sha256:${createHash('sha256').update(committed.content).digest('hex')}`;
        if (body.hash !== undefined && body.hash !== digest)
          return twirpError('invalid_argument', `hash ${String(body.hash)} does not match the uploaded blob`);
        const artifact: StoredArtifact = {
          id: nextArtifactId++,
          name,
          runId: run.runId,
          size: committed.content.length,
          digest,
          mimeType: upload.mimeType,
          content: committed.content,
          createdAt: new Date(),
          expiresAt: upload.expiresAt,
        };
        artifacts.push(artifact);
        placeOf.set(artifact.id, { run, blobPath: upload.blobPath });
        pending.delete(`${run.runBackendId}/${name}`);
        return { status: 200, body: { ok: true, artifact_id: String(artifact.id) } };
      }),
    },
    {
      method: 'POST',
      template: `${TWIRP_SERVICE}/ListArtifacts`,
      handler: twirp((run, body) => {
        const listed = current(run)
          .filter((a) => body.name_filter === undefined || a.name === body.name_filter)
          .filter((a) => body.id_filter === undefined || String(a.id) === String(body.id_filter));
        const view = (a: StoredArtifact) => ({
          workflow_run_backend_id: run.runBackendId,
          workflow_job_run_backend_id: run.jobBackendId,
          database_id: String(a.id),
          name: a.name,
          size: String(a.size),
          created_at: a.createdAt.toISOString(),
          digest: a.digest,
        });
        return { status: 200, body: { artifacts: listed.map(view) } };
      }),
    },
    {
      method: 'POST',
      template: `${TWIRP_SERVICE}/GetSignedArtifactURL`,
      handler: byName((_run, a) => ({ status: 200, body: { signed_url: downloadUrl(a) } })),
    },
    {
      method: 'POST',
      template: `${TWIRP_SERVICE}/DeleteArtifact`,
      handler: byName((_run, a) => {
        remove(a);
        return { status: 200, body: { ok: true, artifact_id: String(a.id) } };
      }),
    },
  ];

  // -- REST: GitHub takes `Bearer <token>` and `token <token>` alike (octokit sends the latter for non-JWT tokens)
  const restToken = (req: Recorded) => /^(?:bearer|token) (.+)$/i.exec(String(req.headers.authorization ?? ''))?.[1];
  const restError = (status: number, message: string): Reply => ({
    status,
    body: { message, documentation_url: 'https://docs.github.com/rest/actions/artifacts', status: String(status) },
  });
  const rest =
    (access: 'read' | 'write', handler: (req: Recorded, p: string[]) => Reply) =>
    (req: Recorded, p: string[]): Reply => {
      if (restToken(req) !== options.token)
        return { status: 401, body: { message: 'Bad credentials', documentation_url: 'https://docs.github.com/rest', status: '401' } };
      if (p[0]!.toLowerCase() !== owner.toLowerCase() || p[1]!.toLowerCase() !== repoName.toLowerCase()) return restError(404, 'Not Found');
      return options.deny?.includes(access) ? restError(403, 'Resource not accessible by integration') : handler(req, p);
    };
  const live = (id: string) => artifacts.find((a) => String(a.id) === id);
  const artifactView = (a: StoredArtifact) => {
    const run = placeOf.get(a.id)!.run;
    const url = `${api}/repos/${owner}/${repoName}/actions/artifacts/${a.id}`;
    return {
      id: a.id,
      node_id: Buffer.from(`09:Artifact${a.id}`).toString('base64'),
      name: a.name,
      size_in_bytes: a.size,
      url,
      archive_download_url: `${url}/zip`,
      expired: expired(a),
      created_at: a.createdAt.toISOString().replace(/\.\d+Z$/, 'Z'),
      updated_at: a.createdAt.toISOString().replace(/\.\d+Z$/, 'Z'),
      expires_at: a.expiresAt.toISOString().replace(/\.\d+Z$/, 'Z'),
      digest: a.digest,
      workflow_run: {
        id: a.runId,
        repository_id: repositoryId,
        head_repository_id: repositoryId,
        head_branch: 'main',
        head_sha: run.headSha,
      },
    };
  };

  /** One page of artifacts, newest first, `name` an exact filter, with GitHub's Link header. */
  const listing = (req: Recorded, from: StoredArtifact[]): Reply => {
    const perPage = Math.min(Math.max(Number(req.query.get('per_page') ?? 30) || 30, 1), 100);
    const page = Math.max(Number(req.query.get('page') ?? 1) || 1, 1);
    const name = req.query.get('name');
    const all = from
      .filter((a) => name === null || a.name === name)
      .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || b.id - a.id);
    const last = Math.max(1, Math.ceil(all.length / perPage));
    const link = (p: number, rel: string) => {
      const query = new URLSearchParams(req.query);
      query.set('per_page', String(perPage));
      query.set('page', String(p));
      return `<${api}${req.path}?${query}>; rel="${rel}"`;
    };
    const links = [
      ...(page > 1 ? [link(page - 1, 'prev')] : []),
      ...(page < last ? [link(page + 1, 'next'), link(last, 'last')] : []),
      ...(page > 1 ? [link(1, 'first')] : []),
    ];
    const body = { total_count: all.length, artifacts: all.slice((page - 1) * perPage, page * perPage).map(artifactView) };
    return { status: 200, body, headers: links.length ? { link: links.join(', ') } : undefined };
  };

  const restRoutes: Route[] = [
    { method: 'GET', template: '/repos/{owner}/{repo}/actions/artifacts', handler: rest('read', (req) => listing(req, artifacts)) },
    {
      method: 'GET',
      template: '/repos/{owner}/{repo}/actions/runs/{run_id}/artifacts',
      handler: rest('read', (req, [, , runId]) =>
        runOf.has(Number(runId))
          ? listing(
              req,
              artifacts.filter((a) => String(a.runId) === runId),
            )
          : restError(404, 'Not Found'),
      ),
    },
    {
      method: 'GET',
      template: '/repos/{owner}/{repo}/actions/artifacts/{artifact_id}',
      handler: rest('read', (_req, [, , id]) => {
        const a = live(id!);
        return a ? { status: 200, body: artifactView(a) } : restError(404, 'Not Found');
      }),
    },
    {
      method: 'GET',
      template: '/repos/{owner}/{repo}/actions/artifacts/{artifact_id}/{archive_format}',
      handler: rest('read', (_req, [, , id, format]) => {
        const a = live(id!);
        if (!a || format !== 'zip') return restError(404, 'Not Found');
        if (expired(a)) return restError(410, 'Artifact has expired');
        return { status: 302, headers: { location: downloadUrl(a) } };
      }),
    },
    {
      method: 'DELETE',
      template: '/repos/{owner}/{repo}/actions/artifacts/{artifact_id}',
      handler: rest('write', (_req, [, , id]) => {
        const a = live(id!);
        if (!a) return restError(404, 'Not Found');
        remove(a);
        return { status: 204 };
      }),
    },
  ];

  const notFound = (): Reply => ({ status: 404, body: { message: 'Not Found', documentation_url: 'https://docs.github.com/rest' } });
  const server = await serveRoutes([...twirpRoutes, ...restRoutes], (req) =>
    req.path.startsWith('/twirp/') ? twirpError('bad_route', `no handler for path "${req.path}"`) : notFound(),
  );
  const blobServer = await serveRoutes(blobRoutes, () =>
    azureError(400, 'InvalidUri', 'The requested URI does not represent any resource on the server.'),
  );
  api = server.url;
  blobOrigin = blobServer.url;

  return {
    url: server.url,
    requests: server.requests,
    blobUrl: blobServer.url,
    blobRequests: blobServer.requests,
    artifacts,
    close: async () => {
      await Promise.all([server.close(), blobServer.close()]);
    },
    startRun() {
      const run: Run = {
        runId: nextRunId++,
        runBackendId: randomUUID(),
        jobBackendId: randomUUID(),
        headSha: randomBytes(20).toString('hex'),
      };
      const token = issueToken(run);
      runs.set(token, run);
      runOf.set(run.runId, run);
      return {
        runId: run.runId,
        env: {
          ACTIONS_RUNTIME_TOKEN: token,
          ACTIONS_RESULTS_URL: `${api}/`,
          GITHUB_API_URL: api,
          GITHUB_RUN_ID: String(run.runId),
          GITHUB_REPOSITORY: `${owner}/${repoName}`,
          GITHUB_SERVER_URL: 'https://github.com',
        },
      };
    },
    expire(name) {
      for (const a of artifacts.filter((x) => x.name === name)) {
        a.expiresAt = new Date(Date.now() - 1000);
        blobs.delete(placeOf.get(a.id)!.blobPath);
      }
    },
  };
}

import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateRawSync } from 'node:zlib';

import type { DefaultArtifactClient, UploadArtifactOptions, UploadArtifactResponse } from '@actions/artifact';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { ARTIFACT_REST_ROUTES, type ArtifactService, startArtifactService, TWIRP_SERVICE } from '../../harness/doubles/artifacts.js';

const require = createRequire(import.meta.url);
type Schema = { type?: string; properties?: Record<string, Schema>; required?: string[]; items?: Schema };
type Operation = { responses: Record<string, { content?: Record<string, { schema: Schema }> }> };
const github = (require('@octokit/openapi') as { schemas: Record<string, { paths: Record<string, Record<string, Operation>> }> }).schemas[
  'api.github.com.deref'
]!;

const TOKEN = 'ghs_artifacts';
const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

/** Runs `fn` with a workflow run's environment in process.env, as the runner gives it to a step, and restores it. */
async function inRun<T>(env: Record<string, string>, workspace: string, fn: () => Promise<T>): Promise<T> {
  const all = { ...env, GITHUB_WORKSPACE: workspace };
  const saved = Object.fromEntries(Object.keys(all).map((k) => [k, process.env[k]]));
  Object.assign(process.env, all);
  try {
    return await fn();
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

/** The entries of a zip archive (central directory → local headers → stored or deflated data). */
function unzip(zip: Buffer): Map<string, Buffer> {
  const eocd = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  const entries = new Map<string, Buffer>();
  let at = zip.readUInt32LE(eocd + 16);
  for (let i = 0; i < zip.readUInt16LE(eocd + 10); i += 1) {
    const method = zip.readUInt16LE(at + 10);
    const compressed = zip.readUInt32LE(at + 20);
    const nameLength = zip.readUInt16LE(at + 28);
    const name = zip.subarray(at + 46, at + 46 + nameLength).toString('utf8');
    const local = zip.readUInt32LE(at + 42);
    const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    const data = zip.subarray(start, start + compressed);
    entries.set(name, method === 8 ? inflateRawSync(data) : Buffer.from(data));
    at += 46 + nameLength + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
  }
  return entries;
}

interface RestArtifact {
  id: number;
  name: string;
  size_in_bytes: number;
  expired: boolean;
  expires_at: string;
  digest: string;
  archive_download_url: string;
  workflow_run: { id: number };
}

function restClient(service: ArtifactService, token = TOKEN) {
  const call = (method: string, path: string) =>
    fetch(path.startsWith('http') ? path : `${service.url}/repos/acme/shop${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, accept: 'application/vnd.github+json' },
      redirect: 'manual',
    });
  return {
    call,
    async list(query = ''): Promise<{ total_count: number; artifacts: RestArtifact[]; link: string | null }> {
      const response = await call('GET', `/actions/artifacts${query}`);
      expect(response.status).toBe(200);
      return { ...((await response.json()) as { total_count: number; artifacts: RestArtifact[] }), link: response.headers.get('link') };
    },
    /** The REST download: 302 to a signed blob URL, fetched without the GitHub token. */
    async download(id: number): Promise<{ status: number; location: string; bytes: Buffer; contentType: string | null }> {
      const redirect = await call('GET', `/actions/artifacts/${id}/zip`);
      expect(redirect.status).toBe(302);
      const location = redirect.headers.get('location')!;
      const blob = await fetch(location);
      return { status: blob.status, location, bytes: Buffer.from(await blob.arrayBuffer()), contentType: blob.headers.get('content-type') };
    },
  };
}

function twirpCall(service: ArtifactService, token: string, method: string, body: unknown) {
  return fetch(`${service.url}${TWIRP_SERVICE}/${method}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

/** Uploads one artifact the way the client does, straight over twirp and the blob API; answers the Finalize response. */
async function putArtifact(service: ArtifactService, token: string, name: string, content: Buffer): Promise<Response> {
  const ids = backendIds(token);
  const created = await twirpCall(service, token, 'CreateArtifact', { ...ids, name, version: 7, mime_type: 'application/octet-stream' });
  const { signed_upload_url: uploadUrl } = (await created.json()) as { signed_upload_url: string };
  const blockId = Buffer.from('block-000001').toString('base64');
  await fetch(`${uploadUrl}&comp=block&blockid=${encodeURIComponent(blockId)}`, { method: 'PUT', body: new Uint8Array(content) });
  await fetch(`${uploadUrl}&comp=blocklist`, {
    method: 'PUT',
    body: `<?xml version="1.0" encoding="utf-8"?><BlockList><Latest>${blockId}</Latest></BlockList>`,
  });
  return twirpCall(service, token, 'FinalizeArtifact', { ...ids, name, size: String(content.length), hash: `sha256:${sha256(content)}` });
}

function backendIds(token: string): { workflow_run_backend_id: string; workflow_job_run_backend_id: string } {
  const { scp } = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8')) as { scp: string };
  const [, run, job] = scp
    .split(' ')
    .find((s) => s.startsWith('Actions.Results:'))!
    .split(':');
  return { workflow_run_backend_id: run!, workflow_job_run_backend_id: job! };
}

describe('the artifact service double with the real @actions/artifact client', () => {
  let service: ArtifactService;
  let workspace: string;
  let dump: Buffer;
  let client: DefaultArtifactClient;
  let run1: { runId: number; env: Record<string, string> };
  type Uploaded = Required<UploadArtifactResponse>;
  const upload = async (
    run: { env: Record<string, string> },
    name: string,
    files: string[],
    options?: UploadArtifactOptions,
  ): Promise<Uploaded> => {
    const response = await inRun(run.env, workspace, () => client.uploadArtifact(name, files, workspace, options));
    expect(response).toEqual({ id: expect.any(Number), size: expect.any(Number), digest: expect.stringMatching(/^[0-9a-f]{64}$/) });
    return response as Uploaded;
  };
  let raw: Uploaded;
  let zipped: Uploaded;

  beforeAll(async () => {
    service = await startArtifactService({ token: TOKEN });
    // @actions/github (under the library's findBy paths) reads GITHUB_API_URL once, when it is imported
    client = await inRun(
      { GITHUB_API_URL: service.url },
      tmpdir(),
      async () => new (await import('@actions/artifact')).DefaultArtifactClient(),
    );
    workspace = await mkdtemp(join(tmpdir(), 'artifact-double-'));
    dump = randomBytes(20 * 1024 * 1024 + 12345);
    await writeFile(join(workspace, 'db.dump'), dump);
    await writeFile(join(workspace, 'notes.txt'), 'restore with pg_restore\n'.repeat(1000));
    await writeFile(join(workspace, 'small.bin'), randomBytes(300_000));
    run1 = service.startRun();
  });
  afterAll(async () => {
    await service?.close();
    await rm(workspace, { recursive: true, force: true });
  });

  it.each(ARTIFACT_REST_ROUTES)('%s %s is a documented operation', (method, path) => {
    expect(github.paths[path]?.[method], `${method} ${path}`).toBeDefined();
  });

  it('stores a raw (skipArchive) upload of several 8 MB blocks byte for byte, named after the file', async () => {
    raw = await upload(run1, 'ignored-with-skip-archive', [join(workspace, 'db.dump')], { skipArchive: true, retentionDays: 7 });
    const stored = service.artifacts.find((a) => a.id === raw.id)!;
    expect(stored.name).toBe('db.dump');
    expect(stored.runId).toBe(run1.runId);
    expect(stored.mimeType).toBe('application/octet-stream');
    expect(stored.size).toBe(dump.length);
    expect(raw.size).toBe(dump.length);
    expect(stored.content.equals(dump)).toBe(true);
    expect(stored.digest).toBe(`sha256:${sha256(dump)}`);
    expect(raw.digest).toBe(sha256(dump));
    expect(Math.round((stored.expiresAt.getTime() - Date.now()) / 86_400_000)).toBe(7);
    const blocks = service.blobRequests.filter((r) => r.query.get('comp') === 'block');
    expect(blocks.length).toBe(3);
    expect(blocks.every((r) => r.reply?.status === 201)).toBe(true);
    // the client speaks twirp JSON with proto field names
    const create = service.requests.find((r) => r.path.endsWith('/CreateArtifact'))!;
    expect(create.json).toMatchObject({
      ...backendIds(run1.env.ACTIONS_RUNTIME_TOKEN!),
      name: 'db.dump',
      version: 7,
      mime_type: 'application/octet-stream',
    });
    expect(typeof (create.json as { expires_at: unknown }).expires_at).toBe('string');
  });

  it('stores a zipped upload whose entries are the files', async () => {
    zipped = await upload(run1, 'backup', [join(workspace, 'notes.txt'), join(workspace, 'small.bin')]);
    const stored = service.artifacts.find((a) => a.id === zipped.id)!;
    expect(stored.name).toBe('backup');
    expect(stored.mimeType).toBe('application/zip');
    expect(stored.digest).toBe(`sha256:${zipped.digest}`);
    const entries = unzip(stored.content);
    expect([...entries.keys()].sort()).toEqual(['notes.txt', 'small.bin']);
    expect(entries.get('small.bin')!.equals(await readFile(join(workspace, 'small.bin')))).toBe(true);
    expect(Math.round((stored.expiresAt.getTime() - Date.now()) / 86_400_000)).toBe(90);
  });

  it('lists finalized artifacts newest first with every field the spec requires, paginated with a Link header', async () => {
    const schema = github.paths['/repos/{owner}/{repo}/actions/artifacts']!.get!.responses['200']!.content!['application/json']!.schema;
    const rest = restClient(service);
    const first = await rest.list('?per_page=1');
    expect(first.total_count).toBe(2);
    expect(first.artifacts.map((a) => a.name)).toEqual(['backup']);
    expect(first.link).toMatch(/<[^>]*per_page=1&page=2>; rel="next"/);
    expect(first.link).toMatch(/rel="last"/);
    const next = /<([^>]+)>; rel="next"/.exec(first.link!)![1]!;
    const second = await rest.call('GET', next);
    const page2 = (await second.json()) as { artifacts: RestArtifact[] };
    expect(page2.artifacts.map((a) => a.name)).toEqual(['db.dump']);
    expect(second.headers.get('link')).not.toMatch(/rel="next"/);
    expect(
      schema.required!.filter((k) => !(k in page2)),
      'required top-level fields',
    ).toEqual([]);
    for (const item of [...first.artifacts, ...page2.artifacts]) {
      const itemSchema = schema.properties!.artifacts!.items!;
      expect(
        itemSchema.required!.filter((k) => !(k in item)),
        'required artifact fields',
      ).toEqual([]);
      expect(
        Object.keys(item).filter((k) => !(k in itemSchema.properties!)),
        'fields not in the spec',
      ).toEqual([]);
      expect(Object.keys(item.workflow_run).filter((k) => !(k in itemSchema.properties!.workflow_run!.properties!))).toEqual([]);
      expect(item.workflow_run.id).toBe(run1.runId);
      expect(item.expired).toBe(false);
    }
    expect(page2.artifacts[0]).toMatchObject({ id: raw.id, size_in_bytes: dump.length, digest: `sha256:${raw.digest}` });
    expect((await rest.list('?name=backup')).artifacts.map((a) => a.id)).toEqual([zipped.id]);
    expect((await rest.list('?name=back')).total_count).toBe(0);
  });

  it('downloads through a 302 to a signed blob URL on another origin, which refuses a wrong sig or a bearer token', async () => {
    const rest = restClient(service);
    const got = await rest.download(raw.id);
    expect(got.status).toBe(200);
    expect(new URL(got.location).origin).toBe(service.blobUrl);
    expect(new URL(got.location).origin).not.toBe(service.url);
    expect(got.contentType).toBe('application/octet-stream');
    expect(got.bytes.equals(dump)).toBe(true);
    const zip = await rest.download(zipped.id);
    expect(zip.contentType).toBe('application/zip');
    expect(sha256(zip.bytes)).toBe(zipped.digest);

    const forged = new URL(got.location);
    forged.searchParams.set('sig', Buffer.from('forged').toString('base64'));
    const refused = await fetch(forged);
    expect(refused.status).toBe(403);
    expect(refused.headers.get('x-ms-error-code')).toBe('AuthenticationFailed');
    expect(await refused.text()).toMatch(/<Error><Code>AuthenticationFailed<\/Code>/);
    const withToken = await fetch(got.location, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(withToken.status).toBe(400);
    expect(withToken.headers.get('x-ms-error-code')).toBe('InvalidAuthenticationInfo');
    const writeWithReadSas = await fetch(`${got.location}&comp=block&blockid=${Buffer.from('a').toString('base64')}`, {
      method: 'PUT',
      body: 'x',
    });
    expect(writeWithReadSas.status).toBe(403);
    expect((await rest.call('GET', `/actions/artifacts/${raw.id}/tar`)).status).toBe(404);
  });

  it("serves the library's own list, get, download and delete: in-run over twirp, across runs over REST (findBy)", async () => {
    const findBy = { token: TOKEN, workflowRunId: run1.runId, repositoryOwner: 'acme', repositoryName: 'shop' };
    await inRun(run1.env, workspace, async () => {
      const inRunList = await client.listArtifacts();
      expect(inRunList.artifacts.map((a) => [a.name, a.id, a.size, a.digest])).toEqual(
        expect.arrayContaining([
          ['db.dump', raw.id, raw.size, `sha256:${raw.digest}`],
          ['backup', zipped.id, zipped.size, `sha256:${zipped.digest}`],
        ]),
      );
      expect((await client.listArtifacts({ findBy })).artifacts.map((a) => a.id).sort()).toEqual([raw.id, zipped.id].sort());
      expect((await client.getArtifact('backup')).artifact.id).toBe(zipped.id);
      expect((await client.getArtifact('db.dump', { findBy })).artifact.id).toBe(raw.id);

      const rawDir = join(workspace, 'out-raw');
      const rawDownload = await client.downloadArtifact(raw.id, { path: rawDir, findBy, expectedHash: `sha256:${raw.digest}` });
      expect(rawDownload.digestMismatch).toBe(false);
      expect((await readFile(join(rawDir, 'db.dump'))).equals(dump)).toBe(true);
      const zipDir = join(workspace, 'out-zip');
      await client.downloadArtifact(zipped.id, { path: zipDir });
      expect(await readFile(join(zipDir, 'notes.txt'), 'utf8')).toBe('restore with pg_restore\n'.repeat(1000));

      await client.uploadArtifact('scratch-a', [join(workspace, 'notes.txt')], workspace);
      await client.uploadArtifact('scratch-b', [join(workspace, 'notes.txt')], workspace);
      await client.deleteArtifact('scratch-a');
      await client.deleteArtifact('scratch-b', { findBy });
    });
    expect(service.artifacts.map((a) => a.name).sort()).toEqual(['backup', 'db.dump']);
  });

  it('refuses a second artifact of the same name in a run, accepts it in another run, and lists both', async () => {
    await expect(upload(run1, 'x', [join(workspace, 'db.dump')], { skipArchive: true })).rejects.toThrow(/409.*already exists/);
    const run2 = service.startRun();
    expect(run2.runId).not.toBe(run1.runId);
    expect(run2.env.ACTIONS_RUNTIME_TOKEN).not.toBe(run1.env.ACTIONS_RUNTIME_TOKEN);
    const again = await upload(run2, 'backup', [join(workspace, 'notes.txt')]);
    const listed = await restClient(service).list('?name=backup');
    expect(listed.artifacts.map((a) => [a.id, a.workflow_run.id])).toEqual([
      [again.id, run2.runId],
      [zipped.id, run1.runId],
    ]);
  });

  it('deletes an artifact: 204, then gone from the listing, its download and its blob', async () => {
    const rest = restClient(service);
    const location = (await rest.call('GET', `/actions/artifacts/${zipped.id}/zip`)).headers.get('location')!;
    expect((await rest.call('DELETE', `/actions/artifacts/${zipped.id}`)).status).toBe(204);
    expect((await rest.list()).artifacts.map((a) => a.id)).not.toContain(zipped.id);
    expect((await rest.call('GET', `/actions/artifacts/${zipped.id}/zip`)).status).toBe(404);
    expect((await rest.call('DELETE', `/actions/artifacts/${zipped.id}`)).status).toBe(404);
    const blob = await fetch(location);
    expect(blob.status).toBe(404);
    expect(blob.headers.get('x-ms-error-code')).toBe('BlobNotFound');
  });

  it('marks expired artifacts expired and answers 410 to their download', async () => {
    const rest = restClient(service);
    service.expire('db.dump');
    const listed = (await rest.list('?name=db.dump')).artifacts[0]!;
    expect(listed.expired).toBe(true);
    expect(Date.parse(listed.expires_at)).toBeLessThanOrEqual(Date.now());
    const gone = await rest.call('GET', `/actions/artifacts/${raw.id}/zip`);
    expect(gone.status).toBe(410);
    expect(await gone.json()).toMatchObject({ message: 'Artifact has expired' });
    expect((await rest.list('?name=backup')).artifacts.every((a) => !a.expired)).toBe(true);
  });

  it('keeps the twirp state machine: unknown token, unfinalized uploads, size and content checks', async () => {
    const run = service.startRun();
    const token = run.env.ACTIONS_RUNTIME_TOKEN!;
    const ids = backendIds(token);
    const forged = token.replace(/\.[^.]+$/, '.c2lnbmF0dXJl');
    await expect(
      inRun({ ...run.env, ACTIONS_RUNTIME_TOKEN: forged }, workspace, () =>
        client.uploadArtifact('n', [join(workspace, 'notes.txt')], workspace),
      ),
    ).rejects.toThrow(/401/);
    const unauthenticated = await twirpCall(service, forged, 'CreateArtifact', { ...ids, name: 'n', version: 7 });
    expect(unauthenticated.status).toBe(401);
    expect(await unauthenticated.json()).toMatchObject({ code: 'unauthenticated' });
    const otherRun = await twirpCall(service, token, 'CreateArtifact', {
      ...backendIds(run1.env.ACTIONS_RUNTIME_TOKEN!),
      name: 'n',
      version: 7,
    });
    expect(otherRun.status).toBe(403);

    const created = await twirpCall(service, token, 'CreateArtifact', {
      ...ids,
      name: 'partial',
      version: 7,
      mime_type: 'application/octet-stream',
    });
    const { signed_upload_url: uploadUrl } = (await created.json()) as { ok: boolean; signed_upload_url: string };
    const empty = await twirpCall(service, token, 'FinalizeArtifact', { ...ids, name: 'partial', size: '5' });
    expect(empty.status).toBe(400);
    expect(await empty.json()).toMatchObject({ code: 'invalid_argument' });
    const blockId = Buffer.from('block-000001').toString('base64');
    expect((await fetch(`${uploadUrl}&comp=block&blockid=${encodeURIComponent(blockId)}`, { method: 'PUT', body: 'hello' })).status).toBe(
      201,
    );
    const commit = await fetch(`${uploadUrl}&comp=blocklist`, {
      method: 'PUT',
      headers: { 'x-ms-blob-content-type': 'application/octet-stream' },
      body: `<?xml version="1.0" encoding="utf-8"?><BlockList><Latest>${blockId}</Latest></BlockList>`,
    });
    expect(commit.status).toBe(201);
    expect((await restClient(service).list('?name=partial')).total_count).toBe(0);
    const wrongSize = await twirpCall(service, token, 'FinalizeArtifact', { ...ids, name: 'partial', size: '6' });
    expect(wrongSize.status).toBe(400);
    const wrongHash = await twirpCall(service, token, 'FinalizeArtifact', {
      ...ids,
      name: 'partial',
      size: '5',
      hash: `sha256:${sha256(Buffer.from('other'))}`,
    });
    expect(wrongHash.status).toBe(400);
    const done = await twirpCall(service, token, 'FinalizeArtifact', {
      ...ids,
      name: 'partial',
      size: '5',
      hash: `sha256:${sha256(Buffer.from('hello'))}`,
    });
    expect(done.status).toBe(200);
    const { artifact_id: artifactId } = (await done.json()) as { ok: boolean; artifact_id: string };
    expect(typeof artifactId).toBe('string');
    expect((await restClient(service).list('?name=partial')).artifacts.map((a) => String(a.id))).toEqual([artifactId]);
    expect((await twirpCall(service, token, 'FinalizeArtifact', { ...ids, name: 'never-created', size: '0' })).status).toBe(404);
  });

  it('pages by at most 100 with Link next/last/prev, per repository and per run, and the library collects every page of a run', async () => {
    const run = service.startRun();
    for (let i = 0; i < 101; i += 1)
      expect((await putArtifact(service, run.env.ACTIONS_RUNTIME_TOKEN!, `part-${i}`, Buffer.from(`part ${i}`))).status).toBe(200);
    const rest = restClient(service);
    const others = service.artifacts.length - 101;
    const first = await rest.list('?per_page=500');
    expect(first.total_count).toBe(101 + others);
    expect(first.artifacts).toHaveLength(100);
    expect(first.artifacts[0]!.name).toBe('part-100');
    expect(first.link).toContain('per_page=100&page=2>; rel="next"');
    expect(first.link).toContain(`per_page=100&page=2>; rel="last"`);
    const second = await rest.list('?per_page=100&page=2');
    expect(second.artifacts.map((a) => a.name)[0]).toBe('part-0');
    expect(second.artifacts).toHaveLength(1 + others);
    expect(second.link).toContain('per_page=100&page=1>; rel="prev"');
    const ofRun = await rest.call('GET', `/actions/runs/${run.runId}/artifacts?per_page=100&page=2`);
    expect(((await ofRun.json()) as { total_count: number; artifacts: RestArtifact[] }).artifacts.map((a) => a.name)).toEqual(['part-0']);
    const findBy = { token: TOKEN, workflowRunId: run.runId, repositoryOwner: 'acme', repositoryName: 'shop' };
    const listed = await inRun(run.env, workspace, () => client.listArtifacts({ findBy }));
    expect(new Set(listed.artifacts.map((a) => a.name)).size).toBe(101);
    expect((await rest.call('GET', '/actions/runs/1/artifacts')).status).toBe(404);
  });

  it('leaves process.env as it found it after each run', () => {
    expect(process.env.ACTIONS_RUNTIME_TOKEN).toBeUndefined();
    expect(process.env.ACTIONS_RESULTS_URL).toBeUndefined();
    expect(process.env.GITHUB_API_URL).toBe('http://127.0.0.1:9');
  });

  it('answers 401 to a wrong REST token', async () => {
    const response = await restClient(service, 'ghs_wrong').call('GET', '/actions/artifacts');
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ message: 'Bad credentials' });
  });
});

describe('the artifact service double without permissions', () => {
  it('answers 403 to reads when read is denied, and to deletes when write is denied', async () => {
    const readDenied = await startArtifactService({ token: TOKEN, deny: ['read'] });
    const writeDenied = await startArtifactService({ token: TOKEN, deny: ['write'] });
    try {
      for (const path of ['/actions/artifacts', '/actions/artifacts/1/zip']) {
        const response = await restClient(readDenied).call('GET', path);
        expect(response.status).toBe(403);
        expect(await response.json()).toMatchObject({ message: 'Resource not accessible by integration' });
      }
      expect((await restClient(writeDenied).call('GET', '/actions/artifacts')).status).toBe(200);
      expect((await restClient(writeDenied).call('DELETE', '/actions/artifacts/1')).status).toBe(403);
    } finally {
      await Promise.all([readDenied.close(), writeDenied.close()]);
    }
  });
});

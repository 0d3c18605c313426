import { z } from 'zod';

import type { RunContext } from '../../core/action.js';
import { HttpError } from '../../core/http.js';
import { jsonApi } from '../../core/json-api.js';
import { describeVendorError, parseVendor } from '../../core/vendor.js';
import type { FlyConfig } from './config.js';

/** The fields of a Machine the kit reads; the config is kept whole, because an update sends it back. */
const machineSchema = z.object({
  id: z.string(),
  name: z.string().optional(),
  state: z.string(),
  region: z.string().optional(),
  instance_id: z.string(),
  config: z.looseObject({ image: z.string(), metadata: z.record(z.string(), z.string()).nullish() }),
  checks: z.array(z.object({ name: z.string(), status: z.string(), output: z.string().optional() })).nullish(),
});
export type FlyMachine = z.output<typeof machineSchema>;

const leaseSchema = z.object({ data: z.object({ nonce: z.string(), expires_at: z.number().optional() }) });

/** The Machines API calls the kit makes, each through the shared JSON client (429/5xx retried there). */
export class FlyMachines {
  constructor(
    private readonly config: FlyConfig,
    private readonly ctx: RunContext,
  ) {}

  private async call(
    method: string,
    path: string,
    options: { body?: unknown; headers?: Record<string, string>; query?: Record<string, string> } = {},
  ) {
    try {
      return await jsonApi(this.ctx, this.config.apiUrl, this.config.token).send(method, `/apps/${this.config.app}${path}`, options);
    } catch (error) {
      throw describeVendorError(error, {
        vendor: 'Fly',
        apiUrl: this.config.apiUrl,
        tokenInput: 'token',
        notFound: { pathEnd: `/apps/${this.config.app}/machines`, input: 'app', what: `app ${this.config.app}` },
      });
    }
  }

  /** Every Machine of the app, or of one process group (config.metadata.fly_process_group). */
  async list(processGroup?: string): Promise<FlyMachine[]> {
    const machines = parseVendor(z.array(machineSchema), (await this.call('GET', '/machines')).json(), 'Fly list machines');
    return machines.filter((m) => !processGroup || m.config.metadata?.fly_process_group === processGroup);
  }

  async get(id: string): Promise<FlyMachine> {
    return parseVendor(machineSchema, (await this.call('GET', `/machines/${id}`)).json(), `Fly get machine ${id}`);
  }

  /** Takes the Machine's lease (exclusive right to change it) for `ttl` seconds; returns the nonce. */
  async lease(id: string, ttl: number): Promise<string> {
    const response = await this.call('POST', `/machines/${id}/lease`, { body: { ttl, description: 'deploy-kit rollout' } });
    return parseVendor(leaseSchema, response.json(), `Fly lease ${id}`).data.nonce;
  }

  async release(id: string, nonce: string): Promise<void> {
    await this.call('DELETE', `/machines/${id}/lease`, { headers: { 'fly-machine-lease-nonce': nonce } });
  }

  /** Replaces the Machine's config (the Machine is replaced and started); returns the new version. */
  async update(id: string, config: FlyMachine['config'], nonce: string): Promise<FlyMachine> {
    const response = await this.call('POST', `/machines/${id}`, { body: { config }, headers: { 'fly-machine-lease-nonce': nonce } });
    return parseVendor(machineSchema, response.json(), `Fly update machine ${id}`);
  }

  /** Blocks up to `timeoutS` (max 60) for that version to reach `state`; false when it did not get there. */
  async wait(id: string, instanceId: string, state: string, timeoutS: number): Promise<boolean> {
    const query = { instance_id: instanceId, state, timeout: String(Math.max(1, Math.min(60, timeoutS))) };
    try {
      await jsonApi(this.ctx, this.config.apiUrl, this.config.token).send('GET', `/apps/${this.config.app}/machines/${id}/wait`, { query });
      return true;
    } catch (error) {
      // 408: not there yet; "failed to reach desired state": the caller reads the Machine's state and says which.
      if (error instanceof HttpError && (error.status === 408 || /failed to reach desired state/.test(error.body))) return false;
      throw describeVendorError(error, { vendor: 'Fly', apiUrl: this.config.apiUrl, tokenInput: 'token' });
    }
  }
}

import { isDeepStrictEqual } from 'node:util';

import type { ServiceReport } from './config.js';

/**
 * Reading a stack's state from `docker service inspect` and `docker inspect --type task`, and
 * judging whether a `docker stack deploy` has converged. Pure: the strategy polls, this decides.
 *
 * A snapshot taken just before the deploy tells this deploy's update apart from an older one: an
 * UpdateStatus whose StartedAt is unchanged (an earlier `rollback_completed`, say) is not this
 * deploy's, and tasks that existed before are not this deploy's failures.
 */

interface ServiceJson {
  ID: string;
  Spec: {
    Name: string;
    TaskTemplate: { ContainerSpec?: { Image?: string } };
    Mode?: { Replicated?: { Replicas?: number }; Global?: object };
    UpdateConfig?: { FailureAction?: string };
  };
  PreviousSpec?: { TaskTemplate?: unknown };
  UpdateStatus?: { State?: string; StartedAt?: string; Message?: string };
}

interface TaskJson {
  ID: string;
  ServiceID: string;
  Slot?: number;
  DesiredState: string;
  Spec: { ContainerSpec?: { Image?: string } };
  Status: { State: string; Err?: string; Message?: string };
}

export interface StackSnapshot {
  services: ServiceJson[];
  tasks: TaskJson[];
}

export function parseSnapshot(stdout: string): StackSnapshot {
  const services = /^=services\n([\s\S]*?)^=tasks\n/m.exec(stdout)?.[1];
  const tasks = /^=tasks\n([\s\S]*)$/m.exec(stdout)?.[1];
  if (services === undefined || tasks === undefined) throw new Error(`unexpected output reading the stack: ${stdout.slice(0, 200)}`);
  const json = (text: string) => (text.trim() ? (JSON.parse(text) as unknown[]) : []);
  return { services: json(services) as ServiceJson[], tasks: json(tasks) as TaskJson[] };
}

/** What one wait attempt concluded. */
export type Verdict =
  | { state: 'waiting'; reason: string }
  | { state: 'converged'; services: Record<string, ServiceReport> }
  | {
      state: 'failed';
      services: Record<string, ServiceReport>;
      /** Services Swarm rolled back by itself (rollback_completed). */
      rolledBack: string[];
      /** True when Swarm put back every service this deploy changed, and it added or removed none. */
      swarmRestoredAll: boolean;
      reasons: string[];
      taskErrors: string[];
    };

const FAILED_TASK = new Set(['failed', 'rejected', 'orphaned']);
const PAUSED = new Set(['paused', 'update_paused', 'rollback_paused']);

const shortName = (name: string, stack: string) => (name.startsWith(`${stack}_`) ? name.slice(stack.length + 1) : name);
const imageOf = (spec: { ContainerSpec?: { Image?: string } } | undefined) => spec?.ContainerSpec?.Image ?? '';

/** A failed task as `docker service ps --no-trunc` would show it: name, image, state, error. */
function describeTask(task: TaskJson, service: string): string {
  const error = task.Status.Err ?? task.Status.Message ?? '';
  return `${service}.${task.Slot ?? task.ID.slice(0, 12)} (${imageOf(task.Spec)}): ${task.Status.State}${error ? `: ${error}` : ''}`;
}

export function reportServices(snapshot: StackSnapshot, stack: string): Record<string, ServiceReport> {
  const out: Record<string, ServiceReport> = {};
  for (const service of snapshot.services) {
    const image = imageOf(service.Spec.TaskTemplate);
    const mine = snapshot.tasks.filter((t) => t.ServiceID === service.ID && t.DesiredState === 'running');
    const running = mine.filter((t) => t.Status.State === 'running' && imageOf(t.Spec) === image).length;
    const desired = service.Spec.Mode?.Global ? mine.length : (service.Spec.Mode?.Replicated?.Replicas ?? 1);
    out[shortName(service.Spec.Name, stack)] = { image, digest: /@(sha256:[0-9a-f]{64})$/.exec(image)?.[1], running, desired };
  }
  return out;
}

/** Judges the stack after a deploy against the snapshot taken just before it. */
export function judge(before: StackSnapshot, after: StackSnapshot, stack: string, expected: readonly string[]): Verdict {
  const services = reportServices(after, stack);
  const known = new Map(before.services.map((s) => [s.ID, s]));
  const oldTasks = new Set(before.tasks.map((t) => t.ID));
  const waiting: string[] = [];
  const reasons: string[] = [];
  const rolledBack: string[] = [];
  const taskErrors: string[] = [];
  let changedOthers = 0;
  const missing = expected.filter((name) => !services[name]);
  if (missing.length > 0) waiting.push(`${missing.join(', ')} not created yet`);
  for (const service of after.services) {
    const name = shortName(service.Spec.Name, stack);
    const old = known.get(service.ID);
    const update = service.UpdateStatus;
    const ours = update?.StartedAt !== undefined && update.StartedAt !== old?.UpdateStatus?.StartedAt;
    const templateChanged = old !== undefined && !isDeepStrictEqual(old.Spec.TaskTemplate, service.Spec.TaskTemplate);
    const failedTasks = after.tasks.filter((t) => t.ServiceID === service.ID && !oldTasks.has(t.ID) && FAILED_TASK.has(t.Status.State));
    taskErrors.push(...failedTasks.map((t) => describeTask(t, name)));
    const state = ours ? (update?.State ?? '') : '';
    if (state === 'rollback_completed') {
      rolledBack.push(name);
      reasons.push(`${name}: Swarm rolled the update back by itself (${update?.Message ?? 'rollback_completed'})`);
      continue;
    }
    if (templateChanged) changedOthers += 1;
    if (PAUSED.has(state)) {
      reasons.push(`${name}: the update is ${state} (${update?.Message ?? 'no message'})`);
      continue;
    }
    if (state === 'updating' || state === 'rollback_started') {
      waiting.push(`${name}: ${state}`);
      continue;
    }
    // Swarm judges an update with failure_action rollback itself; a new service or any other
    // failure action has nobody to do that, so this deploy's failed task is the verdict.
    const swarmDecides = old !== undefined && templateChanged && service.Spec.UpdateConfig?.FailureAction === 'rollback';
    const image = imageOf(service.Spec.TaskTemplate);
    const newFailures = failedTasks.filter((t) => imageOf(t.Spec) === image);
    if (newFailures.length > 0 && !swarmDecides) {
      reasons.push(`${name}: ${newFailures.length} task(s) of ${image} failed`);
      continue;
    }
    if (templateChanged && !ours) {
      waiting.push(`${name}: update not started yet`);
      continue;
    }
    const report = services[name]!;
    const stale = after.tasks.filter(
      (t) => t.ServiceID === service.ID && t.DesiredState === 'running' && (t.Status.State !== 'running' || imageOf(t.Spec) !== image),
    );
    if (report.running < report.desired || stale.length > 0) {
      const states = stale.map((t) => t.Status.State).join(', ');
      waiting.push(`${name}: ${report.running}/${report.desired} running${states ? ` (others ${states})` : ''}`);
    }
  }
  if (reasons.length > 0) {
    const added = after.services.filter((s) => !known.has(s.ID)).length;
    const removed = before.services.filter((s) => !after.services.some((a) => a.ID === s.ID)).length;
    const swarmRestoredAll = rolledBack.length > 0 && changedOthers === 0 && added === 0 && removed === 0;
    return { state: 'failed', services, rolledBack, swarmRestoredAll, reasons, taskErrors };
  }
  if (waiting.length > 0) return { state: 'waiting', reason: waiting.join('; ') };
  return { state: 'converged', services };
}

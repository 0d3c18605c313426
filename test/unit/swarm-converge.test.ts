import { describe, expect, it } from 'vitest';

import { judge, parseSnapshot, type StackSnapshot } from '../../src/release/swarm/converge.js';
import { parseManagerCheck, snapshotScript, stackDeployScript } from '../../src/release/swarm/scripts.js';

const V1 = `r/web@sha256:${'1'.repeat(64)}`;
const V2 = `r/web@sha256:${'2'.repeat(64)}`;

type Svc = StackSnapshot['services'][number];
type Task = StackSnapshot['tasks'][number];

function service(id: string, image: string, extra: Partial<Svc> = {}, failureAction = 'rollback'): Svc {
  return {
    ID: id,
    Spec: {
      Name: `shop_${id}`,
      TaskTemplate: { ContainerSpec: { Image: image } },
      Mode: { Replicated: { Replicas: 1 } },
      UpdateConfig: { FailureAction: failureAction },
    },
    ...extra,
  };
}

function task(id: string, serviceId: string, image: string, state: string, desired = 'running', err?: string): Task {
  return {
    ID: id,
    ServiceID: serviceId,
    Slot: 1,
    DesiredState: desired,
    Spec: { ContainerSpec: { Image: image } },
    Status: { State: state, Err: err },
  };
}

const update = (State: string, StartedAt: string, Message = 'm') => ({ UpdateStatus: { State, StartedAt, Message } });
const empty: StackSnapshot = { services: [], tasks: [] };
const v1Running: StackSnapshot = {
  services: [service('web', V1, update('completed', 't0'))],
  tasks: [task('t1', 'web', V1, 'running')],
};

describe('judge', () => {
  it('a created service converges when its tasks run the pinned image', () => {
    expect(judge(empty, v1Running, 'shop', ['web'])).toMatchObject({
      state: 'converged',
      services: { web: { image: V1, digest: `sha256:${'1'.repeat(64)}`, running: 1, desired: 1 } },
    });
  });

  it('waits for a service the stack file names that does not exist yet', () => {
    expect(judge(empty, empty, 'shop', ['web'])).toEqual({ state: 'waiting', reason: 'web not created yet' });
  });

  it('waits while a task is starting (its healthcheck has not passed)', () => {
    const after = { services: [service('web', V1)], tasks: [task('t1', 'web', V1, 'starting')] };
    expect(judge(empty, after, 'shop', ['web'])).toMatchObject({ state: 'waiting', reason: 'web: 0/1 running (others starting)' });
  });

  it("a created service's failed task is the verdict: nobody else rolls it back", () => {
    const after = { services: [service('web', V1)], tasks: [task('t1', 'web', V1, 'failed', 'shutdown', 'exit 1')] };
    expect(judge(empty, after, 'shop', ['web'])).toMatchObject({
      state: 'failed',
      rolledBack: [],
      swarmRestoredAll: false,
      taskErrors: [`web.1 (${V1}): failed: exit 1`],
    });
  });

  it('waits for the update to start when the spec changed but UpdateStatus is still the old one', () => {
    const after = { services: [service('web', V2, update('completed', 't0'))], tasks: v1Running.tasks };
    expect(judge(v1Running, after, 'shop', [])).toMatchObject({ state: 'waiting', reason: 'web: update not started yet' });
  });

  it('waits while updating, even with a failed task, when Swarm decides (failure_action rollback)', () => {
    const after = {
      services: [service('web', V2, update('updating', 't1'))],
      tasks: [task('t1', 'web', V1, 'shutdown', 'shutdown'), task('t2', 'web', V2, 'failed', 'shutdown', 'unhealthy')],
    };
    expect(judge(v1Running, after, 'shop', [])).toMatchObject({ state: 'waiting', reason: 'web: updating' });
  });

  it('converges when this deploy’s update completed and the new tasks run', () => {
    const after = {
      services: [service('web', V2, update('completed', 't1'))],
      tasks: [task('t1', 'web', V1, 'shutdown', 'shutdown'), task('t2', 'web', V2, 'running')],
    };
    expect(judge(v1Running, after, 'shop', [])).toMatchObject({ state: 'converged', services: { web: { image: V2, running: 1 } } });
  });

  it('rollback_completed of this deploy: failed, and Swarm restored everything it changed', () => {
    const after = {
      services: [service('web', V1, update('rollback_completed', 't1', 'rollback completed'))],
      tasks: [task('t2', 'web', V2, 'failed', 'shutdown', 'unhealthy container'), task('t3', 'web', V1, 'running')],
    };
    expect(judge(v1Running, after, 'shop', [])).toMatchObject({
      state: 'failed',
      rolledBack: ['web'],
      swarmRestoredAll: true,
      reasons: ['web: Swarm rolled the update back by itself (rollback completed)'],
      taskErrors: [`web.1 (${V2}): failed: unhealthy container`],
    });
  });

  it('an older rollback_completed is not this deploy’s: redeploying the same spec converges', () => {
    const before = { services: [service('web', V1, update('rollback_completed', 't1'))], tasks: [task('t3', 'web', V1, 'running')] };
    const after = { services: [service('web', V1, update('rollback_completed', 't1'))], tasks: before.tasks };
    expect(judge(before, after, 'shop', [])).toMatchObject({ state: 'converged' });
  });

  it('old failed tasks in the task history are not this deploy’s failures', () => {
    const before = {
      services: [service('web', V1)],
      tasks: [task('old', 'web', V1, 'failed', 'shutdown'), task('t1', 'web', V1, 'running')],
    };
    expect(judge(before, before, 'shop', [])).toMatchObject({ state: 'converged' });
  });

  it('a paused update fails the deploy and leaves the redeploy to the kit', () => {
    const after = {
      services: [service('web', V2, update('paused', 't1', 'update paused due to failure'), 'pause')],
      tasks: [task('t2', 'web', V2, 'rejected', 'shutdown', 'No such image')],
    };
    expect(judge(v1Running, after, 'shop', [])).toMatchObject({
      state: 'failed',
      swarmRestoredAll: false,
      reasons: ['web: the update is paused (update paused due to failure)'],
    });
  });

  it('Swarm restored one service but another one changed: the kit must redeploy', () => {
    const before = { services: [...v1Running.services, service('api', V1, update('completed', 'a0'))], tasks: v1Running.tasks };
    const after = {
      services: [service('web', V1, update('rollback_completed', 't1')), service('api', V2, update('completed', 'a1'))],
      tasks: [task('t3', 'web', V1, 'running'), task('a2', 'api', V2, 'running')],
    };
    expect(judge(before, after, 'shop', [])).toMatchObject({ state: 'failed', rolledBack: ['web'], swarmRestoredAll: false });
  });

  it('counts global services by their desired tasks', () => {
    const global = service('agent', V1);
    global.Spec.Mode = { Global: {} };
    const after = { services: [global], tasks: [task('g1', 'agent', V1, 'running'), task('g2', 'agent', V1, 'running')] };
    expect(judge(empty, after, 'shop', [])).toMatchObject({ state: 'converged', services: { agent: { running: 2, desired: 2 } } });
  });
});

describe('swarm scripts', () => {
  it('parses the snapshot sections', () => {
    expect(parseSnapshot('=services\n[{"ID":"a"}]\n=tasks\n[]\n')).toEqual({ services: [{ ID: 'a' }], tasks: [] });
    expect(() => parseSnapshot('docker: command not found')).toThrow(/unexpected output/);
  });

  it('quotes the stack name and paths as variables', () => {
    expect(snapshotScript("x'; rm -rf /")).toContain(`stack='x'\\''; rm -rf /'`);
    const deploy = stackDeployScript({
      root: '/srv/app',
      release: 'r1',
      rendered: '.deploy-kit-stack.yaml',
      file: 'compose.yaml',
      stack: 'shop',
    });
    expect(deploy).toContain('docker stack deploy --with-registry-auth --prune --compose-file "$(basename "$path")" "$stack"');
    expect(deploy.startsWith('root=/srv/app\nrelease=r1\nrendered=.deploy-kit-stack.yaml\nfile=compose.yaml\nstack=shop\n')).toBe(true);
  });

  it.each([
    ['swarm=active true', true, 'active'],
    ['swarm=active false', false, 'active'],
    ['swarm=inactive false', false, 'inactive'],
    ['', false, 'unknown'],
  ])('reads the manager check %j', (stdout, manager, state) => {
    expect(parseManagerCheck(stdout)).toEqual({ manager, state });
  });
});

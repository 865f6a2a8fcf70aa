import { loadContract } from '@hangar/contract';
import type { components } from '@hangar/sdk';
import type { VisibleApp } from '../auth/authorize.js';
import { formatTimeMs } from '../clock.js';
import type { HandlerMap, OperationContext } from '../context.js';
import type { MachinesTable } from '../db/schema.js';
import type { EventType } from '../events.js';
import { newId } from '../ids.js';
import type { OperationId } from '../operations.js';
import { oldestFirstPage } from '../pagination.js';
import { problem } from '../problems.js';

type Machine = components['schemas']['Machine'];

/** The contract's default region of a new machine. */
const DEFAULT_REGION = loadContract().defaultAt(
  '#/components/schemas/CreateMachineRequest/properties/region',
) as string;

/** The API view of a machine; `app` is its app's name. */
export function machineView(machine: MachinesTable, appName: string): Machine {
  return {
    id: machine.id,
    app: appName,
    state: machine.state,
    image: machine.image,
    region: machine.region,
    created_at: formatTimeMs(machine.created_at),
  };
}

type MachineOperation = 'getMachine' | 'startMachine' | 'stopMachine' | 'deleteMachine';

/** The machine named in the path, in an app the caller may act on; 404 otherwise. */
function authorizeMachine<K extends MachineOperation>(ctx: OperationContext<K>) {
  const { app: appName, machine: machineId } = ctx.params as { app: string; machine: string };
  const app = ctx.authorizeApp(appName);
  const { db } = ctx.services;
  const machine = db.first(
    db.q
      .selectFrom('machines')
      .selectAll()
      .where('id', '=', machineId)
      .where('app_id', '=', app.id),
  );
  if (!machine) throw problem('not_found', `No machine ${machineId} in app "${app.name}"`);
  return { app, machine };
}

/** Records a machine event of `app` (inside the change's transaction); deleteApp uses it too. */
export function recordMachineEvent<K extends OperationId>(
  ctx: OperationContext<K>,
  type: EventType,
  app: VisibleApp,
  machineId: string,
) {
  ctx.recordEvent({
    type,
    org: { id: app.org_id, slug: app.org_slug },
    app,
    target: { type: 'machine', id: machineId, name: null },
  });
}

function setState<K extends 'startMachine' | 'stopMachine'>(
  ctx: OperationContext<K>,
  state: MachinesTable['state'],
) {
  const { app, machine } = authorizeMachine(ctx);
  const { db } = ctx.services;
  // Starting a started machine changes nothing, so it records nothing either.
  if (machine.state !== state) {
    db.transaction(() => {
      db.run(db.q.updateTable('machines').set({ state }).where('id', '=', machine.id));
      recordMachineEvent(ctx, `machine.${state}`, app, machine.id);
    });
  }
  return { status: 200 as const, body: machineView({ ...machine, state }, app.name) };
}

/** Machines of an app: list (oldest first), create (started), get, start, stop, delete. */
export const machineHandlers = {
  listMachines(ctx) {
    const app = ctx.authorizeApp(ctx.params.app);
    const { db } = ctx.services;
    const machines = db.q.selectFrom('machines').selectAll().where('app_id', '=', app.id);
    const page = { ...ctx.query, list: ctx.listKey };
    return {
      status: 200,
      body: oldestFirstPage(db, machines, 'machines', page, (m) => machineView(m, app.name)),
    };
  },

  createMachine(ctx) {
    const app = ctx.authorizeApp(ctx.params.app);
    const { db, clock } = ctx.services;
    const machine: MachinesTable = {
      id: newId('m'),
      app_id: app.id,
      state: 'started',
      image: ctx.body.image,
      region: ctx.body.region ?? DEFAULT_REGION,
      created_at: clock.nowMs(),
    };
    db.transaction(() => {
      db.run(db.q.insertInto('machines').values(machine));
      recordMachineEvent(ctx, 'machine.created', app, machine.id);
    });
    return { status: 201, body: machineView(machine, app.name) };
  },

  getMachine(ctx) {
    const { app, machine } = authorizeMachine(ctx);
    return { status: 200, body: machineView(machine, app.name) };
  },

  startMachine: (ctx) => setState(ctx, 'started'),
  stopMachine: (ctx) => setState(ctx, 'stopped'),

  deleteMachine(ctx) {
    const { app, machine } = authorizeMachine(ctx);
    const { db } = ctx.services;
    db.transaction(() => {
      db.run(db.q.deleteFrom('machines').where('id', '=', machine.id));
      recordMachineEvent(ctx, 'machine.deleted', app, machine.id);
    });
    return { status: 204 };
  },
} satisfies HandlerMap<
  'listMachines' | 'createMachine' | 'getMachine' | 'startMachine' | 'stopMachine' | 'deleteMachine'
>;

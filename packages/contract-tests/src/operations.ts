/**
 * How to call each operation of the contract through the SDK's raw openapi-fetch client, given
 * the names of its targets. The raw client returns every status instead of throwing, so each
 * outcome is observable.
 */
import type { RawHangarClient } from '@hangar/sdk';

/** The resources one call acts on: slugs, names and ids. */
export interface CallTargets {
  org: string;
  app: string;
  machine: string;
  tokenId: string;
  /** Name for createApp (must be unused on the server); also a new trust policy's name. */
  newApp: string;
  /** A trust policy of `org` (getTrustPolicy, deleteTrustPolicy). */
  policyId: string;
}

/** Status and parsed body of one call. */
export interface Outcome {
  status: number;
  body: unknown;
}

/** Calls one operation as the given client against the world's targets; not the mock's `Caller`. */
type OperationCall = (client: RawHangarClient, t: CallTargets) => Promise<Outcome>;

/** Lifetime of tokens minted in the matrix: shorter than every caller's, so the lifetime rule never decides a cell. */
export const MATRIX_TOKEN_BODY = { name: 'contract matrix', expires_in: 3600 };
export const MACHINE_BODY = { image: 'registry.hangar.dev/contract:v1' };
/** Rotations in the matrix keep the old token one minute (the default lifetime never decides a cell). */
export const MATRIX_ROTATE_BODY = { grace_period: 60 };

async function outcome(
  pending: Promise<{ data?: unknown; error?: unknown; response: Response }>,
): Promise<Outcome> {
  const { data, error, response } = await pending;
  return { status: response.status, body: data ?? error };
}

const org = (t: CallTargets) => ({ params: { path: { org: t.org } } });
const app = (t: CallTargets) => ({ params: { path: { app: t.app } } });
const machine = (t: CallTargets) => ({ params: { path: { app: t.app, machine: t.machine } } });
const token = (t: CallTargets) => ({ params: { path: { token_id: t.tokenId } } });
const policy = (t: CallTargets) => ({ params: { path: { org: t.org, policy_id: t.policyId } } });

/**
 * A trust policy any authenticating matrix token with write access to the org can create: a
 * read-only grant of 15 minutes (within every caller's scope and lifetime), so only access
 * decides a cell. `name` must be unused in the org.
 */
export function matrixPolicyBody(name: string) {
  return {
    name,
    issuer: 'https://ci.contract.test',
    audience: 'https://hangar.contract.test',
    conditions: { sub: 'repo:contract/*' },
    grant: { kind: 'readonly' as const, expires_in: 900 },
  };
}

/** Every secured operation of the contract, by operationId. createSession is called on its own. */
export const OPERATION_CALLS: Record<string, OperationCall> = {
  getViewer: (c) => outcome(c.GET('/v1/viewer')),
  revokeCurrentToken: (c) => outcome(c.DELETE('/v1/viewer/token')),
  listOrgs: (c) => outcome(c.GET('/v1/orgs')),
  getOrg: (c, t) => outcome(c.GET('/v1/orgs/{org}', org(t))),
  listApps: (c, t) => outcome(c.GET('/v1/orgs/{org}/apps', org(t))),
  createApp: (c, t) =>
    outcome(c.POST('/v1/orgs/{org}/apps', { ...org(t), body: { name: t.newApp } })),
  getApp: (c, t) => outcome(c.GET('/v1/apps/{app}', app(t))),
  deleteApp: (c, t) => outcome(c.DELETE('/v1/apps/{app}', app(t))),
  listMachines: (c, t) => outcome(c.GET('/v1/apps/{app}/machines', app(t))),
  createMachine: (c, t) =>
    outcome(c.POST('/v1/apps/{app}/machines', { ...app(t), body: MACHINE_BODY })),
  getMachine: (c, t) => outcome(c.GET('/v1/apps/{app}/machines/{machine}', machine(t))),
  startMachine: (c, t) => outcome(c.POST('/v1/apps/{app}/machines/{machine}/start', machine(t))),
  stopMachine: (c, t) => outcome(c.POST('/v1/apps/{app}/machines/{machine}/stop', machine(t))),
  deleteMachine: (c, t) => outcome(c.DELETE('/v1/apps/{app}/machines/{machine}', machine(t))),
  listOrgTokens: (c, t) => outcome(c.GET('/v1/orgs/{org}/tokens', org(t))),
  createOrgToken: (c, t) =>
    outcome(c.POST('/v1/orgs/{org}/tokens/org', { ...org(t), body: MATRIX_TOKEN_BODY })),
  createReadonlyToken: (c, t) =>
    outcome(c.POST('/v1/orgs/{org}/tokens/readonly', { ...org(t), body: MATRIX_TOKEN_BODY })),
  listAppTokens: (c, t) => outcome(c.GET('/v1/apps/{app}/tokens', app(t))),
  createDeployToken: (c, t) =>
    outcome(c.POST('/v1/apps/{app}/tokens', { ...app(t), body: MATRIX_TOKEN_BODY })),
  getToken: (c, t) => outcome(c.GET('/v1/tokens/{token_id}', token(t))),
  revokeToken: (c, t) => outcome(c.DELETE('/v1/tokens/{token_id}', token(t))),
  listPersonalTokens: (c) => outcome(c.GET('/v1/viewer/tokens')),
  rotateToken: (c, t) =>
    outcome(c.POST('/v1/tokens/{token_id}/rotate', { ...token(t), body: MATRIX_ROTATE_BODY })),
  rotateCurrentToken: (c) =>
    outcome(c.POST('/v1/viewer/token/rotate', { body: MATRIX_ROTATE_BODY })),
  // checkAccess answers 200 for every token that authenticates (allowed or not, in its body).
  checkAccess: (c) =>
    outcome(c.POST('/v1/viewer/access-checks', { body: { resource: 'org', action: 'read' } })),
  listOrgEvents: (c, t) => outcome(c.GET('/v1/orgs/{org}/events', org(t))),
  listAppEvents: (c, t) => outcome(c.GET('/v1/apps/{app}/events', app(t))),
  listTrustPolicies: (c, t) => outcome(c.GET('/v1/orgs/{org}/trust-policies', org(t))),
  createTrustPolicy: (c, t) =>
    outcome(
      c.POST('/v1/orgs/{org}/trust-policies', { ...org(t), body: matrixPolicyBody(t.newApp) }),
    ),
  getTrustPolicy: (c, t) => outcome(c.GET('/v1/orgs/{org}/trust-policies/{policy_id}', policy(t))),
  deleteTrustPolicy: (c, t) =>
    outcome(c.DELETE('/v1/orgs/{org}/trust-policies/{policy_id}', policy(t))),
};

/** The `code` of a problem body, if it is one. */
export function problemCode(body: unknown): string | undefined {
  const code = (body as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' ? code : undefined;
}

import type { components } from './generated/schema.js';

type Schemas = components['schemas'];

/** A user: `{ id, email }`. */
export type User = Schemas['User'];
/** An organization, addressed by `slug`; `role` is the caller's role (null without membership). */
export type Org = Schemas['Org'];
/** An app, addressed by its server-unique `name`; `org` is the org's slug. */
export type App = Schemas['App'];
/** A machine of an app; `createMachine` starts it. */
export type Machine = Schemas['Machine'];
/** Token metadata (never the secret). Times are RFC 3339 UTC. */
export type Token = Schemas['Token'];
/** Token metadata plus the secret `token`, returned once, at creation. */
export type CreatedToken = Schemas['CreatedToken'];
/** Kind of a token: personal, org, readonly or deploy. */
export type TokenKind = Schemas['TokenKind'];
/** Status of a token: active, expired or revoked. */
export type TokenStatus = Schemas['TokenStatus'];
/** The caller: user, the token in use, and that token's effective scope. */
export type Viewer = Schemas['Viewer'];
/**
 * The effective scope of a token as the API shows it (slugs, app names, RFC 3339); the same scope
 * in ids and unix seconds is `CaveatScope` in @hangar/tokens.
 */
export type Scope = Schemas['Scope'];
/** Result of `createSession`: a personal token and its user. */
export type Session = Schemas['Session'];
/** One of read, write, create, delete, control. */
export type Action = Schemas['Action'];
/** A failing request field inside a `validation_failed` problem. */
export type FieldError = Schemas['FieldError'];
/** The access a `forbidden` problem says was needed. */
export type RequiredAccess = Schemas['RequiredAccess'];
/** An audit event: type, time (RFC 3339), org, app, actor, target, request id, source. */
export type Event = Schemas['Event'];
/** What an audit event records: `token.created`, `machine.started`, ... */
export type EventType = Schemas['EventType'];
/** The question of checkAccess: `{ resource, action, org?, app? }`. */
export type AccessCheckRequest = Schemas['AccessCheckRequest'];
/** The answer of checkAccess: `{ allowed, status, operation, required_access, caveat, detail }`. */
export type AccessCheck = Schemas['AccessCheck'];

/**
 * Row types of the mock server's SQLite database (Kysely's `Database` interface).
 * Times are integers: milliseconds since the Unix epoch on the server clock.
 * No token secret is stored anywhere: a token row is metadata keyed by the macaroon identifier.
 */
import type { components } from '@hangar/sdk';

export interface UsersTable {
  id: string;
  email: string;
  /** `scrypt$N$r$p$salt$hash` (base64url parts), see `../passwords.ts`. */
  password_hash: string;
  created_at: number;
}

export interface OrgsTable {
  id: string;
  slug: string;
  name: string;
  type: 'personal' | 'shared';
  created_at: number;
}

export interface MembershipsTable {
  org_id: string;
  user_id: string;
  role: 'admin' | 'member';
  created_at: number;
}

export interface AppsTable {
  id: string;
  name: string;
  org_id: string;
  created_at: number;
}

export interface MachinesTable {
  id: string;
  app_id: string;
  state: 'started' | 'stopped';
  image: string;
  region: string;
  created_at: number;
}

/** A token's kind, as the contract's `TokenKind` enum names them. */
export type TokenKind = components['schemas']['TokenKind'];

export interface TokensTable {
  /** The macaroon identifier: what revocation names. Attenuated tokens share it. */
  id: string;
  name: string;
  kind: TokenKind;
  org_id: string | null;
  /** Set for deploy tokens; becomes null when the app is deleted (the token is revoked then). */
  app_id: string | null;
  created_by: string;
  created_at: number;
  expires_at: number;
  last_used_at: number | null;
  revoked_at: number | null;
  /** The identifier of the token that minted this one (null for session and seed tokens). */
  parent_id: string | null;
  /** Names the API shows, copied at creation (they never change): lists need no joins. */
  org_slug: string | null;
  app_name: string | null;
  creator_email: string;
  /**
   * When a rotated token is refused as rotated: the rotation time plus its grace period (null
   * unless rotated). Authentication refuses the token, and everything attenuated from it, from
   * then on (auth/rotation.ts).
   */
  rotated_at: number | null;
  /** The id of the token that replaced this one by rotation. */
  replaced_by: string | null;
  /** The id of the token this one replaced by rotation. */
  replaces: string | null;
  /** Narrower actions (JSON array) a trust policy granted, or null: the kind's own. */
  actions: string | null;
}

/** Key/value settings that survive restarts (`startup_token_id`, `clock_offset_ms`). */
export interface SettingsTable {
  key: string;
  value: string;
}

/** A stored answer to an `Idempotency-Key` (migrations/0005_idempotency_keys.ts). */
export interface IdempotencyKeysTable {
  /** Whose key: `token:<identifier>`, `email:<lower-case email>` (createSession) or `address:<ip>`. */
  scope: string;
  key: string;
  /** HMAC-SHA256 (master key) of the method, path and canonical JSON body, base64url. */
  fingerprint: string;
  status: number;
  content_type: string | null;
  /** The answer's body with token strings replaced by markers (never a secret). */
  body: string | null;
  /** Server clock, ms since the Unix epoch. */
  created_at: number;
}

/** One audit event (events.ts); names are copied so the event outlives what it names. */
export interface EventsTable {
  /** `evt_` + 16 hex digits of a counter: ids sort in the order events were recorded. */
  id: string;
  type: components['schemas']['EventType'];
  created_at: number;
  org_id: string;
  org_slug: string;
  app_id: string | null;
  app_name: string | null;
  actor_token_id: string | null;
  actor_token_kind: TokenKind | null;
  actor_email: string;
  target_type: components['schemas']['EventTarget']['type'];
  target_id: string;
  target_name: string | null;
  request_id: string;
  source_ip: string | null;
  user_agent: string | null;
  /** The OIDC `sub` of a `token.exchanged` actor, else null. */
  actor_subject: string | null;
  /** The trust policy of a `token.exchanged` actor, else null. */
  actor_trust_policy: string | null;
}

/** An organization's trust policy (migrations/0007_trust_policies.ts). */
export interface TrustPoliciesTable {
  /** `tp_` + 16 hex digits. */
  id: string;
  org_id: string;
  name: string;
  issuer: string;
  audience: string;
  /** JSON object: claim name to exact value or `*` glob. */
  conditions: string;
  grant_kind: 'org' | 'readonly' | 'deploy';
  grant_app_id: string | null;
  grant_app_name: string | null;
  /** JSON array of actions, or null. */
  grant_actions: string | null;
  /** Lifetime of minted tokens, seconds. */
  expires_in: number;
  created_by: string;
  creator_email: string;
  created_at: number;
  /**
   * The identifier of the token that created the policy; exchanges are refused once it is no
   * longer usable. Null for policies created before it was recorded (no such check).
   */
  created_by_token: string | null;
}

/** An ID token already exchanged (migrations/0009_used_id_tokens.ts). */
export interface UsedIdTokensTable {
  /** The ID token's `iss`. */
  issuer: string;
  /** Its `jti` (RFC 7519 section 4.1.7). */
  jti: string;
  /** Server clock, ms since the Unix epoch: past it the ID token no longer verifies. */
  expires_at: number;
}

export interface Database {
  users: UsersTable;
  orgs: OrgsTable;
  memberships: MembershipsTable;
  apps: AppsTable;
  machines: MachinesTable;
  tokens: TokensTable;
  settings: SettingsTable;
  idempotency_keys: IdempotencyKeysTable;
  events: EventsTable;
  trust_policies: TrustPoliciesTable;
  used_id_tokens: UsedIdTokensTable;
}

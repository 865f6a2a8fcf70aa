import type { components } from '@hangar/sdk';
import type { Action } from '@hangar/tokens';
import { issueToken } from '../auth/issue.js';
import type { HandlerMap } from '../context.js';
import type { TrustPoliciesTable } from '../db/schema.js';
import { recordTokenEvent } from '../events.js';
import { type OAuthErrorUri, OAuthRefusal } from '../oauth-errors.js';
import {
  CLOCK_SKEW_SECONDS,
  IdTokenRefused,
  MAX_ID_TOKEN_AGE_SECONDS,
  unverifiedIssuer,
  verifyIdToken,
} from '../oidc.js';
import type { Services } from '../services.js';
import { tokenStatus } from './tokens.js';

type TokenExchangeRequest = components['schemas']['TokenExchangeRequest'];

/** What the client is told for any token that fails verification: never which check failed. */
const NOT_VALID = "The subject token is not valid for this organization's trust policies";
/** What the client is told when the token is valid but no policy's conditions or grant match. */
const NO_POLICY = 'No trust policy of this organization grants this exchange';
/** What the client is told when the only policies that match were created by a dead token. */
const CREATOR_TOKEN_GONE =
  "The trust policy's creating token is no longer valid (revoked, expired, or rotated past its grace)";
/** The contract's `error_uri` of each case told apart (the descriptions are for people). */
export const ALREADY_USED_URI: OAuthErrorUri = 'https://hangar.dev/problems/id_token_already_used';
export const NO_JTI_URI: OAuthErrorUri = 'https://hangar.dev/problems/id_token_without_jti';
const CREATOR_TOKEN_GONE_URI: OAuthErrorUri =
  'https://hangar.dev/problems/trust_policy_creator_invalid';
/** What the client is told for a valid ID token already exchanged once (its issuer and `jti`). */
export const ALREADY_USED =
  'This ID token was already used in an exchange; request a fresh ID token from your CI system (each ID token is exchanged once)';
/** What the client is told for a valid ID token without a `jti`: its single use cannot be told. */
export const NO_JTI =
  'The ID token has no jti claim, so its single use cannot be checked; only ID tokens with a jti (as GitHub Actions issues) are exchanged';
/** The {@link mismatch} reason for that case (also what the log says). */
const CREATOR_TOKEN_REASON = 'creating token is no longer valid';

/**
 * Whether `value` matches a condition: exact text, or a glob where `*` matches any run of
 * characters (including `/` and `:`), the whole value. Matched in linear passes (each literal
 * part at its earliest place after the last), not as a regex: `^a.*b.*c$` backtracks in
 * O(length^stars), and a claim partly chosen by the CI job (a branch name) could then block the
 * server for minutes.
 */
export function claimMatches(pattern: string, value: unknown): boolean {
  if (typeof value !== 'string') return false;
  if (!pattern.includes('*')) return pattern === value;
  const parts = pattern.split('*');
  const first = parts[0] as string;
  const last = parts[parts.length - 1] as string;
  if (value.length < first.length + last.length) return false;
  if (!value.startsWith(first) || !value.endsWith(last)) return false;
  // The middle parts, in order, each at its earliest place: earliest leaves the most room.
  let at = first.length;
  const end = value.length - last.length;
  for (const part of parts.slice(1, -1)) {
    const found = value.indexOf(part, at);
    if (found < 0 || found + part.length > end) return false;
    at = found + part.length;
  }
  return true;
}

/**
 * Why `policy` does not grant this exchange (for the log), or null when it does: the token's
 * `aud` must include the policy's audience, every condition must match its claim, and the grant
 * must be what was asked (with `app`: a deploy grant for that very app, which still exists;
 * without: an org or readonly grant); the policy's creator must still be in the organization,
 * and the token that created it (when recorded: `created_by_token`) must still be usable at
 * `nowMs` (server clock, ms) by the status rule tokens use (tokenStatus: not revoked, expired, or
 * rotated past its grace), since a policy never grants more than its creating token holds.
 */
function mismatch(
  services: Services,
  policy: TrustPoliciesTable,
  claims: Record<string, unknown>,
  app: string | undefined,
  nowMs: number,
): string | null {
  const aud = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  if (!aud.includes(policy.audience)) return 'audience';
  const conditions = JSON.parse(policy.conditions) as Record<string, string>;
  for (const [claim, pattern] of Object.entries(conditions)) {
    if (!claimMatches(pattern, claims[claim])) return `condition on ${claim}`;
  }
  const { db } = services;
  if (app === undefined) {
    if (policy.grant_kind === 'deploy') return 'grant is a deploy token: name its app';
  } else {
    if (policy.grant_kind !== 'deploy' || policy.grant_app_name !== app) return 'grant app';
    const exists = db.first(
      db.q
        .selectFrom('apps')
        .select('id')
        .where('id', '=', policy.grant_app_id as string),
    );
    if (!exists) return 'grant app no longer exists';
  }
  const member = db.first(
    db.q
      .selectFrom('memberships')
      .select('user_id')
      .where('org_id', '=', policy.org_id)
      .where('user_id', '=', policy.created_by),
  );
  if (!member) return 'policy creator is no longer a member';
  if (policy.created_by_token !== null) {
    const token = db.first(
      db.q
        .selectFrom('tokens')
        .select(['revoked_at', 'rotated_at', 'expires_at'])
        .where('id', '=', policy.created_by_token),
    );
    if (!token || tokenStatus(token, nowMs) !== 'active') return CREATOR_TOKEN_REASON;
  }
  return null;
}

/**
 * Until when (ms of server clock) a verified ID token with these claims could verify again:
 * verifyIdToken accepts it until `exp`, and until `iat` + MAX_ID_TOKEN_AGE_SECONDS, each with
 * CLOCK_SKEW_SECONDS of skew; one second more for the whole-second rounding. Its used `jti` is
 * kept that long and no longer.
 */
export function replayableUntilMs(claims: { exp?: number; iat?: number }): number {
  const exp = claims.exp ?? 0;
  const lastSecond = Math.min(exp, (claims.iat ?? exp) + MAX_ID_TOKEN_AGE_SECONDS);
  return (lastSecond + CLOCK_SKEW_SECONDS + 1) * 1000;
}

/**
 * exchangeToken (RFC 8693): an OIDC ID token for a short-lived token minted under the org's first
 * matching trust policy (oldest first), with exactly its grant: kind, app, actions, lifetime.
 * Only issuers the org's policies name are ever fetched from (oidc.ts). Refusals are
 * {@link OAuthRefusal}s (oauth-errors.ts) saying as little as is safe; the reason is logged at
 * info with the policy ids and subject, never the token. Each exchange is a `token.exchanged`
 * event whose actor names the subject and the policy.
 *
 * An ID token is exchanged once: its (issuer, `jti`) is stored (table `used_id_tokens`) in the
 * transaction that mints, until the ID token could no longer verify ({@link replayableUntilMs}),
 * and a later exchange of it is refused `invalid_grant` ({@link ALREADY_USED}); an ID token
 * without a string `jti` is refused ({@link NO_JTI}). Only a success uses the ID token up; a
 * retry with the same `Idempotency-Key` is answered by idempotency.ts before this handler runs.
 * Refusals are logged, as every exchange refusal, not audit events.
 */
export const tokenExchangeHandlers = {
  async exchangeToken(ctx) {
    const { services } = ctx;
    const { db, clock, logger } = services;
    const body: TokenExchangeRequest = ctx.body;
    const refuse = (error: 'invalid_grant' | 'unauthorized_client', reason: string) => {
      logger.info({ org: body.org, app: body.app, reason }, 'token exchange refused');
      return new OAuthRefusal(error, error === 'invalid_grant' ? NOT_VALID : NO_POLICY);
    };
    const org = db.first(
      db.q.selectFrom('orgs').select(['id', 'slug']).where('slug', '=', body.org),
    );
    const issuer = unverifiedIssuer(body.subject_token);
    if (issuer === undefined) throw refuse('invalid_grant', 'not a JWT with an iss claim');
    const candidates = org
      ? db.all(
          db.q
            .selectFrom('trust_policies')
            .selectAll()
            .where('org_id', '=', org.id)
            .where('issuer', '=', issuer)
            .orderBy('created_at', 'asc')
            .orderBy('id', 'asc'),
        )
      : [];
    // No policy names this issuer: nothing is fetched from it.
    if (!org || candidates.length === 0) throw refuse('invalid_grant', 'no policy for the issuer');
    const keys = services.issuerKeys;
    const audiences = [...new Set(candidates.map((p) => p.audience))];
    let claims: Awaited<ReturnType<typeof verifyIdToken>>;
    try {
      claims = await verifyIdToken(keys, body.subject_token, issuer, audiences, clock.nowMs());
    } catch (error) {
      if (!(error instanceof IdTokenRefused)) throw error;
      throw refuse('invalid_grant', error.message);
    }
    // The clock and the policies are read again after the await: a policy deleted meanwhile
    // no longer grants anything.
    const nowMs = clock.nowMs();
    const jti = claims.jti;
    return db.transaction(() => {
      const refused = (reason: string, description: string, uri: OAuthErrorUri) => {
        logger.info(
          { org: body.org, app: body.app, subject: claims.sub, issuer, jti, reason },
          'token exchange refused',
        );
        return new OAuthRefusal('invalid_grant', description, uri);
      };
      if (typeof jti !== 'string' || jti === '') {
        throw refused('no jti claim', NO_JTI, NO_JTI_URI);
      }
      const used = db.first(
        db.q
          .selectFrom('used_id_tokens')
          .select('jti')
          .where('issuer', '=', issuer)
          .where('jti', '=', jti),
      );
      if (used) throw refused('ID token already exchanged', ALREADY_USED, ALREADY_USED_URI);
      let policy: TrustPoliciesTable | undefined;
      const reasons: string[] = [];
      for (const candidate of candidates) {
        const current = db.first(
          db.q.selectFrom('trust_policies').selectAll().where('id', '=', candidate.id),
        );
        const why = current ? mismatch(services, current, claims, body.app, nowMs) : 'deleted';
        if (why === null) {
          policy = current;
          break;
        }
        reasons.push(`${candidate.id}: ${why}`);
      }
      if (!policy) {
        logger.info(
          { org: body.org, app: body.app, subject: claims.sub, reasons },
          'token exchange refused',
        );
        // Every policy that matched was created by a token no longer usable: the grant itself is
        // no longer valid (RFC 8693 section 2.2.2 `invalid_grant`), and the caller is told why.
        if (reasons.some((r) => r.endsWith(`: ${CREATOR_TOKEN_REASON}`))) {
          throw new OAuthRefusal('invalid_grant', CREATOR_TOKEN_GONE, CREATOR_TOKEN_GONE_URI);
        }
        throw new OAuthRefusal('unauthorized_client', NO_POLICY);
      }
      const notAfter = Math.floor(nowMs / 1000) + policy.expires_in;
      const { row, secret } = issueToken(services, {
        kind: policy.grant_kind,
        name: `Exchanged under ${policy.name}`.slice(0, 100),
        userId: policy.created_by,
        orgId: policy.org_id,
        appId: policy.grant_app_id,
        notAfter,
        parentId: null,
        actions: policy.grant_actions ? (JSON.parse(policy.grant_actions) as Action[]) : null,
      });
      const origin = ctx.origin({
        tokenId: null,
        tokenKind: null,
        email: policy.creator_email,
        subject: claims.sub,
        trustPolicy: policy.id,
      });
      recordTokenEvent(services, origin, 'token.exchanged', row);
      // Used up, in the transaction that minted; ID tokens that can no longer verify are forgotten.
      db.run(db.q.deleteFrom('used_id_tokens').where('expires_at', '<', nowMs));
      db.run(
        db.q
          .insertInto('used_id_tokens')
          .values({ issuer, jti, expires_at: replayableUntilMs(claims) }),
      );
      ctx.carriesSecret();
      return {
        status: 200 as const,
        body: {
          access_token: secret,
          issued_token_type: 'urn:ietf:params:oauth:token-type:access_token' as const,
          token_type: 'Bearer' as const,
          expires_in: notAfter - Math.floor(nowMs / 1000),
        },
      };
    });
  },
} satisfies HandlerMap<'exchangeToken'>;

// Type-level tests: run by vitest in typecheck mode (tsc; see vitest.config.ts) and checked by
// `tsc --noEmit` (the package typecheck, which includes test/).
import { describe, expectTypeOf, it } from 'vitest';
import type {
  App,
  CreatedToken,
  components,
  HangarApiError,
  HangarClient,
  HangarErrorCode,
  Machine,
  Org,
  operations,
  Page,
  ProblemCode,
  paths,
  Token,
  Viewer,
} from '../src/index.js';

type Schemas = components['schemas'];
type Json<
  Op extends keyof operations,
  Status extends keyof operations[Op]['responses'],
> = operations[Op]['responses'][Status] extends { content: { 'application/json': infer Body } }
  ? Body
  : never;
type Problemish<
  Op extends keyof operations,
  Status extends keyof operations[Op]['responses'],
> = operations[Op]['responses'][Status] extends {
  content: { 'application/problem+json': infer Body };
}
  ? Body
  : never;

/** Every `code` enum the contract declares on its problem schemas. */
type ContractProblemCode = {
  [K in Exclude<Extract<keyof Schemas, `${string}Problem`>, 'Problem'>]: NonNullable<
    Schemas[K]['code']
  >;
}[Exclude<Extract<keyof Schemas, `${string}Problem`>, 'Problem'>];

describe('generated contract types', () => {
  it('createOrgToken answers 201 with a CreatedToken holding the secret', () => {
    expectTypeOf<Json<'createOrgToken', 201>>().toEqualTypeOf<CreatedToken>();
    expectTypeOf<CreatedToken['token']>().toEqualTypeOf<string>();
    expectTypeOf<CreatedToken>().toMatchTypeOf<Token>();
  });

  it('token metadata has the fields and unions the contract fixes', () => {
    expectTypeOf<Token['kind']>().toEqualTypeOf<'personal' | 'org' | 'readonly' | 'deploy'>();
    expectTypeOf<Token['status']>().toEqualTypeOf<'active' | 'expired' | 'revoked' | 'rotated'>();
    expectTypeOf<Token['replaced_by']>().toEqualTypeOf<string | null>();
    expectTypeOf<Token['org']>().toEqualTypeOf<string | null>();
    expectTypeOf<Token['last_used_at']>().toEqualTypeOf<string | null>();
    expectTypeOf<Token>().not.toHaveProperty('token');
  });

  it('lists answer a page with next_cursor', () => {
    expectTypeOf<Json<'listOrgTokens', 200>>().toMatchTypeOf<Page<Token>>();
    expectTypeOf<Json<'listApps', 200>>().toMatchTypeOf<Page<App>>();
    expectTypeOf<Json<'listMachines', 200>>().toMatchTypeOf<Page<Machine>>();
    expectTypeOf<Json<'listOrgs', 200>>().toMatchTypeOf<Page<Org>>();
    expectTypeOf<Json<'listOrgTokens', 200>['next_cursor']>().toEqualTypeOf<string | null>();
  });

  it('token creation bodies are optional name and expires_in seconds', () => {
    type Body = NonNullable<
      operations['createOrgToken']['requestBody']
    >['content']['application/json'];
    expectTypeOf<Body>().toEqualTypeOf<{ name?: string; expires_in?: number }>();
  });

  it('declares precise problem types per operation', () => {
    expectTypeOf<NonNullable<Problemish<'revokeToken', 409>['code']>>().toEqualTypeOf<
      'token_already_revoked' | 'idempotency_key_in_use'
    >();
    expectTypeOf<NonNullable<Problemish<'rotateToken', 409>['code']>>().toEqualTypeOf<
      | 'token_already_rotated'
      | 'token_already_revoked'
      | 'token_already_expired'
      | 'idempotency_key_in_use'
    >();
    expectTypeOf<NonNullable<Problemish<'getViewer', 401>['code']>>().toEqualTypeOf<
      | 'unauthenticated'
      | 'token_malformed'
      | 'token_invalid'
      | 'token_expired'
      | 'token_revoked'
      | 'token_rotated'
    >();
  });

  it('ProblemCode covers every problem code of the contract, plus the server-level ones', () => {
    expectTypeOf<ContractProblemCode>().not.toBeNever();
    expectTypeOf<'exceeds_token_lifetime'>().toMatchTypeOf<ContractProblemCode>();
    expectTypeOf<ContractProblemCode>().toMatchTypeOf<ProblemCode>();
    // Server-level problems are documented in the contract's description, not per operation.
    type ServerLevel =
      | 'internal'
      | 'method_not_allowed'
      | 'request_header_fields_too_large'
      | 'bad_request';
    expectTypeOf<Exclude<ProblemCode, ServerLevel>>().toMatchTypeOf<ContractProblemCode>();
    expectTypeOf<HangarApiError['code']>().toEqualTypeOf<HangarErrorCode>();
  });

  it('paths are under /v1', () => {
    expectTypeOf<'/v1/orgs/{org}/tokens/org'>().toMatchTypeOf<keyof paths>();
    expectTypeOf<'/v1/viewer/token'>().toMatchTypeOf<keyof paths>();
  });
});

describe('client helper types', () => {
  it('resolve to the contract schemas', () => {
    expectTypeOf<
      HangarClient['tokens']['createOrg']
    >().returns.resolves.toEqualTypeOf<CreatedToken>();
    expectTypeOf<HangarClient['tokens']['revoke']>().returns.resolves.toEqualTypeOf<Token>();
    expectTypeOf<HangarClient['viewer']['get']>().returns.resolves.toEqualTypeOf<Viewer>();
    expectTypeOf<HangarClient['apps']['delete']>().returns.resolves.toEqualTypeOf<void>();
    expectTypeOf<HangarClient['machines']['start']>().returns.resolves.toEqualTypeOf<Machine>();
  });

  it('iterators yield items', () => {
    type Iter = ReturnType<HangarClient['tokens']['iterateOrg']>;
    expectTypeOf<Iter>().toMatchTypeOf<AsyncIterable<Token>>();
  });

  it('raw client calls are typed by path', () => {
    type RawGet = HangarClient['raw']['GET'];
    expectTypeOf<RawGet>().toBeFunction();
    expectTypeOf<Schemas['Viewer']>().toEqualTypeOf<Viewer>();
  });
});

describe('problem type', () => {
  it('types the extras of forbidden and validation problems', () => {
    type P = NonNullable<HangarApiError['problem']>;
    expectTypeOf<P['code']>().toEqualTypeOf<ProblemCode>();
    expectTypeOf<NonNullable<P['required_access']>>().toEqualTypeOf<Schemas['RequiredAccess']>();
    expectTypeOf<NonNullable<P['errors']>>().toEqualTypeOf<Schemas['FieldError'][]>();
  });
});

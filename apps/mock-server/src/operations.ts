import type { operations } from '@hangar/sdk';

/**
 * Handler types derived from the SDK's generated contract types: a handler receives the
 * operation's typed path parameters, query and body, and must return one of the operation's
 * success responses with its exact body type. A contract change the server does not follow
 * fails typecheck here.
 */
export type OperationId = keyof operations;

type Op<K extends OperationId> = operations[K];

type Defined<T> = [T] extends [never] ? Record<string, never> : NonNullable<T>;

export type PathParams<K extends OperationId> = Defined<Op<K>['parameters']['path']>;
export type QueryParams<K extends OperationId> = Defined<Op<K>['parameters']['query']>;

type BodyOf<R> = [NonNullable<R>] extends [never]
  ? undefined
  : NonNullable<R> extends { content: { 'application/json': infer B } }
    ? undefined extends R
      ? B | undefined
      : B
    : NonNullable<R> extends { content: { 'application/x-www-form-urlencoded': infer F } }
      ? F
      : undefined;

/** The JSON request body (undefined when optional and absent, or when there is none). */
export type RequestBody<K extends OperationId> = BodyOf<Op<K>['requestBody']>;

type Responses<K extends OperationId> = Op<K>['responses'];
type SuccessStatus<K extends OperationId> = Extract<keyof Responses<K>, 200 | 201 | 204>;

/** A success response: `{ status, body }` typed by the contract (no body for 204). */
export type Reply<K extends OperationId> = {
  [S in SuccessStatus<K>]: Responses<K>[S] extends { content: { 'application/json': infer B } }
    ? { status: S; body: B }
    : { status: S; body?: undefined };
}[SuccessStatus<K>];

export { type BaseUrlProblem, baseUrlProblem, serverRoot } from './base-url.js';
export {
  type Call,
  type CallOptions,
  createHangarClient,
  DEFAULT_MAX_RETRIES,
  DEFAULT_TIMEOUT_MS,
  type FetchResult,
  type HangarClient,
  type HangarClientOptions,
  MAX_TIMER_MS,
  type RawHangarClient,
  type ShapeCheck,
} from './client.js';
export {
  DURATION_UNITS_HINT,
  DurationError,
  type DurationErrorReason,
  formatDuration,
  formatDurationSeconds,
  MAX_DURATION_NS,
  MIN_DURATION_NS,
  parseDuration,
  parseDurationSeconds,
} from './duration.js';
export {
  errorFromResponse,
  HangarApiError,
  type HangarApiErrorInit,
  type HangarErrorCode,
  HangarTimeoutError,
  isHangarApiError,
  isProblem,
  type LocalErrorCode,
  notHangarResponseError,
  PROBLEM_CODES,
  type Problem,
  type ProblemCode,
} from './errors.js';
export { type EventListOptions, type EventsResource, eventQuery } from './events.js';
export { DEFAULT_EXPIRES_IN, MAX_EXPIRES_IN, parseExpiry, toExpiresIn } from './expiry.js';
export type { components, operations, paths } from './generated/schema.js';
export {
  checkIdempotencyKey,
  IDEMPOTENCY_KEY_PATTERN,
  IDEMPOTENCY_KEY_RULE,
  isIdempotencyKey,
  MAX_IDEMPOTENCY_KEY_LENGTH,
} from './idempotency-key.js';
export {
  collect,
  type IterateOptions,
  type Page,
  type PageOptions,
  pageShapeProblem,
  paginate,
} from './pagination.js';
export type { HangarResources } from './resources.js';
export {
  backoffDelayMs,
  IDEMPOTENCY_KEY_HEADER,
  parseRetryAfter,
  RETRYABLE_STATUSES,
  type RequestLogEntry,
  type RequestLogger,
} from './retry.js';
export {
  GracePeriodError,
  type GracePeriodErrorReason,
  MAX_GRACE_PERIOD,
  type RotateTokenOptions,
  rotateTokenBody,
  toGracePeriod,
} from './rotation.js';
export {
  serverTimeMs,
  TOKEN_EXPIRES_AT_HEADER,
  type TokenExpiry,
  type TokenExpiryListener,
  tokenExpiryMiddleware,
} from './token-expiry.js';
export {
  type CreateTokenOptions,
  createTokenBody,
  type TokenIterateOptions,
  type TokenPageOptions,
  type TokensResource,
} from './tokens.js';
export {
  type CreateTrustPolicyRequest,
  type ExchangeOptions,
  TokenExchangeError,
  type TokenExchangeErrorCode,
  type TokenExchangeErrorUri,
  type TokenExchangeResponse,
  type TrustPoliciesResource,
  type TrustPolicy,
} from './trust-policies.js';
export type {
  AccessCheck,
  AccessCheckRequest,
  Action,
  App,
  CreatedToken,
  Event,
  EventType,
  FieldError,
  Machine,
  Org,
  RequiredAccess,
  Scope,
  Session,
  Token,
  TokenKind,
  TokenStatus,
  User,
  Viewer,
} from './types.js';

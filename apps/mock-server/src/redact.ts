/**
 * Token strings out of logs, the request journal and problem bodies: one function for the
 * server and the CLI, `@hangar/tokens/redact` (a token pasted into a path, e.g.
 * `DELETE /v1/tokens/hangar_…`, must not be echoed back or logged). Here each becomes
 * `hangar_[redacted]`.
 */
export { REDACTED_TOKEN, redactTokens } from '@hangar/tokens/redact';

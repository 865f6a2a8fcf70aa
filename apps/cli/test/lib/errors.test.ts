import { describe, expect, it } from 'vitest';
import { CliError, errorJson, printableError, UsageError } from '../../src/lib/errors.js';

describe('errorJson', () => {
  it("keeps an API failure's code, status, message and hint apart", () => {
    const error = new CliError('No such app (404 not_found). Hint: it does not exist.', 1, {
      code: 'not_found',
      status: 404,
      summary: 'No such app',
      hint: 'it does not exist',
      requestId: 'req_0123456789abcdef00000001',
    });
    expect(errorJson(error)).toEqual({
      error: {
        code: 'not_found',
        status: 404,
        message: 'No such app',
        hint: 'it does not exist',
        request_id: 'req_0123456789abcdef00000001',
      },
    });
  });

  it("calls the CLI's own refusals usage_error (exit 2) or cli_error (exit 1)", () => {
    expect(errorJson(new UsageError('Pass --app.')).error).toEqual({
      code: 'usage_error',
      status: null,
      message: 'Pass --app.',
      hint: null,
      request_id: null,
    });
    expect(errorJson(new CliError('No access token.')).error.code).toBe('cli_error');
  });

  it('flattens an oclif parse error to one line without colours', () => {
    const parse = Object.assign(
      new Error('Nonexistent flag: \u001b[33m--bogus\u001b[39m\nSee more help with --help'),
      { oclif: { exit: 2 } },
    );
    expect(errorJson(parse).error).toMatchObject({
      code: 'usage_error',
      message: 'Nonexistent flag: --bogus',
    });
    expect(errorJson(new TypeError('boom')).error.code).toBe('internal_error');
  });
});

describe('printableError', () => {
  it('drops colour codes and escapes the other control and bidi characters, keeping lines', () => {
    const ESC = '\u001b';
    const error = new Error(
      `${ESC}[1mExpected${ESC}[22m --type=x\u0007\u202e to be one of:\n\ta, b`,
    );
    expect(printableError(error).message).toBe(
      'Expected --type=x\\x07\\u202e to be one of:\n\ta, b',
    );
  });

  it('copies a CliError (its message is fixed), keeping its exit code and details', () => {
    const error = new UsageError('Unknown resource "x\u0007"');
    const safe = printableError(error);
    expect(safe.message).toBe('Unknown resource "x\\x07"');
    expect(safe.oclif.exit).toBe(2);
    expect(printableError(new UsageError('plain'))).toBeInstanceOf(UsageError);
  });
});

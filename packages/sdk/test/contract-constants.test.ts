import { loadContract } from '@hangar/contract';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_EXPIRES_IN,
  IDEMPOTENCY_KEY_PATTERN,
  IDEMPOTENCY_KEY_RULE,
  MAX_EXPIRES_IN,
  MAX_IDEMPOTENCY_KEY_LENGTH,
  PROBLEM_CODES,
} from '../src/index.js';

// The SDK keeps no runtime dependency on the contract package: its few contract constants are
// checked against the contract here (and PROBLEM_CODES against the generated types at build).
const contract = loadContract();
const expiresIn = '#/components/schemas/CreateTokenRequest/properties/expires_in';

describe('the SDK’s contract constants are the contract’s', () => {
  it('DEFAULT_EXPIRES_IN is the default and MAX_EXPIRES_IN the maximum of expires_in', () => {
    expect(DEFAULT_EXPIRES_IN).toBe(contract.defaultAt(expiresIn));
    const properties = contract.component('CreateTokenRequest').properties as Record<
      string,
      { maximum?: number }
    >;
    expect(MAX_EXPIRES_IN).toBe(properties.expires_in?.maximum);
  });

  it('the Idempotency-Key rule is the IdempotencyKey parameter schema’s', () => {
    const parameters = contract.document.components as {
      parameters: Record<string, { schema: Record<string, unknown> }>;
    };
    const schema = parameters.parameters.IdempotencyKey?.schema;
    expect(schema).toMatchObject({
      maxLength: MAX_IDEMPOTENCY_KEY_LENGTH,
      pattern: IDEMPOTENCY_KEY_PATTERN,
      'x-hangar-rule': IDEMPOTENCY_KEY_RULE,
    });
  });

  it('PROBLEM_CODES holds every code of the contract’s problem schemas', () => {
    const text = JSON.stringify(contract.document.components);
    const declared = new Set(
      [...text.matchAll(/"code":\{"type":"string","enum":\[([^\]]*)\]/g)].flatMap((m) =>
        JSON.parse(`[${m[1]}]`),
      ),
    );
    expect(declared.size).toBeGreaterThan(10);
    for (const code of declared) expect(PROBLEM_CODES).toContain(code);
  });
});

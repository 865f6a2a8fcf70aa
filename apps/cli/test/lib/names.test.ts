import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { checkName, NAME_RULES, REGIONS } from '../../src/lib/names.js';

type Schema = {
  $ref?: string;
  pattern?: string;
  'x-hangar-rule'?: string;
  enum?: string[];
  examples?: unknown[];
};
const contract = parse(
  readFileSync(new URL('../../../../openapi/hangar.yaml', import.meta.url), 'utf8'),
) as {
  components: {
    schemas: Record<string, Schema & { properties?: Record<string, Schema> }>;
    parameters: Record<string, { schema: Schema }>;
  };
};
const { schemas, parameters } = contract.components;
const deref = (s: Schema): Schema =>
  s.$ref ? (schemas[s.$ref.replace('#/components/schemas/', '')] as Schema) : s;

describe('NAME_RULES follow the contract', () => {
  it.each([
    ['org', deref(parameters.OrgSlug?.schema as Schema)],
    ['app', deref(parameters.AppName?.schema as Schema)],
    ['machine', deref(parameters.MachineId?.schema as Schema)],
    ['token', deref(parameters.TokenId?.schema as Schema)],
    ['region', schemas.CreateMachineRequest?.properties?.region as Schema],
  ] as const)('%s: same pattern and rule as openapi/hangar.yaml', (kind, schema) => {
    const rule = NAME_RULES[kind];
    expect(rule.pattern.source).toBe(schema.pattern);
    expect(rule.rule).toBe(schema['x-hangar-rule']);
    expect(rule.pattern.test(rule.example)).toBe(true);
  });

  it("region: REGIONS is the contract's list of region codes, each matching the pattern", () => {
    const region = schemas.CreateMachineRequest?.properties?.region as Schema;
    expect([...REGIONS]).toEqual(region.enum);
    for (const code of REGIONS) expect(NAME_RULES.region.pattern.test(code)).toBe(true);
  });
});

describe('checkName', () => {
  it.each(['..', '.', '', 'Acme', '-acme', 'a/b', 'acme\u001b'])('refuses app %j', (value) => {
    expect(() => checkName('app', value, '--app')).toThrow(
      expect.objectContaining({ oclif: { exit: 2 }, message: expect.stringContaining('--app') }),
    );
  });

  it('names where the value came from and what to type', () => {
    expect(() => checkName('machine', '..', 'machine ID')).toThrow(
      'Invalid machine ID "..": a machine id is m_ and 16 lowercase hex digits (e.g. m_3f9a0c1d2e4b5a69).',
    );
  });

  it('escapes control characters in the echoed value', () => {
    expect(() => checkName('app', 'a\u0007', '--app')).toThrow(/"a\\u0007"/);
  });

  it('returns a valid value unchanged', () => {
    expect(checkName('org', 'acme', '--org')).toBe('acme');
    expect(checkName('region', 'ams', '--region')).toBe('ams');
  });
});

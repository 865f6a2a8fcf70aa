import { afterEach, describe, expect, it, vi } from 'vitest';
import { fitColumns, printTable } from '../../src/lib/output.js';
import { TOKEN_COLUMNS } from '../../src/lib/token-view.js';

const token = {
  id: `tok_${'a'.repeat(32)}`,
  name: 'A rather long token name for the deploy pipeline',
  kind: 'readonly',
  org: 'acme',
  app: null,
  created_by: 'someone.with.a.long.address@hangar.local',
  created_at: '2026-11-30T08:00:00Z',
  expires_at: '2046-11-30T08:00:00Z',
  last_used_at: '2026-12-01T08:00:00Z',
  revoked_at: null,
  rotated_at: null,
  replaced_by: null,
  replaces: null,
  status: 'active',
} as const;

async function render(columns: string | undefined): Promise<string[]> {
  let out = '';
  vi.stubEnv('COLUMNS', columns);
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    out += String(chunk);
    return true;
  });
  await printTable([token, { ...token, name: 'ci' }], TOKEN_COLUMNS, 'No tokens.');
  vi.restoreAllMocks();
  return out.trimEnd().split('\n');
}

describe('printTable fits the width', () => {
  afterEach(() => {
    vi.restoreAllMocks();
    vi.unstubAllEnvs();
  });

  it('cuts nothing without a terminal and without $COLUMNS (piped output, as gh)', async () => {
    const lines = await render(undefined);
    expect(lines[0]).toMatch(/CREATED BY +CREATED AT +EXPIRES AT +LAST USED +REVOKED AT$/);
    expect(lines[1]).toContain(token.name);
    expect(lines.join('\n')).not.toContain('…');
  });

  it('fits $COLUMNS=80: drops low-value columns, then cuts with …', async () => {
    const lines = await render('80');
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(80);
    const [head = '', first = ''] = lines;
    expect(head).toMatch(/^ID +NAME +KIND +STATUS$/);
    expect(first).toContain(token.id);
    expect(first).toMatch(/A rather long .*… +readonly +active$/);
  });

  it('follows $COLUMNS, keeping more columns on a wider terminal', async () => {
    const lines = await render('120');
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(120);
    expect(lines[0]).toContain('EXPIRES AT');
    expect(lines[0]).not.toContain('REVOKED AT');
    const all = await render('400');
    expect(all[0]).toMatch(/CREATED BY +CREATED AT +EXPIRES AT +LAST USED +REVOKED AT$/);
    expect(all[1]).toContain(token.name);
  });
});

describe('fitColumns', () => {
  it('drops by rank before cutting, and cuts the widest column first', () => {
    const columns = [{}, { minWidth: 4 }, { drop: 1 }, { minWidth: 4 }];
    expect(fitColumns([5, 10, 6, 8], columns, 100)).toEqual({
      shown: [0, 1, 2, 3],
      widths: [5, 10, 6, 8],
    });
    // All four fit at 27 once the two cuttable columns shrink (widest first, in turn).
    expect(fitColumns([5, 10, 6, 8], columns, 27)).toEqual({
      shown: [0, 1, 2, 3],
      widths: [5, 5, 6, 5],
    });
    // At 20 they cannot (minimum 5+4+6+4 and gaps is 25): the ranked column goes, then cuts.
    expect(fitColumns([5, 10, 6, 8], columns, 20)).toEqual({ shown: [0, 1, 3], widths: [5, 5, 6] });
  });

  it('lets the table be wider when the fixed columns alone do not fit', () => {
    expect(fitColumns([30, 30], [{}, {}], 40)).toEqual({ shown: [0, 1], widths: [30, 30] });
  });
});

describe('printTable measures terminal columns', () => {
  afterEach(() => {
    vi.restoreAllMocks();
    vi.unstubAllEnvs();
  });

  async function renderNames(names: string[], columns?: string): Promise<string[]> {
    let out = '';
    vi.stubEnv('COLUMNS', columns);
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      out += String(chunk);
      return true;
    });
    const rows = names.map((name) => ({ ...token, name }));
    await printTable(rows, TOKEN_COLUMNS, 'No tokens.');
    vi.restoreAllMocks();
    return out.trimEnd().split('\n');
  }

  it('keeps wide names whole and the next column aligned (CJK and emoji take two columns)', async () => {
    const lines = await renderNames(['東京デプロイ', 'ci 🚀', 'plain']);
    expect(lines[1]).toContain('東京デプロイ');
    expect(lines[2]).toContain('ci 🚀');
    // "KIND" starts at the same terminal column on every line: 12 columns of name + 2 spaces.
    const kindAt = (line: string) => {
      const before = line.slice(0, line.search(/KIND|readonly/));
      return [...before].reduce(
        (n, c) => n + (/[\u3000-\u9fff]|\p{Extended_Pictographic}/u.test(c) ? 2 : 1),
        0,
      );
    };
    expect(new Set(lines.map(kindAt)).size).toBe(1);
  });

  it('cuts a wide name at a character boundary with …, within $COLUMNS', async () => {
    const lines = await renderNames(
      ['東京デプロイ東京デプロイ東京デプロイ東京デプロイ東京デプロイ'],
      '60',
    );
    expect(lines[1]).toMatch(/東京.*… +readonly +active$/);
    expect(lines[1]).not.toContain('\ufffd');
  });
});

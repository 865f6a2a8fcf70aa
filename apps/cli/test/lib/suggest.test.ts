import { describe, expect, it } from 'vitest';
import { editDistance, suggestCommand } from '../../src/lib/suggest.js';

const topics = ['tokens', 'tokens create', 'apps', 'machines'];
const known = [
  'tokens list',
  'tokens ls',
  'tokens revoke',
  'tokens create org',
  'tokens create deploy',
  'tokens create readonly',
  'apps list',
  'machines destroy',
  ...topics,
];

describe('suggestCommand', () => {
  it.each([
    [['tokns', 'list'], { command: 'tokens list', topic: undefined }],
    [
      ['tokens', 'create', 'orgs', 'acme'],
      { command: 'tokens create org', topic: 'tokens create' },
    ],
    [['machines', 'destory', 'm_1'], { command: 'machines destroy', topic: 'machines' }],
    [['tokns'], { command: 'tokens', topic: undefined }],
    [['xyzzy'], { topic: undefined }],
  ])('%j', (words, expected) => {
    expect(suggestCommand(words, known, topics)).toEqual(expected);
  });

  it('measures edits', () => {
    expect(editDistance('tokns list', 'tokens list')).toBe(1);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('kitten', 'sitting')).toBe(3);
  });
});

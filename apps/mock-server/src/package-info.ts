import { readFileSync } from 'node:fs';

/** This package's name and version, read once from its package.json (dist/ and src/ sit beside it). */
export const PACKAGE: { name: string; version: string } = JSON.parse(
  readFileSync(new URL('../package.json', import.meta.url), 'utf8'),
);

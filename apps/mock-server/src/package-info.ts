import { existsSync, readFileSync } from 'node:fs';

/**
 * This package's package.json: beside `dist/` and `src/` (../package.json), or two levels up
 * from the bundle in `dist/bundle/` (scripts/bundle.mjs).
 */
function packageJsonUrl(): URL {
  const near = new URL('../package.json', import.meta.url);
  return existsSync(near) ? near : new URL('../../package.json', import.meta.url);
}

/** This package's name and version, read once from its package.json. */
export const PACKAGE: { name: string; version: string } = JSON.parse(
  readFileSync(packageJsonUrl(), 'utf8'),
);

// Ships the contract inside the package: dist/openapi.yaml is what an installed hangar-mock
// validates against and reads its authorization table from.
import { copyFileSync } from 'node:fs';

copyFileSync(
  new URL('../../../openapi/hangar.yaml', import.meta.url),
  new URL('../dist/openapi.yaml', import.meta.url),
);

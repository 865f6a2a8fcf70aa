/** Every case, in the order `pnpm bench` runs them (start-up last, on a machine left idle). */
import type { BenchCase } from '../types.js';
import { cliCommandsCase } from './cli-commands.js';
import { cliStartCase } from './cli-start.js';
import { createTokensCase } from './create-tokens.js';
import { listScaleCase } from './list-scale.js';
import { listThroughputCase } from './list-throughput.js';
import { serverStartCase } from './server-start.js';
import { verifyCase } from './verify.js';

export const CASES: readonly BenchCase[] = [
  listThroughputCase,
  listScaleCase,
  createTokensCase,
  verifyCase,
  serverStartCase,
  cliStartCase,
  cliCommandsCase,
];

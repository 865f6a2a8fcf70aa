/** Every case, in the order `pnpm bench` runs them (the 100k case before the RSS it reports). */
import type { BenchCase } from '../types.js';
import { cliStartCase } from './cli-start.js';
import { listScaleCase } from './list-scale.js';
import { listThroughputCase } from './list-throughput.js';
import { verifyCase } from './verify.js';

export const CASES: readonly BenchCase[] = [
  listThroughputCase,
  listScaleCase,
  verifyCase,
  cliStartCase,
];

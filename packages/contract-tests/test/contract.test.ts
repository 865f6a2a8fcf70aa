/**
 * The contract suite. One file, so every suite shares one server, one fixture and one recorder,
 * and the coverage check at the end sees every request the suite made. Every response is checked
 * against openapi/hangar.yaml as it arrives; a test whose responses break the contract fails in
 * its afterEach with the list of violations.
 */
import { afterAll, afterEach, beforeAll, beforeEach, expect } from 'vitest';
import { describeViolations } from '../src/recorder.js';
import { World } from '../src/world.js';
import { concurrencySuite } from './suites/concurrency.js';
import { coverageSuite } from './suites/coverage.js';
import { isolationSuite } from './suites/isolation.js';
import { lifecycleSuite } from './suites/lifecycle.js';
import { matrixSuite } from './suites/matrix.js';
import { mintingSuite } from './suites/minting.js';
import { paginationSuite } from './suites/pagination.js';
import { rotationSuite } from './suites/rotation.js';
import { safeRetriesSuite } from './suites/safe-retries.js';
import { sessionsSuite } from './suites/sessions.js';
import { signalsSuite } from './suites/signals.js';
import { tokenExchangeSuite } from './suites/token-exchange.js';
import { validationSuite } from './suites/validation.js';

let world: World | undefined;
let checkedUpTo = 0;
const getWorld = (): World => {
  if (!world) throw new Error('the world did not open (see the beforeAll error)');
  return world;
};

beforeAll(async () => {
  world = await World.open();
  await world.setUp();
  checkedUpTo = world.recorder.exchanges.length;
}, 120_000);

afterAll(async () => {
  await world?.close();
});

beforeEach((context) => {
  if (!world) return;
  world.recorder.label = context.task.name;
  checkedUpTo = world.recorder.exchanges.length;
});

afterEach(() => {
  if (!world) return;
  const broken = world.recorder.violations(checkedUpTo);
  checkedUpTo = world.recorder.exchanges.length;
  expect(broken, `responses that break the contract:\n${describeViolations(broken)}`).toEqual([]);
});

sessionsSuite(getWorld);
matrixSuite(getWorld);
isolationSuite(getWorld);
mintingSuite(getWorld);
lifecycleSuite(getWorld);
rotationSuite(getWorld);
tokenExchangeSuite(getWorld);
validationSuite(getWorld);
paginationSuite(getWorld);
concurrencySuite(getWorld);
safeRetriesSuite(getWorld);
signalsSuite(getWorld);
coverageSuite(getWorld);

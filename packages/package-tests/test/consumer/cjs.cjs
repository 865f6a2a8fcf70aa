// Loads every package with `require()`, as a CommonJS consumer does (Node >=20.19 loads ES
// modules from require(); the packages' exports maps must offer a condition require matches).
const sdk = require('@hangar/sdk');
const mock = require('@hangar/mock-server');
const tokens = require('@hangar/tokens');
const { exercise } = require('./exercise.cjs');

exercise({ sdk, mock, tokens }).catch((error) => {
  console.error(error);
  process.exitCode = 1;
});

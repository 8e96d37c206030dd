/** @type {import('jest').Config} */
module.exports = {
  preset: 'ts-jest',
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // Temporal servers and the importer on real data need more than the default 5 s.
  testTimeout: 120_000,
  // On CI a suite that fails midway must not leave the run waiting on a leftover handle until
  // the job's time limit; locally Jest still reports such handles so they get fixed.
  forceExit: process.env.CI === 'true',
  transform: {
    '^.+\\.ts$': ['ts-jest', { isolatedModules: true, diagnostics: false }],
  },
};

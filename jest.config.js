/** @type {import('jest').Config} */
module.exports = {
  preset: 'ts-jest',
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // Temporal servers and the importer on real data need more than the default 5 s.
  testTimeout: 120_000,
  // On CI, a handle left by a failed suite must not hold the run until the job's time limit.
  // Locally Jest still reports such handles, so they get fixed.
  forceExit: process.env.CI === 'true',
  transform: {
    '^.+\\.ts$': ['ts-jest', { isolatedModules: true, diagnostics: false }],
  },
};

#!/usr/bin/env node
// Runs the TypeScript CLI directly through tsx, so a clean clone needs no build step.
require('tsx/cjs');
void require('../src/cli/main.ts').runCli();

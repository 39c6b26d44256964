#!/usr/bin/env node
// Runs the TypeScript CLI without a build step.
require('tsx/cjs');
require('../cli.ts');

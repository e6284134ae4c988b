#!/usr/bin/env node
// Installed entry point: runs the compiled CLI (npm run build).
import { main } from '../dist/cli/main.js';

await main();

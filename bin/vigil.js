#!/usr/bin/env node
// The installed entry point: the compiled CLI lives in dist/ (built by `npm run build`, run by `prepare`).
// The only place the process exits: once stdout and stderr are flushed, explicitly, so no thread,
// socket or timer left behind by a failure can keep a finished command alive.
import { main } from '../dist/cli/main.js';

const code = await main(process.argv);
const flushed = (stream) => new Promise((resolve) => stream.write('', resolve));
await Promise.all([flushed(process.stdout), flushed(process.stderr)]);
process.exit(code);

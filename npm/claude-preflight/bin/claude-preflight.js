#!/usr/bin/env node
// The `claude-preflight` command of the npm package: finds the binary that npm installed from
// the optional dependency for this platform (`@claude-preflight/cli-<platform>-<arch>`, the
// only one whose `os` and `cpu` match) and runs it with the same arguments, standard streams
// and exit status. The binary does all the work; this file only finds it.
'use strict';
const { spawnSync } = require('child_process');
const path = require('path');

const supported = ['darwin-arm64', 'darwin-x64', 'linux-arm64', 'linux-x64', 'win32-x64'];
const platform = `${process.platform}-${process.arch}`;

function fail(message) {
  process.stderr.write(`claude-preflight: ${message}\n`);
  process.exit(2);
}

if (!supported.includes(platform)) {
  fail(`no binary is published for ${platform} (there are: ${supported.join(', ')}); ` +
    'build it from source with `cargo install --locked --path .` in a clone instead');
}
const pkg = `@claude-preflight/cli-${platform}`;
let dir;
try {
  dir = path.dirname(require.resolve(`${pkg}/package.json`));
} catch {
  fail(`the package ${pkg}, which holds the binary for this platform, is not installed; ` +
    'it is an optional dependency of claude-preflight: reinstall without --no-optional or ' +
    '--omit=optional');
}
const exe = path.join(dir, 'bin', process.platform === 'win32' ? 'claude-preflight.exe' : 'claude-preflight');
const run = spawnSync(exe, process.argv.slice(2), { stdio: 'inherit', windowsHide: true });
if (run.error) {
  fail(`cannot run ${exe}: ${run.error.message}`);
}
if (run.signal) {
  process.kill(process.pid, run.signal);
}
process.exit(run.status);

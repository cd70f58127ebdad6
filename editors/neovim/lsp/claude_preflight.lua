-- claude-preflight language server for Neovim 0.11+ (`vim.lsp.config` / `vim.lsp.enable`).
--
-- Put this directory (the one holding `lsp/`) on 'runtimepath', or copy this file to
-- ~/.config/nvim/lsp/claude_preflight.lua, then call `vim.lsp.enable('claude_preflight')`.
-- It attaches to request files (JSON, JSONC, JSON Lines, YAML) and to code that sends
-- requests (Python, TypeScript, JavaScript, shell, Markdown), beside each language's own
-- server: Neovim runs every enabled server whose filetypes match. Files that are not Claude
-- requests get no findings. Settings mean what the command line's flags mean (see
-- editors/neovim/README.md).

---@type vim.lsp.Config
return {
  cmd = { 'claude-preflight', 'lsp' },
  filetypes = {
    'json', 'jsonc', 'jsonl', 'yaml',
    'python', 'typescript', 'typescriptreact', 'javascript', 'javascriptreact',
    'sh', 'bash', 'zsh', 'markdown',
  },
  root_markers = { 'claude-preflight.toml', '.claude-preflight.toml', 'pyproject.toml', 'package.json', '.git' },
  -- Sent as `initializationOptions`; `settings` (sent as workspace/didChangeConfiguration)
  -- take the same keys and win over these. `vim.empty_dict()` so that it is sent as `{}`:
  -- a plain empty table would be encoded as the array `[]`.
  init_options = vim.empty_dict(),
}

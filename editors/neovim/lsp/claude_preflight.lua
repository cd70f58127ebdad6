-- claude-preflight language server for Neovim 0.11+ (`vim.lsp.config` / `vim.lsp.enable`).
--
-- Put this directory (the one holding `lsp/`) on 'runtimepath', or copy this file to
-- ~/.config/nvim/lsp/claude_preflight.lua, then call `vim.lsp.enable('claude_preflight')`.
-- Every JSON and YAML buffer gets the server; files that are not Claude requests get no
-- findings. Settings mean what the command line's flags mean (see editors/neovim/README.md).

---@type vim.lsp.Config
return {
  cmd = { 'claude-preflight', 'lsp' },
  filetypes = { 'json', 'jsonc', 'jsonl', 'yaml' },
  root_markers = { 'claude-preflight.toml', '.claude-preflight.toml', 'pyproject.toml', '.git' },
  -- Sent as `initializationOptions`; `settings` (sent as workspace/didChangeConfiguration)
  -- take the same keys and win over these.
  init_options = {},
}

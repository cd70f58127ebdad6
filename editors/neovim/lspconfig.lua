-- claude-preflight with nvim-lspconfig (Neovim 0.10 and earlier, or a setup that still calls
-- `require('lspconfig').<server>.setup`). Neovim 0.11+ needs none of this: see
-- lsp/claude_preflight.lua beside this file.
local configs = require('lspconfig.configs')
local util = require('lspconfig.util')

if not configs.claude_preflight then
  configs.claude_preflight = {
    default_config = {
      cmd = { 'claude-preflight', 'lsp' },
      filetypes = {
        'json', 'jsonc', 'jsonl', 'yaml',
        'python', 'typescript', 'typescriptreact', 'javascript', 'javascriptreact',
        'sh', 'bash', 'zsh', 'markdown',
      },
      root_dir = util.root_pattern('claude-preflight.toml', '.claude-preflight.toml', 'pyproject.toml', 'package.json', '.git'),
      single_file_support = true,
      -- Sent as `{}`; a plain empty table would be encoded as the array `[]`.
      init_options = vim.empty_dict(),
    },
  }
end

require('lspconfig').claude_preflight.setup({
  -- settings = { ['claude-preflight'] = { model = 'claude-opus-5', apiVersion = '2023-06-01' } },
})

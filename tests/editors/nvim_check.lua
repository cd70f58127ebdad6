-- Neovim 0.11 headless, with the shipped editors/neovim/lsp/claude_preflight.lua on
-- 'runtimepath' and `claude-preflight` on PATH:
--   nvim --headless -u NONE --cmd 'set rtp^=editors/neovim' -c 'luafile tests/editors/nvim_check.lua' FILE
-- Prints one JSON object per line (what Neovim holds: the offset encoding, the diagnostics,
-- the messages the server showed, the buffer's text after applying the quick fix on `stop`,
-- the diagnostics after that), for the Rust test to compare exactly. Exits non-zero when a
-- step times out.
local out = io.stdout
local function emit(event, value)
  out:write(vim.json.encode({ event = event, value = value }) .. '\n')
  out:flush()
end
local function fail(why)
  emit('failure', why)
  vim.cmd('cquit 1')
end

-- What the server shows the user (window/showMessage), kept instead of displayed.
local messages = {}
vim.lsp.handlers['window/showMessage'] = function(_, params)
  table.insert(messages, params.message)
end

-- The date is pinned through `settings`, so the shipped `init_options` reach the server as
-- they are.
vim.lsp.config('claude_preflight', { settings = { ['claude-preflight'] = { today = '2026-11-25' } } })
vim.lsp.enable('claude_preflight')
local bufnr = vim.api.nvim_get_current_buf()
-- `-u NONE` turns filetype detection off: detect it the way `:filetype on` would.
vim.bo[bufnr].filetype = vim.filetype.match({ buf = bufnr })

local function diagnostics()
  local items = {}
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    table.insert(items, {
      lnum = d.lnum, col = d.col, end_lnum = d.end_lnum, end_col = d.end_col,
      severity = d.severity, source = d.source, code = d.code, message = d.message,
    })
  end
  table.sort(items, function(a, b) return a.lnum < b.lnum or (a.lnum == b.lnum and a.col < b.col) end)
  return items
end

if not vim.wait(10000, function() return #vim.diagnostic.get(bufnr) > 0 end, 20) then
  fail('no diagnostics within 10 s')
end
local client = vim.lsp.get_clients({ bufnr = bufnr, name = 'claude_preflight' })[1]
emit('encoding', client.offset_encoding)
emit('diagnostics', diagnostics())
emit('messages', messages)

-- The safe quick fix on `stop`, through the user's path: code_action with apply = true, with
-- the cursor where the finding starts.
local stop
for _, d in ipairs(diagnostics()) do
  if vim.startswith(d.message, '`stop`') then stop = d end
end
if not stop then fail('no finding on `stop`') end
local before = vim.api.nvim_buf_get_changedtick(bufnr)
vim.lsp.buf.code_action({
  apply = true,
  range = { start = { stop.lnum + 1, stop.col }, ['end'] = { stop.lnum + 1, stop.col } },
  filter = function(action) return action.title == 'Rename `stop` to `stop_sequences`' end,
})
if not vim.wait(10000, function() return vim.api.nvim_buf_get_changedtick(bufnr) ~= before end, 20) then
  fail('the code action was not applied within 10 s')
end
emit('text', table.concat(vim.api.nvim_buf_get_lines(bufnr, 0, -1, true), '\n'))
if not vim.wait(10000, function() return #vim.diagnostic.get(bufnr) == 1 end, 20) then
  fail('the diagnostics were not updated within 10 s')
end
emit('diagnostics', diagnostics())

client:stop()
vim.wait(5000, function() return client:is_stopped() end, 20)
vim.cmd('qall!')

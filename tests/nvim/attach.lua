-- Headless Neovim (0.7: start_client + buf_attach_client) against
-- `dvm lsp`: opens $DVM_FILE, waits for diagnostics, asks for completion
-- at $DVM_LINE:$DVM_COL (0-based), writes both to $DVM_OUT, quits.
local dvm = os.getenv('DVM_BIN')
local file = os.getenv('DVM_FILE')
local out_path = os.getenv('DVM_OUT')
local line = tonumber(os.getenv('DVM_LINE'))
local col = tonumber(os.getenv('DVM_COL'))
local lines = {}
local function finish()
  local f = io.open(out_path, 'w')
  f:write(table.concat(lines, '\n') .. '\n')
  f:close()
  vim.cmd('qa!')
end

local client_id = vim.lsp.start_client({
  name = 'dvm',
  cmd = { dvm, 'lsp' },
  root_dir = vim.fn.fnamemodify(file, ':h'),
})
if not client_id then
  table.insert(lines, 'error: no client')
  finish()
  return
end
vim.cmd('edit ' .. vim.fn.fnameescape(file))
local buf = vim.api.nvim_get_current_buf()
vim.lsp.buf_attach_client(buf, client_id)

local got = vim.wait(30000, function()
  return #vim.diagnostic.get(buf) > 0
end, 50)
if not got then
  table.insert(lines, 'error: no diagnostics')
end
local diags = vim.diagnostic.get(buf)
table.sort(diags, function(a, b)
  if a.lnum ~= b.lnum then return a.lnum < b.lnum end
  return a.col < b.col
end)
for _, d in ipairs(diags) do
  local first = vim.split(d.message, '\n')[1]
  table.insert(lines, string.format('diagnostic %d:%d %s %s', d.lnum + 1, d.col + 1, tostring(d.code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code) or ''), first))
end

local client = vim.lsp.get_client_by_id(client_id)
local params = {
  textDocument = { uri = vim.uri_from_bufnr(buf) },
  position = { line = line, character = col },
}
local resp = client.request_sync('textDocument/completion', params, 20000, buf)
if not resp or resp.err then
  table.insert(lines, 'error: completion failed ' .. vim.inspect(resp and resp.err))
else
  local items = resp.result or {}
  if items.items then items = items.items end
  for _, item in ipairs(items) do
    table.insert(lines, 'completion ' .. item.label)
  end
end
client.stop()
finish()

-- Starts `dvm lsp` for dvm buffers. Works with Neovim 0.7 and later
-- (vim.lsp.start_client + vim.lsp.buf_attach_client; no lspconfig needed).
--
--   require('dvm').setup({ cmd = { 'dvm', 'lsp' } })
local M = {}

local clients = {} -- root directory -> client id

local function root_of(bufnr)
  local file = vim.api.nvim_buf_get_name(bufnr)
  local dir = vim.fn.fnamemodify(file, ':p:h')
  -- The nearest directory holding main.dvm or .git, else the file's.
  local found = vim.fn.findfile('main.dvm', dir .. ';')
  if found ~= '' then
    return vim.fn.fnamemodify(found, ':p:h')
  end
  local git = vim.fn.finddir('.git', dir .. ';')
  if git ~= '' then
    return vim.fn.fnamemodify(git, ':p:h:h')
  end
  return dir
end

function M.attach(bufnr, opts)
  opts = opts or {}
  local root = root_of(bufnr)
  local id = clients[root]
  if not id or not vim.lsp.get_client_by_id(id) then
    id = vim.lsp.start_client({
      name = 'dvm',
      cmd = opts.cmd or { 'dvm', 'lsp' },
      root_dir = root,
      on_attach = opts.on_attach,
      capabilities = opts.capabilities,
    })
    clients[root] = id
  end
  if id then
    vim.lsp.buf_attach_client(bufnr, id)
  end
end

function M.setup(opts)
  vim.api.nvim_create_autocmd('FileType', {
    pattern = 'dvm',
    callback = function(args)
      M.attach(args.buf, opts)
    end,
  })
end

return M

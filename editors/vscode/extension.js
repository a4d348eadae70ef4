// The dvm extension: starts `dvm lsp` (stdio) for .dvm files through
// vscode-languageclient. Settings: `dvm.path` (the binary) and
// `dvm.searchPath` (passed as DVM_PATH).
'use strict';

const vscode = require('vscode');
const { LanguageClient, TransportKind } = require('vscode-languageclient/node');

let client;

function activate(context) {
  const config = vscode.workspace.getConfiguration('dvm');
  const command = config.get('path') || 'dvm';
  const searchPath = config.get('searchPath') || [];
  const env = Object.assign({}, process.env);
  if (searchPath.length > 0) {
    env.DVM_PATH = searchPath.join(':');
  }
  const run = { command, args: ['lsp'], transport: TransportKind.stdio, options: { env } };
  client = new LanguageClient(
    'dvm',
    'dvm language server',
    { run, debug: run },
    {
      documentSelector: [{ scheme: 'file', language: 'dvm' }],
      synchronize: {
        fileEvents: vscode.workspace.createFileSystemWatcher('**/*.dvm'),
      },
    },
  );
  context.subscriptions.push({ dispose: () => client && client.stop() });
  return client.start();
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };

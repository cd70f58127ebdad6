// Microsoft's LSP client libraries (vscode-languageserver-protocol over vscode-jsonrpc, what
// vscode-languageclient is built on) driving the real server over stdio, outside VS Code.
//   node lsp_client_test.js FILE -- SERVER ARGS...
// Prints one JSON object per line (diagnostics pushed and pulled, the code actions, the text
// after applying the safe quick fix, a hover, completion labels, the exit status) for the Rust
// test to compare exactly. Exits non-zero when the protocol fails or times out.
'use strict';
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { pathToFileURL } = require('node:url');
const {
  createProtocolConnection, StreamMessageReader, StreamMessageWriter,
  InitializeRequest, InitializedNotification, DidOpenTextDocumentNotification,
  DidChangeTextDocumentNotification, PublishDiagnosticsNotification, CodeActionRequest,
  HoverRequest, CompletionRequest, DocumentDiagnosticRequest, ShutdownRequest, ExitNotification,
} = require('vscode-languageserver-protocol/node');

const sep = process.argv.indexOf('--');
const file = path.resolve(process.argv[2]);
const [cmd, ...args] = process.argv.slice(sep + 1);
const uri = pathToFileURL(file).href;
const emit = (event, value) => console.log(JSON.stringify({ event, value }));

function start(capabilities) {
  const proc = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'inherit'] });
  const conn = createProtocolConnection(new StreamMessageReader(proc.stdout), new StreamMessageWriter(proc.stdin));
  const waiters = [];
  conn.onNotification(PublishDiagnosticsNotification.type, (p) => { const w = waiters.shift(); if (w) w(p); });
  conn.listen();
  const nextDiagnostics = () => new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no publishDiagnostics within 10 s')), 10000);
    waiters.push((p) => { clearTimeout(timer); resolve(p); });
  });
  const init = conn.sendRequest(InitializeRequest.type, {
    processId: process.pid, rootUri: pathToFileURL(path.dirname(file)).href, capabilities,
    initializationOptions: { today: '2026-11-25' }, workspaceFolders: null,
  });
  return { proc, conn, init, nextDiagnostics };
}

async function stop({ proc, conn }) {
  await conn.sendRequest(ShutdownRequest.type);
  await conn.sendNotification(ExitNotification.type);
  const code = await new Promise((resolve) => proc.on('exit', resolve));
  conn.dispose();
  return code;
}

// UTF-16 positions are JavaScript string indices.
function offsetOf(text, { line, character }) {
  let at = 0;
  for (let i = 0; i < line; i += 1) at = text.indexOf('\n', at) + 1;
  return at + character;
}
function applyEdits(text, edits) {
  const sorted = [...edits].sort((a, b) => offsetOf(text, b.range.start) - offsetOf(text, a.range.start));
  for (const e of sorted) {
    text = text.slice(0, offsetOf(text, e.range.start)) + e.newText + text.slice(offsetOf(text, e.range.end));
  }
  return text;
}

async function pushed() {
  const server = start({ textDocument: { publishDiagnostics: { relatedInformation: true } } });
  const init = await server.init;
  emit('server', { name: init.serverInfo.name, encoding: init.capabilities.positionEncoding });
  await server.conn.sendNotification(InitializedNotification.type, {});
  let text = fs.readFileSync(file, 'utf8');
  let next = server.nextDiagnostics();
  await server.conn.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'json', version: 1, text } });
  const opened = await next;
  emit('diagnostics', opened);

  const stop_ = opened.diagnostics.find((d) => d.message.startsWith('`stop`'));
  const actions = await server.conn.sendRequest(CodeActionRequest.type, {
    textDocument: { uri }, range: stop_.range, context: { diagnostics: [stop_], only: ['quickfix'] },
  });
  emit('actions', actions.map((a) => ({ title: a.title, kind: a.kind, isPreferred: a.isPreferred })));
  const safe = actions.find((a) => a.isPreferred);
  text = applyEdits(text, safe.edit.changes[uri]);
  emit('text', text);
  next = server.nextDiagnostics();
  await server.conn.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version: 2 }, contentChanges: [{ text }] });
  emit('diagnostics', await next);

  const hover = await server.conn.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: 2, character: 4 } });
  emit('hover', hover.contents.value);
  const model = text.split('\n')[1];
  const completion = await server.conn.sendRequest(CompletionRequest.type, {
    textDocument: { uri }, position: { line: 1, character: model.indexOf('claude') + 2 },
  });
  emit('completion', completion.slice(0, 3).map((i) => i.label));
  emit('exit', await stop(server));
}

async function pulled() {
  const server = start({ textDocument: { diagnostic: { dynamicRegistration: false } } });
  const init = await server.init;
  emit('provider', init.capabilities.diagnosticProvider);
  await server.conn.sendNotification(InitializedNotification.type, {});
  const text = fs.readFileSync(file, 'utf8');
  await server.conn.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'json', version: 1, text } });
  const report = await server.conn.sendRequest(DocumentDiagnosticRequest.type, { textDocument: { uri } });
  emit('pulled', { kind: report.kind, items: report.items });
  emit('exit', await stop(server));
}

pushed().then(pulled).catch((e) => { console.error('FAIL', e); process.exit(1); });

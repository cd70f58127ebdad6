// The VS Code client of `claude-preflight lsp`: starts the server (bundled, configured or from
// CLAUDE_PREFLIGHT_PATH), mirrors the settings to it, and adds commands and a status bar.
import * as fs from 'fs';
import * as path from 'path';
import { execFile } from 'child_process';
import * as vscode from 'vscode';
import {
  DocumentSelector,
  LanguageClient,
  LanguageClientOptions,
  ServerOptions,
  TransportKind,
} from 'vscode-languageclient/node';

/** The client id: VS Code reads `claudePreflight.trace.server` for it. */
const ID = 'claudePreflight';
const NAME = 'Claude Preflight';
const FIX_ALL = 'source.fixAll.claude-preflight';
const SUMMARY = 'claude-preflight/summary';

/** Every language the server serves, in files and in notebook cells. */
const LANGUAGES = [
  'json', 'jsonc', 'jsonl', 'yaml', 'python', 'typescript', 'typescriptreact',
  'javascript', 'javascriptreact', 'shellscript', 'markdown',
];
const SELECTOR: DocumentSelector = LANGUAGES.flatMap((language) => [
  { scheme: 'file', language },
  { scheme: 'untitled', language },
  { notebook: '*', language },
]);

interface PayloadSize {
  model: string | null;
  window: number | null;
  estimate: number;
  unit: string;
  range: vscode.Range | { start: { line: number; character: number }; end: { line: number; character: number } };
}

let client: LanguageClient | undefined;
/** How many times a server was started (the test hook reports it after "Restart server"). */
let starts = 0;
let output: vscode.OutputChannel;
let status: vscode.StatusBarItem;

/** The settings the server understands, as `src/lsp/options.rs` names them. */
function serverSettings(): Record<string, unknown> {
  const cfg = vscode.workspace.getConfiguration(ID);
  const text = (key: string) => cfg.get<string>(key) || null;
  return {
    model: text('model'),
    apiVersion: text('apiVersion'),
    select: cfg.get<string[] | null>('rules.select') ?? null,
    ignore: cfg.get<string[]>('rules.ignore') ?? [],
    rules: cfg.get<Record<string, string>>('rules.severity') ?? {},
    contextWarningRatio: cfg.get<number>('contextWarningRatio') ?? 0.9,
    config: text('config'),
  };
}

/** The binary to run, or why there is none. */
function findServer(context: vscode.ExtensionContext): { path: string } | { error: string } {
  const configured = vscode.workspace.getConfiguration(ID).get<string>('server.path');
  const fromEnv = process.env.CLAUDE_PREFLIGHT_PATH;
  for (const [where, candidate] of [['claudePreflight.server.path', configured], ['CLAUDE_PREFLIGHT_PATH', fromEnv]]) {
    if (candidate) {
      return fs.existsSync(candidate)
        ? { path: candidate }
        : { error: `${where} names ${candidate}, which does not exist. Fix the path, or clear it to use the bundled server.` };
    }
  }
  const exe = process.platform === 'win32' ? 'claude-preflight.exe' : 'claude-preflight';
  const bundled = context.asAbsolutePath(path.join('server', exe));
  if (fs.existsSync(bundled)) {
    return { path: bundled };
  }
  return {
    error: `This build of Claude Preflight carries no server for ${process.platform}-${process.arch}. `
      + 'Build the binary (`cargo install --path .` in the claude-preflight repository) and set '
      + '`claudePreflight.server.path` (or CLAUDE_PREFLIGHT_PATH) to it, or install the .vsix built for your platform.',
  };
}

async function startClient(context: vscode.ExtensionContext): Promise<void> {
  if (!vscode.workspace.getConfiguration(ID).get<boolean>('enable', true)) {
    showStatus(false);
    return;
  }
  const found = findServer(context);
  if ('error' in found) {
    output.appendLine(found.error);
    const open = 'Open settings';
    if ((await vscode.window.showErrorMessage(found.error, open)) === open) {
      await vscode.commands.executeCommand('workbench.action.openSettings', 'claudePreflight.server.path');
    }
    return;
  }
  const serverOptions: ServerOptions = {
    command: found.path,
    args: ['lsp'],
    transport: TransportKind.stdio,
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: SELECTOR,
    outputChannel: output,
    initializationOptions: serverSettings(),
    middleware: {
      workspace: {
        // Answer the server's `workspace/configuration` with the same mapping.
        configuration: (params) => params.items.map(() => serverSettings()),
      },
    },
  };
  client = new LanguageClient(ID, NAME, serverOptions, clientOptions);
  await client.start();
  starts += 1;
  output.appendLine(`started ${found.path} lsp`);
  await updateStatus();
}

async function stopClient(): Promise<void> {
  const stopping = client;
  client = undefined;
  if (stopping) {
    await stopping.stop();
  }
}

/** The request sizes of `document`, from the server. */
async function summary(document: vscode.TextDocument): Promise<PayloadSize[]> {
  if (!client || !client.isRunning()) {
    return [];
  }
  const answer = await client.sendRequest<{ payloads: PayloadSize[] }>(SUMMARY, {
    textDocument: { uri: client.code2ProtocolConverter.asUri(document.uri) },
  });
  return answer.payloads;
}

function grouped(n: number): string {
  return n.toLocaleString('en-US');
}

/** The request's share of its model's window, in whole percent. */
function share(p: PayloadSize & { window: number }): number {
  return Math.round((p.estimate / p.window) * 100);
}

/** What the status bar says about one request. */
function describe(p: PayloadSize): string {
  const size = `${grouped(p.estimate)} ${p.unit}`;
  if (p.window === null) {
    return p.model ? `${size} (${p.model}: window unknown)` : `${size} (no model)`;
  }
  return `${size} / ${grouped(p.window)} tokens (${share({ ...p, window: p.window })}%) ${p.model}`;
}

/** The request under the cursor (or the document's first). */
function active(payloads: PayloadSize[], editor: vscode.TextEditor): PayloadSize | undefined {
  const cursor = editor.selection.active;
  return payloads.find((p) => {
    const r = p.range;
    const start = new vscode.Position(r.start.line, r.start.character);
    const end = new vscode.Position(r.end.line, r.end.character);
    return new vscode.Range(start, end).contains(cursor);
  }) ?? payloads[0];
}

let statusGeneration = 0;
/** Whether the status bar item is shown, and who wants to know when it changes (the test hook). */
let statusShown = false;
let onStatus: () => void = () => undefined;
function showStatus(shown: boolean): void {
  statusShown = shown;
  if (shown) {
    status.show();
  } else {
    status.hide();
  }
  onStatus();
}

async function updateStatus(): Promise<void> {
  const generation = ++statusGeneration;
  const editor = vscode.window.activeTextEditor;
  if (!editor || !client || !vscode.languages.match(SELECTOR, editor.document)) {
    showStatus(false);
    return;
  }
  let payloads: PayloadSize[];
  try {
    payloads = await summary(editor.document);
  } catch (e) {
    output.appendLine(`summary failed: ${e instanceof Error ? e.message : String(e)}`);
    return;
  }
  if (generation !== statusGeneration) {
    return;
  }
  const payload = active(payloads, editor);
  if (!payload) {
    showStatus(false);
    return;
  }
  const ratio = vscode.workspace.getConfiguration(ID).get<number>('contextWarningRatio', 0.9);
  const near = payload.window !== null && payload.estimate > payload.window * ratio;
  status.text = `$(symbol-ruler) ${describe(payload)}`;
  status.tooltip = `${NAME}: the request's estimated input ${payload.unit} against its model's context window. Click for every request in the file.`;
  status.backgroundColor = near ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
  showStatus(true);
}

async function fixAll(): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  if (!editor) {
    return;
  }
  const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
    'vscode.executeCodeActionProvider', editor.document.uri,
    new vscode.Range(0, 0, editor.document.lineCount, 0), FIX_ALL,
  );
  const action = actions?.find((a) => a.kind?.value === FIX_ALL);
  if (!action?.edit) {
    vscode.window.showInformationMessage(`${NAME}: nothing to fix safely in this file.`);
    return;
  }
  await vscode.workspace.applyEdit(action.edit);
}

async function showTokenCount(): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  if (!editor) {
    return;
  }
  const payloads = await summary(editor.document);
  if (payloads.length === 0) {
    vscode.window.showInformationMessage(`${NAME}: no Claude request in this file.`);
    return;
  }
  const picked = await vscode.window.showQuickPick(
    payloads.map((p, i) => ({
      label: `Request ${i + 1}, line ${p.range.start.line + 1}: ${grouped(p.estimate)} ${p.unit}`,
      description: p.model ?? 'no model',
      detail: p.window === null
        ? 'context window unknown'
        : `${share({ ...p, window: p.window })}% of the ${grouped(p.window)}-token context window`,
      payload: p,
    })),
    { title: `${NAME}: request sizes (system prompt and messages)` },
  );
  if (picked) {
    const r = picked.payload.range;
    const at = new vscode.Position(r.start.line, r.start.character);
    editor.selection = new vscode.Selection(at, at);
    editor.revealRange(new vscode.Range(at, at));
  }
}

/** Asks for a pasted API error and reveals the range in the active file that it names. */
async function locateError(): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  if (!editor || !client || !client.isRunning()) {
    vscode.window.showInformationMessage(`${NAME}: open the file that holds the request first.`);
    return;
  }
  const error = await vscode.window.showInputBox({
    title: `${NAME}: locate API error`,
    prompt: 'Paste the error: the JSON body, a log line, or the SDK exception',
    placeHolder: 'messages.3.content.0.tool_use.id: String should match pattern ...',
    ignoreFocusOut: true,
  });
  if (!error) {
    return;
  }
  const location = await client.sendRequest<{ range: { start: { line: number; character: number }; end: { line: number; character: number } } } | null>(
    'workspace/executeCommand',
    { command: 'claude-preflight.locateError', arguments: [client.code2ProtocolConverter.asUri(editor.document.uri), error] },
  );
  if (!location) {
    vscode.window.showInformationMessage(`${NAME}: the error names no place in this file.`);
    return;
  }
  const { start, end } = location.range;
  const range = new vscode.Range(start.line, start.character, end.line, end.character);
  editor.selection = new vscode.Selection(range.start, range.end);
  editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
}

function run(binary: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(binary, args, { maxBuffer: 8 << 20 }, (error, stdout, stderr) => {
      if (error && !stdout) {
        reject(new Error(stderr.trim() || error.message));
      } else {
        resolve(stdout);
      }
    });
  });
}

async function explainRule(context: vscode.ExtensionContext): Promise<void> {
  const found = findServer(context);
  if ('error' in found) {
    vscode.window.showErrorMessage(found.error);
    return;
  }
  // Every rule, the ones found in the active file first.
  const editor = vscode.window.activeTextEditor;
  const here = new Set<string>();
  for (const d of editor ? vscode.languages.getDiagnostics(editor.document.uri) : []) {
    if (d.source === 'claude-preflight' && d.code !== undefined) {
      here.add(String(typeof d.code === 'object' ? d.code.value : d.code));
    }
  }
  let rules: { code: string; name: string; summary: string }[];
  try {
    rules = JSON.parse(await run(found.path, ['rules', '--json']));
  } catch (e) {
    vscode.window.showErrorMessage(`${NAME}: cannot list the rules: ${e instanceof Error ? e.message : String(e)}`);
    return;
  }
  rules.sort((x, y) => Number(here.has(y.code)) - Number(here.has(x.code)));
  const picked = await vscode.window.showQuickPick(
    rules.map((r) => ({
      label: `${r.code} ${r.name}`,
      description: here.has(r.code) ? 'in this file' : undefined,
      detail: r.summary,
      name: r.name,
    })),
    { title: 'Explain which rule?', matchOnDetail: true },
  );
  const name = picked?.name;
  if (!name) {
    return;
  }
  try {
    const markdown = await run(found.path, ['rule', name]);
    const doc = await vscode.workspace.openTextDocument({ language: 'markdown', content: markdown });
    await vscode.commands.executeCommand('markdown.showPreview', doc.uri);
  } catch (e) {
    vscode.window.showErrorMessage(`${NAME}: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/** Test hook: with CLAUDE_PREFLIGHT_TEST_DUMP set, write the diagnostics VS Code holds (the
 * Problems panel's data), the status bar text and the open documents' text to that file on
 * every change, for exact assertions beside the screenshots. */
function testHook(context: vscode.ExtensionContext): void {
  const dump = process.env.CLAUDE_PREFLIGHT_TEST_DUMP;
  if (!dump) {
    return;
  }
  const write = () => {
    const diagnostics = vscode.languages.getDiagnostics()
      .filter(([, ds]) => ds.length)
      .map(([uri, ds]) => ({
        uri: uri.toString(),
        diagnostics: ds.map((d) => ({
          range: [d.range.start.line, d.range.start.character, d.range.end.line, d.range.end.character],
          severity: vscode.DiagnosticSeverity[d.severity],
          source: d.source,
          code: typeof d.code === 'object' ? d.code.value : d.code,
          message: d.message,
        })),
      }));
    const documents = vscode.workspace.textDocuments
      .filter((d) => ['file', 'untitled'].includes(d.uri.scheme) && vscode.languages.match(SELECTOR, d))
      .map((d) => ({ uri: d.uri.toString(), text: d.getText() }));
    fs.writeFileSync(dump, JSON.stringify({ diagnostics, status: statusShown ? status.text : null, documents, starts }, null, 1));
  };
  onStatus = write;
  context.subscriptions.push(vscode.workspace.onDidChangeTextDocument(write));
  context.subscriptions.push(vscode.languages.onDidChangeDiagnostics(write));
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  output = vscode.window.createOutputChannel(NAME);
  status = vscode.window.createStatusBarItem('claudePreflight.size', vscode.StatusBarAlignment.Right, 100);
  status.name = `${NAME} request size`;
  status.command = 'claudePreflight.showTokenCount';
  context.subscriptions.push(output, status);
  testHook(context);

  const restart = async () => {
    await stopClient();
    await startClient(context);
  };
  context.subscriptions.push(
    vscode.commands.registerCommand('claudePreflight.fixAll', fixAll),
    vscode.commands.registerCommand('claudePreflight.showTokenCount', showTokenCount),
    vscode.commands.registerCommand('claudePreflight.restartServer', restart),
    vscode.commands.registerCommand('claudePreflight.explainRule', () => explainRule(context)),
    vscode.commands.registerCommand('claudePreflight.locateError', locateError),
    vscode.workspace.onDidChangeConfiguration(async (e) => {
      if (e.affectsConfiguration('claudePreflight.enable') || e.affectsConfiguration('claudePreflight.server.path')) {
        await restart();
      } else if (e.affectsConfiguration(ID) && client) {
        await client.sendNotification('workspace/didChangeConfiguration', { settings: serverSettings() });
        await updateStatus();
      }
    }),
    vscode.window.onDidChangeActiveTextEditor(() => updateStatus()),
    vscode.window.onDidChangeTextEditorSelection(() => updateStatus()),
    vscode.languages.onDidChangeDiagnostics(() => updateStatus()),
    { dispose: () => { void stopClient(); } },
  );
  await startClient(context);
}

export function deactivate(): Thenable<void> | undefined {
  return client?.stop();
}

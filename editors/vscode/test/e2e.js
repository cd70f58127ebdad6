// Drives code-server (VS Code in the browser) with the extension installed, in headless
// Chromium through playwright-core. Assertions are on exact data: the diagnostics VS Code holds
// and the documents' text (written by the extension's test hook to DUMP), and on what the
// workbench shows (Problems panel rows, status bar). Screenshots go to SHOTS.
'use strict';
const { chromium } = require('playwright-core');
const assert = require('assert/strict');
const fs = require('fs');
const path = require('path');

const URL = process.env.CS_URL;
const DUMP = process.env.CLAUDE_PREFLIGHT_TEST_DUMP;
const SHOTS = process.env.SHOTS;
const WS = process.env.WS;
if (!URL || !DUMP || !SHOTS || !WS) {
  throw new Error('set CS_URL, CLAUDE_PREFLIGHT_TEST_DUMP, SHOTS and WS');
}

const REQUEST = `file://${path.join(WS, 'request.json')}`;
const NEAR = `file://${path.join(WS, 'near-limit.json')}`;
const FIX_ALL = `file://${path.join(WS, 'fix-all.json')}`;
const STOP_MESSAGE = '`stop` is OpenAI\'s name: the API answers 400 `stop: Extra inputs are not permitted`; Claude calls it `stop_sequences` (an array)';
const N_MESSAGE = '`n` is an OpenAI parameter with no Claude equivalent: the API answers 400 `n: Extra inputs are not permitted`';
const ORIGINAL = fs.readFileSync(path.join(WS, 'request.json'), 'utf8');
const FIXED = ORIGINAL.replace('"stop": "###"', '"stop_sequences": ["###"]');

let passed = 0;
let failed = 0;
const results = [];

function dump() {
  try {
    return JSON.parse(fs.readFileSync(DUMP, 'utf8'));
  } catch {
    return { diagnostics: [], status: null, documents: [] };
  }
}

/** Waits until `probe(dump())` returns something other than undefined; fails with the last dump. */
async function until(what, probe, ms = 30000) {
  const end = Date.now() + ms;
  let last;
  while (Date.now() < end) {
    last = dump();
    const value = probe(last);
    if (value !== undefined) {
      return value;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out waiting for ${what}; the test hook last wrote ${JSON.stringify(last)}`);
}

const diagnosticsOf = (d, uri) => (d.diagnostics.find((e) => e.uri === uri) || { diagnostics: [] }).diagnostics;
const textOf = (d, uri) => (d.documents.find((e) => e.uri === uri) || {}).text;

async function check(name, body) {
  try {
    await body();
    passed += 1;
    results.push(`ok   ${name}`);
  } catch (e) {
    failed += 1;
    results.push(`FAIL ${name}: ${e.message.split('\n').slice(0, 6).join('\n')}`);
  }
}

async function openFile(page, name) {
  await page.locator('.explorer-folders-view .monaco-list-row', { hasText: name }).first().click();
  await page.waitForSelector(`.tab.active[aria-label*="${name}"]`, { timeout: 30000 });
}

(async () => {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--no-first-run', '--disable-sync', '--disable-quic'],
  });
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  try {
    await page.goto(URL, { waitUntil: 'domcontentloaded', timeout: 60000 });
    await page.waitForSelector('.explorer-folders-view .monaco-list-row', { timeout: 90000 });
    await openFile(page, 'request.json');

    await check('diagnostics: VS Code holds the exact finding (code, range, message)', async () => {
      const found = await until('the diagnostics of request.json', (d) => {
        const ds = diagnosticsOf(d, REQUEST);
        return ds.length ? ds : undefined;
      });
      assert.deepEqual(found, [{
        range: [5, 2, 5, 8], severity: 'Error', source: 'claude-preflight', code: 'O101', message: STOP_MESSAGE,
      }]);
    });

    await check('editor: the error squiggle is drawn', async () => {
      await page.waitForSelector('.monaco-editor .squiggly-error', { timeout: 30000 });
    });

    await check('Problems panel: one row with the message, code and position', async () => {
      await page.keyboard.press('Control+Shift+M');
      await page.waitForSelector('.markers-panel .monaco-list-row', { timeout: 15000 });
      const rows = (await page.locator('.markers-panel .monaco-list-row').allInnerTexts())
        .map((r) => r.replace(/\s+/g, ' ').trim());
      assert.equal(rows.length, 2, `rows: ${JSON.stringify(rows)}`); // the file, then its finding
      assert.match(rows[0], /request\.json/);
      assert.ok(rows[1].includes(STOP_MESSAGE), rows[1]);
      assert.ok(rows[1].includes('claude-preflight O101'), rows[1]);
      assert.ok(rows[1].includes('[Ln 6, Col 3]'), rows[1]);
    });

    await check('status bar: the request\'s size against its model\'s window', async () => {
      const text = `$(symbol-ruler) ${process.env.STATUS_REQUEST}`;
      assert.match(process.env.STATUS_REQUEST, /^\d+ tokens \/ 1,000,000 tokens \(0%\) claude-sonnet-4-6$/);
      await until('the status bar text', (d) => (d.status === text ? true : undefined), 15000);
      const item = page.locator('.statusbar-item', { hasText: process.env.STATUS_REQUEST.split(' claude')[0] });
      await item.waitFor({ timeout: 15000 });
      assert.equal(await item.evaluate((e) => e.classList.contains('warning-kind')), false);
    });
    await page.screenshot({ path: `${SHOTS}/1-problems-and-status-bar.png` });

    await check('quick fix: Ctrl+. on `stop` renames it to `stop_sequences` with an array', async () => {
      await page.locator('.monaco-editor .view-lines').first().click();
      await page.keyboard.press('Control+G');
      await page.keyboard.type('6:4');
      await page.keyboard.press('Enter');
      const fix = page.locator('.action-widget .monaco-list-row', { hasText: 'Rename `stop` to `stop_sequences`' });
      // The menu lists what the server answers for the cursor: ask again while it is busy.
      for (let attempt = 1; ; attempt += 1) {
        await page.keyboard.press('Control+.');
        try {
          await fix.waitFor({ timeout: 5000 });
          break;
        } catch (e) {
          if (attempt === 4) {
            throw e;
          }
          await page.keyboard.press('Escape');
        }
      }
      await page.screenshot({ path: `${SHOTS}/2-quick-fix-menu.png` });
      await fix.click();
      await until('the fixed text', (d) => (textOf(d, REQUEST) === FIXED ? true : undefined), 15000);
      await until('no diagnostics after the fix', (d) => (diagnosticsOf(d, REQUEST).length === 0 ? true : undefined), 15000);
      await page.locator('.markers-panel', { hasText: 'No problems have been detected' }).waitFor({ timeout: 15000 });
    });
    await page.screenshot({ path: `${SHOTS}/3-after-the-quick-fix.png` });

    await check('command "Show token count": a quick pick of the file\'s requests', async () => {
      await page.locator('.statusbar-item', { hasText: process.env.STATUS_REQUEST.split(' claude')[0] }).click();
      const rows = page.locator('.quick-input-widget .monaco-list-row');
      await rows.first().waitFor({ timeout: 15000 });
      const texts = (await rows.allInnerTexts()).map((r) => r.replace(/\s+/g, ' ').trim());
      // innerText runs the label and its description together.
      const size = process.env.STATUS_REQUEST.split(' / ')[0];
      assert.deepEqual(texts, [`Request 1, line 1: ${size}claude-sonnet-4-6 0% of the 1,000,000-token context window`]);
      await page.keyboard.press('Escape');
    });

    await check('command "Fix all": the safe fix is applied, the unsafe one is left', async () => {
      await openFile(page, 'fix-all.json');
      await until('the diagnostics of fix-all.json', (d) => (diagnosticsOf(d, FIX_ALL).length === 2 ? true : undefined));
      await page.keyboard.press('F1');
      await page.keyboard.type('Claude Preflight: Fix all');
      await page.locator('.quick-input-widget .monaco-list-row', { hasText: 'Claude Preflight: Fix all' }).first().waitFor({ timeout: 15000 });
      await page.keyboard.press('Enter');
      const fixed = '{"model": "claude-sonnet-4-6", "max_tokens": 64, "messages": [{"role": "user", "content": "Hi"}], "stop_sequences": ["x"], "n": 1}\n';
      await until('the text after Fix all', (d) => (textOf(d, FIX_ALL) === fixed ? true : undefined), 15000);
      const left = await until('one finding left', (d) => {
        const ds = diagnosticsOf(d, FIX_ALL);
        return ds.length === 1 ? ds : undefined;
      }, 15000);
      assert.deepEqual(left, [{ range: [0, 123, 0, 126], severity: 'Error', source: 'claude-preflight', code: 'O101', message: N_MESSAGE }]);
    });

    await check('settings: a change reaches the server (rules.ignore switches O101 off)', async () => {
      // Workspace settings: VS Code watches the folder's files (the user settings file, written
      // behind code-server's back, is not reloaded).
      fs.mkdirSync(path.join(WS, '.vscode'), { recursive: true });
      fs.writeFileSync(path.join(WS, '.vscode', 'settings.json'), JSON.stringify({ 'claudePreflight.rules.ignore': ['O101'] }));
      await until('no diagnostics once O101 is ignored', (d) => (diagnosticsOf(d, FIX_ALL).length === 0 ? true : undefined), 30000);
    });

    await check('command "Restart server": the findings come back from the new server', async () => {
      fs.rmSync(path.join(WS, '.vscode'), { recursive: true });
      await until('O101 back once the setting is gone', (d) => (diagnosticsOf(d, FIX_ALL).length === 1 ? true : undefined), 30000);
      await page.keyboard.press('F1');
      await page.keyboard.type('Claude Preflight: Restart server');
      await page.locator('.quick-input-widget .monaco-list-row', { hasText: 'Claude Preflight: Restart server' }).first().waitFor({ timeout: 15000 });
      await page.keyboard.press('Enter');
      await until('a second server with the findings', (d) => (d.starts === 2 && diagnosticsOf(d, FIX_ALL).length === 1 ? true : undefined), 30000);
    });

    await check('command "Explain rule": the rules, those found in the file first, and the rule\'s page', async () => {
      await page.keyboard.press('F1');
      await page.keyboard.type('Claude Preflight: Explain rule');
      await page.locator('.quick-input-widget .monaco-list-row', { hasText: 'Claude Preflight: Explain rule' }).first().waitFor({ timeout: 15000 });
      await page.keyboard.press('Enter');
      const first = page.locator('.quick-input-widget .monaco-list-row').first();
      await first.locator('text=openai-parameter').waitFor({ timeout: 15000 });
      assert.match((await first.innerText()).replace(/\s+/g, ' '), /^O101 openai-parameter ?in this file /);
      await page.keyboard.press('Enter');
      await page.locator('.tab', { hasText: 'Preview Untitled' }).first().waitFor({ timeout: 15000 });
      const page_ = await until('the rule\'s page', (d) => d.documents.find((e) => e.uri.startsWith('untitled:')));
      assert.equal(page_.text, fs.readFileSync(process.env.RULE_O101, 'utf8'));
      await page.screenshot({ path: `${SHOTS}/4-explain-rule.png` });
    });

    await check('status bar: a warning colour above 90% of the window', async () => {
      await openFile(page, 'near-limit.json');
      const text = `$(symbol-ruler) ${process.env.STATUS_NEAR}`;
      assert.match(process.env.STATUS_NEAR, /^[\d,]+ tokens \/ 200,000 tokens \(9\d%\) claude-haiku-4-5$/);
      await until('the near-limit status bar text', (d) => (d.status === text ? true : undefined), 30000);
      const item = page.locator('.statusbar-item', { hasText: process.env.STATUS_NEAR.split(' claude')[0] });
      await item.waitFor({ timeout: 15000 });
      assert.equal(await item.evaluate((e) => e.classList.contains('warning-kind')), true);
      // The server warns too: the estimate is past 90% of the window.
      assert.deepEqual(diagnosticsOf(dump(), NEAR).map((d) => d.code), ['X202', 'X207']);
    });
    await page.screenshot({ path: `${SHOTS}/5-near-the-window.png` });
  } catch (e) {
    failed += 1;
    results.push(`FAIL setup: ${e.message.split('\n')[0]}`);
    await page.screenshot({ path: `${SHOTS}/failure.png` }).catch(() => undefined);
  } finally {
    await browser.close();
  }
  for (const line of results) {
    console.log(line);
  }
  console.log(`${passed} passed, ${failed} failed`);
  process.exitCode = failed ? 1 : 0;
})();

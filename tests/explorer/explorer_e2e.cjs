// End-to-end test of the explorer: starts `chiptrail serve` on the default scenario, drives the
// page in Debian's Chromium with playwright-core, and checks what a user would: the page loads
// with its map and policies, an edited inspection rate changes the results (against the API's
// own numbers and the expected direction), runs can be cancelled, both downloads work (the
// scenario downloaded loads again), and nothing is fetched from anywhere but the server.
//
// node explorer_e2e.cjs CHIPTRAIL SCENARIO ARTIFACT_DIR NODE_MODULES_DIR
'use strict';

const { spawn, execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const assert = require('node:assert/strict');

const [chiptrail, scenario, artifacts, modules] = process.argv.slice(2);
const { chromium } = require(path.join(modules, 'playwright-core'));

const RATE = 'policies[name=customs_my].customs_inspection.inspection_rate';

function startServer() {
  const server = spawn(chiptrail, ['serve', scenario, '--port', '0', '--threads', '2'],
                       { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error('serve printed no URL within 30 s')), 30000);
    server.stdout.on('data', (chunk) => {
      out += chunk;
      const url = /http:\/\/\S+\//.exec(out);
      if (url) {
        clearTimeout(timer);
        resolve({ server, url: url[0] });
      }
    });
    server.on('exit', (code) => reject(new Error(`serve exited early with ${code}`)));
  });
}

function stopServer(server) {
  return new Promise((resolve) => {
    server.removeAllListeners('exit');
    server.on('exit', (code, signal) => resolve({ code, signal }));
    server.kill('SIGTERM');
  });
}

const percent = (text) => Number(text.replace('%', '')) / 100;

async function headline(page, metric) {
  const card = page.locator(`.card[data-metric="${metric}"]`);
  return {
    asLoaded: await card.locator('[data-variant="as_loaded"]').textContent(),
    edited: await card.locator('[data-variant="edited"]').textContent(),
    delta: await card.locator('.delta').textContent(),
  };
}

async function runAndWait(page) {
  await page.click('#run');
  await page.waitForSelector('body[data-state="running"]', { timeout: 10000 }).catch(() => {});
  await page.waitForSelector('body[data-state="done"]', { timeout: 120000 });
}

async function main() {
  fs.mkdirSync(artifacts, { recursive: true });
  const { server, url } = await startServer();
  const origin = new URL(url).origin;
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
           '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const problems = [];
  try {
    const context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1400, height: 1100 } });
    const page = await context.newPage();
    page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`); });
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('requestfailed', (r) => {
      // A link that downloads is a navigation the browser aborts once the file is saved.
      const download = r.url().endsWith('.csv') && r.failure().errorText === 'net::ERR_ABORTED';
      if (!download) problems.push(`request failed: ${r.url()} (${r.failure().errorText})`);
    });
    page.on('request', (r) => {
      if (!r.url().startsWith(origin) && !r.url().startsWith('blob:') && !r.url().startsWith('data:')) {
        problems.push(`request outside the server: ${r.url()}`);
      }
    });

    // 1. The page loads: every policy of the scenario, the map drawn.
    await page.goto(url);
    await page.waitForSelector('body[data-state="ready"]', { timeout: 30000 });
    const scenarioJson = await (await page.request.get(`${url}api/scenario`)).json();
    assert.equal(await page.locator('.policy').count(), scenarioJson.policies.length);
    await page.waitForSelector('#map svg path', { timeout: 30000 });
    const slider = page.locator(`input[data-path="${RATE}"]`);
    assert.equal(await slider.count(), 1, 'a slider for the Malaysian inspection rate');
    const loadedRate = scenarioJson.policies.find((p) => p.name === 'customs_my')
      .controls.find((c) => c.field === 'inspection_rate').value;

    // 2. Raise the inspection rate tenfold and run: more lots detected than as loaded.
    const raised = Math.min(1, loadedRate * 10);
    await slider.fill(String(raised));
    assert.ok(await page.locator('.control.changed').count() === 1, 'the edited control is marked');
    await page.fill('#replications', '60');
    await runAndWait(page);
    const first = await headline(page, 'share_lots_flagged');
    assert.ok(percent(first.edited) > percent(first.asLoaded),
              `detection rate should rise: ${JSON.stringify(first)}`);
    assert.match(first.delta, /^difference \+/);
    // The page shows what the API computed.
    const runId = (await page.locator('#results-caption').textContent()).match(/run (\d+)/)[1];
    const api = await (await page.request.get(`${url}api/runs/${runId}/results`)).json();
    const rate = api.metrics.find((m) => m.metric === 'share_lots_flagged');
    assert.equal(first.edited, `${(100 * rate.edited.mean).toFixed(1)}%`);
    assert.equal(first.asLoaded, `${(100 * rate.as_loaded.mean).toFixed(1)}%`);
    assert.ok(rate.difference.ci_low > 0, 'the paired interval excludes zero');
    assert.ok(await page.locator('#results-table tbody tr').count() >= 10);
    await page.screenshot({ path: path.join(artifacts, 'explorer.png'), fullPage: true });

    // 3. Results update: with the inspection switched off the edited rate falls below.
    await page.locator(`input[data-policy-switch="customs_my"]`).uncheck();
    await runAndWait(page);
    const second = await headline(page, 'share_lots_flagged');
    assert.ok(percent(second.edited) < percent(second.asLoaded),
              `detection rate should fall: ${JSON.stringify(second)}`);
    assert.equal(second.asLoaded, first.asLoaded, 'same seed: the scenario as loaded gives the same numbers');

    // 4. Downloads: the results as CSV, the edited scenario as a file that loads again.
    const [csv] = await Promise.all([page.waitForEvent('download'), page.click('#download-results')]);
    const csvPath = path.join(artifacts, 'explorer-results.csv');
    await csv.saveAs(csvPath);
    assert.match(fs.readFileSync(csvPath, 'utf8'), /^metric,variant,n,mean,sd,ci_low,ci_high,ci_level,ci_method\n/);
    await page.locator(`input[data-policy-switch="customs_my"]`).check();
    await slider.fill('0.5');
    const [text] = await Promise.all([page.waitForEvent('download'), page.click('#download-scenario')]);
    assert.equal(text.suggestedFilename(), `${path.basename(scenario, '.textproto')}-edited.textproto`);
    const textPath = path.join(artifacts, text.suggestedFilename());
    await text.saveAs(textPath);
    assert.match(fs.readFileSync(textPath, 'utf8'), /inspection_rate: 0\.5\b/);
    execFileSync(chiptrail, ['validate', textPath], { stdio: 'inherit' });

    // 5. Cancel: a long run stops when asked.
    await page.fill('#replications', String(scenarioJson.max_replications));
    await page.click('#run');
    await page.waitForFunction(() => document.getElementById('progress').value > 0, null, { timeout: 30000 });
    await page.click('#cancel');
    await page.waitForFunction(() => document.getElementById('progress-text').textContent.includes('(cancelled)'),
                               null, { timeout: 30000 });
    assert.equal(await page.locator('#run').isEnabled(), true);

    assert.deepEqual(problems, [], 'no console errors, failed or outside requests');
  } finally {
    await browser.close();
    const { code, signal } = await stopServer(server);
    assert.equal(code, 0, `serve should stop cleanly on SIGTERM (signal ${signal})`);
  }
  console.log(`explorer e2e: passed; screenshot in ${path.join(artifacts, 'explorer.png')}`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});

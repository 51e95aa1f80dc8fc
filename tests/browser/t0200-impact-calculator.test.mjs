// t0200 (browser): the CVSS v3.1 calculator on a report page (SPEC 2.3, SPEC 7).
// In real Chromium, the intake staff pick the metrics one by one and see the score
// change live, in Japanese and in English; recording the assessment moves the
// report to the top of the queue as high impact.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { launchChromium, SHOTS } from './lib.mjs';
import { startServer, postReport, productReport, rid, PASSWORD } from '../e2e/lib/server.mjs';

let srv;
let browser;
before(async () => {
  srv = await startServer();
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
  await srv?.stop();
});

async function signIn(page) {
  await page.goto(srv.url + '/login');
  await page.fill('input[name=email]', 'intake@ipa.example');
  await page.fill('input[name=password]', PASSWORD);
  await Promise.all([page.waitForNavigation(), page.click('button[type=submit]')]);
}

const CRITICAL = { AV: 'N', AC: 'L', PR: 'N', UI: 'N', S: 'U', C: 'H', I: 'H', A: 'H' };

for (const [locale, lang, label] of [['ja-JP', 'ja', '緊急'], ['en-US', 'en', 'Critical']]) {
  test(`live score while choosing metrics (${lang})`, async () => {
    const older = await postReport(srv.url, productReport());
    const r = await postReport(srv.url, productReport());
    assert.equal(r.status, 201);
    const tid = r.json.tracking_id;
    const ctx = await browser.newContext({ locale });
    const page = await ctx.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await signIn(page);
    await page.goto(`${srv.url}/intake/reports/${rid(tid)}?lang=${lang}`);
    const score = page.locator('#calc-score');
    for (const [metric, value] of Object.entries(CRITICAL))
      await page.check(`input[name="m.${metric}"][value="${value}"]`);
    await assert.doesNotReject(score.filter({ hasText: '9.8' }).waitFor({ timeout: 5000 }));
    assert.match(await score.textContent(), new RegExp(label));
    // a change of one metric changes the score at once
    await page.check('input[name="m.AV"][value="P"]');
    await score.filter({ hasText: '6.8' }).waitFor({ timeout: 5000 });
    await page.check('input[name="m.AV"][value="N"]');
    await page.selectOption('select[name="scope.attack_public"]', 'yes');
    await page.screenshot({ path: path.join(SHOTS, `t0200-calculator-${lang}.png`), fullPage: true });
    await Promise.all([page.waitForNavigation(), page.click('#assessment button[type=submit]')]);
    assert.equal(await page.locator('#impact-score').textContent(), '9.8');
    assert.equal(await page.locator('#impact-level').getAttribute('data-impact'), 'high');
    // the queue now lists it above the older, unrated report
    await page.goto(`${srv.url}/intake`);
    const rows = await page.locator('#queue tbody tr').evaluateAll((trs) => trs.map((tr) => tr.dataset.trackingId));
    assert.ok(rows.indexOf(tid) < rows.indexOf(older.json.tracking_id), rows.join(' '));
    assert.deepEqual(errors, []);
    await ctx.close();
  });
}

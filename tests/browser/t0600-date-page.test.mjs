// t0600 (browser): the publication date page in real Chromium, in Japanese, on
// the demo's data (`keikai demo`; issue 10, SPEC 2.8, G IV.4.4): the
// coordinator follows the "公表日" link of the demo case to its date page,
// sees the agreed date, who agreed, who asked for what and the history,
// moves the date with a reason (a business day from `keikai calendar
// holidays`), and sees every vendor asked again; the vendor サンプル電機 signs
// in, sees the new date on the same page without any other vendor's answer,
// and agrees. Page contract: templates/case_date.html. Screenshots go to
// build/screenshots/.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { launchChromium, signIn as signInAt, startDemo, submitAndWait, DEMO_PASSWORD, SHOTS } from './lib.mjs';
import { api, createToken, keikai } from '../e2e/lib/server.mjs';

const COORDINATOR = 'coordinator@jpcert.example';
const VENDOR = 'psirt@sample-denki.example';
const JAPANESE_RE = /[\u3040-\u30ff\u4e00-\u9fff]/;

const signIn = (ctx, email) => signInAt(ctx, url, email, DEMO_PASSWORD);

let demo; /* the demo's server */
let url; let browser;
let ref; /* the demo case */
let setAt; /* its date as the demo set it (unix seconds) */

before(async () => {
  demo = await startDemo();
  url = demo.url;
  const token = await createToken(demo.db, COORDINATOR);
  const cases = await api(url, '/api/v1/cases', { token });
  assert.equal(cases.status, 200, cases.text);
  ref = cases.json.cases[0].id;
  const d = await api(url, `/api/v1/cases/${encodeURIComponent(ref)}/date`, { token });
  assert.equal(d.json.state, 'set', d.text);
  setAt = d.json.publication_at;
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
  await demo?.stop();
});

/* A business day at least `after` days after unix time t, as YYYY-MM-DD: not
 * a weekend, not a national holiday (keikai calendar holidays), not in the
 * year-end closing (29 Dec - 3 Jan). */
async function businessDayAfter(t, after) {
  const day = new Date((t + 9 * 3600) * 1000);
  day.setUTCDate(day.getUTCDate() + after);
  const holidays = new Set();
  for (const y of [day.getUTCFullYear(), day.getUTCFullYear() + 1]) {
    const out = await keikai(['calendar', 'holidays', String(y)]);
    for (const line of out.stdout.split('\n')) if (line) holidays.add(line.slice(0, 10));
  }
  for (;;) {
    const iso = day.toISOString().slice(0, 10);
    const md = iso.slice(5);
    const closing = md >= '12-29' || md <= '01-03';
    if (![0, 6].includes(day.getUTCDay()) && !holidays.has(iso) && !closing) return iso;
    day.setUTCDate(day.getUTCDate() + 1);
  }
}

test('the coordinator moves the agreed date in Japanese and a vendor agrees to the new one', { timeout: 180_000 }, async () => {
  const errors = [];
  const coordCtx = await browser.newContext({ locale: 'ja-JP' });
  const page = await signIn(coordCtx, COORDINATOR);
  page.on('pageerror', (e) => errors.push(String(e)));

  await page.goto(`${url}/cases/${encodeURIComponent(ref)}`);
  await submitAndWait(page, '#case-date a');
  assert.equal(new URL(page.url()).pathname, `/cases/${encodeURIComponent(ref)}/date`);
  assert.equal(await page.locator('html').getAttribute('lang'), 'ja');
  assert.equal((await page.locator('#date-state').textContent()).trim(), '公表日決定');
  assert.equal(await page.locator('#date-current time').getAttribute('datetime'),
    new Date(setAt * 1000).toISOString().replace('.000', ''));
  // SPEC 2.8: who agreed, who asked for what, who is silent
  assert.equal(await page.locator('#date-answers tr.answer-agree').count(), 2);
  assert.equal(await page.locator('#date-answers tr.answer-silent').count(), 2);
  assert.equal(await page.locator('#date-history tbody tr').count(), 1);
  assert.match(await page.locator('#date-history').textContent(), /修正版配布に合わせました/);
  assert.match(await page.locator('#date-factors').textContent(), /2週間/);
  await page.screenshot({ path: path.join(SHOTS, 't0600-date-agreed.png'), fullPage: true });

  // a Saturday is refused with the reason next to the field, nothing stored
  const saturday = new Date((setAt + 9 * 3600) * 1000);
  saturday.setUTCDate(saturday.getUTCDate() + ((6 - saturday.getUTCDay() + 7) % 7 || 7));
  await page.locator('#ds-date').fill(saturday.toISOString().slice(0, 10));
  await page.locator('#ds-reason').fill('土曜日は不可のはず');
  await submitAndWait(page, '#date-set');
  assert.match(await page.locator('#form-error').textContent(), JAPANESE_RE);
  assert.match(await page.locator('#form-date-set').textContent(), /営業日ではありません/);
  assert.equal(await page.locator('#date-history tbody tr').count(), 1);

  // G IV.4.4: moved with a reason; every vendor is asked again
  const newDay = await businessDayAfter(setAt, 7);
  await page.locator('#ds-date').fill(newDay);
  await page.locator('#ds-reason').fill('東亜カメラモジュールの検証に1週間追加します。');
  await page.locator('#ds-intl').fill('海外の調整機関と調整済み');
  await submitAndWait(page, '#date-set');
  assert.match(await page.locator('#saved').textContent(), JAPANESE_RE);
  assert.equal(await page.locator('#date-history tbody tr').count(), 2);
  assert.match(await page.locator('#date-current time').getAttribute('datetime'), new RegExp(`^${newDay}T02:00:00Z$`));
  assert.equal(await page.locator('#date-answers tr.answer-silent').count(), 4, 'everyone is asked again');
  assert.match(await page.locator('#date-summary').textContent(), /未回答 4 件/);
  // and sees everyone told: the four vendors, intake, and the finder (without its address)
  assert.equal(await page.locator('#date-told li').count(), 6);
  assert.equal(await page.locator('#date-told li.told-finder').count(), 1);
  assert.match(await page.locator('#date-told').textContent(), /psirt@sample-denki\.example/);
  await page.screenshot({ path: path.join(SHOTS, 't0600-date-moved.png'), fullPage: true });

  // the vendor sees the new date and only its own answer, and agrees
  const vendorCtx = await browser.newContext({ locale: 'ja-JP' });
  const vp = await signIn(vendorCtx, VENDOR);
  vp.on('pageerror', (e) => errors.push(String(e)));
  await vp.goto(`${url}/cases/${encodeURIComponent(ref)}`);
  await submitAndWait(vp, '#case-date a');
  assert.match(await vp.locator('#date-current time').getAttribute('datetime'), new RegExp(`^${newDay}T`));
  assert.equal(await vp.locator('#date-answers tbody tr').count(), 1, 'its own answer only');
  const content = await vp.content();
  assert.ok(!content.includes('東亜カメラモジュールの検証'), 'no reason of the change for a vendor');
  assert.ok(!content.includes('Example Corp'), 'no other vendor named');
  await submitAndWait(vp, '#date-agree');
  assert.match(await vp.locator('#saved').textContent(), JAPANESE_RE);
  assert.equal(await vp.locator('#date-answers tr.answer-agree').count(), 1);
  await vp.screenshot({ path: path.join(SHOTS, 't0600-vendor-agrees.png'), fullPage: true });

  assert.deepEqual(errors, []);
  await coordCtx.close();
  await vendorCtx.close();
});

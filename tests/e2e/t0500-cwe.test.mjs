// t0500: the CWE catalogue (issue 3): imported with `keikai import cwe`, looked up
// over the API by id, with the name in the requester's language.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { startServer, api, keikai, REPO_ROOT } from './lib/server.mjs';

const DATA = path.join(REPO_ROOT, 'tests/data/cwe');

let srv;
before(async () => {
  srv = await startServer();
  await keikai(['import', 'cwe', '--db', srv.db, path.join(DATA, 'sample.xml'), '--ja', path.join(DATA, 'sample-ja.json')]);
});
after(async () => { await srv?.stop(); });

test('an entry by id, named in the requester\'s language', async () => {
  const ja = await api(srv.url, '/api/v1/cwe/CWE-79', { lang: 'ja' });
  assert.equal(ja.status, 200, ja.text);
  assert.equal(ja.json.id, 'CWE-79');
  assert.match(ja.json.name, /Cross-site Scripting/);
  assert.match(ja.json.name_local, /[\u3040-\u30ff\u4e00-\u9fff]/);
  const en = await api(srv.url, '/api/v1/cwe/79', { lang: 'en' });
  assert.equal(en.status, 200, en.text);
  assert.equal(en.json.name_local, en.json.name);
});

test('malformed and unknown ids', async () => {
  let r = await api(srv.url, '/api/v1/cwe/CWE-x', { lang: 'en' });
  assert.equal(r.status, 400);
  assert.ok(r.json.error);
  r = await api(srv.url, '/api/v1/cwe/CWE-999999', { lang: 'en' });
  assert.equal(r.status, 404);
});

// A byte that is not UTF-8 in the id: the message is whole and names the place.
test('an id that is not text gets the whole message', async () => {
  for (const [lang, text] of [['en', 'CWE id "CWE-?": unexpected character at position 5; write CWE-79 or 79.'],
    ['ja', 'CWE識別子「CWE-?」：位置 5 に予期しない文字があります。CWE-79 または 79 の形式で書いてください。']]) {
    const r = await api(srv.url, '/api/v1/cwe/CWE-%ff', { lang });
    assert.equal(r.status, 400);
    assert.equal(r.json.error, text);
  }
});

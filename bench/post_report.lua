-- bench/post_report.lua: wrk script for bench/report_submit.sh.
--
-- Every request is a POST of one valid product report (docs/api/reports.md, the same
-- body as tests/e2e/lib/server.mjs PRODUCT_REPORT) as application/json, in English.
-- Each wrk thread counts the requests it started, the 201 answers and everything
-- else by status; done() adds them up over the threads and prints lines that start
-- with "post_report:" for the shell script to read:
--
--   post_report: sent=N responses=N created=N non201=N
--   post_report: status S: N          (one per status other than 201)
--   post_report: first non-201 body: ...
--   post_report: duration_us=N p50_us=N p99_us=N max_us=N
--   post_report: errors connect=N read=N write=N status=N timeout=N
--
-- "sent" counts requests whose writing began; sent - responses were in flight when
-- wrk stopped (or failed on the socket), and the server may have committed them.

local body = [[
{"kind": "product",
 "finder": {"name": "山田 太郎", "email": "taro@example.jp", "organization": "", "phone": "", "pgp_key": ""},
 "consent": {"share_identity": false, "direct_contact": false, "credit": true, "credit_name": "Taro Yamada"},
 "product": {"vendor": "Example Corp", "name": "Example Router", "version": "1.2.3"},
 "details": {"summary": "管理画面にクロスサイト・スクリプティングの脆弱性があります。",
             "environment": "Example Router 1.2.3, Firefox 128",
             "steps": "1. 管理画面にログインする\n2. 検索欄に <script>alert(1)</script> を入力する",
             "result": "スクリプトが実行される。",
             "impact": "", "workaround": "", "cvss_vector": ""},
 "other_reports": {"reported_elsewhere": false, "to_whom": "", "vendor_told_directly": false,
                   "coordinated_by": "receiving_org"},
 "wants_final_result": true, "encrypted_contact": false}
]]

wrk.method = "POST"
wrk.body = body
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Accept-Language"] = "en"

-- Runs in the main Lua state: remember the threads so done() can read their counters.
local threads = {}

function setup(thread)
	table.insert(threads, thread)
end

-- From here on, per thread.
sent = 0
created = 0
non201 = 0
by_status = {}
first_bad = nil
local req

function init(args)
	req = wrk.format()
end

-- Defining request() makes wrk call it for every request, so sent can be counted.
function request()
	sent = sent + 1
	return req
end

function response(status, headers, resp_body)
	if status == 201 then
		created = created + 1
	else
		non201 = non201 + 1
		by_status[status] = (by_status[status] or 0) + 1
		if first_bad == nil then
			first_bad = string.sub(resp_body or "", 1, 300)
		end
	end
end

function done(summary, latency, requests)
	local t_sent, t_created, t_non201, t_status, bad = 0, 0, 0, {}, nil
	for _, thread in ipairs(threads) do
		t_sent = t_sent + thread:get("sent")
		t_created = t_created + thread:get("created")
		t_non201 = t_non201 + thread:get("non201")
		for s, n in pairs(thread:get("by_status") or {}) do
			t_status[s] = (t_status[s] or 0) + n
		end
		bad = bad or thread:get("first_bad")
	end
	local e = summary.errors
	io.write(string.format("post_report: sent=%d responses=%d created=%d non201=%d\n",
		t_sent, summary.requests, t_created, t_non201))
	for s, n in pairs(t_status) do
		io.write(string.format("post_report: status %s: %d\n", tostring(s), n))
	end
	if bad then
		io.write("post_report: first non-201 body: " .. string.gsub(bad, "\n", " ") .. "\n")
	end
	io.write(string.format("post_report: duration_us=%d p50_us=%d p99_us=%d max_us=%d\n",
		summary.duration, latency:percentile(50), latency:percentile(99), latency.max))
	io.write(string.format("post_report: errors connect=%d read=%d write=%d status=%d timeout=%d\n",
		e.connect, e.read, e.write, e.status, e.timeout))
end

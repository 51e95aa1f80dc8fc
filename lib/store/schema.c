/*
 * schema.c: keikai's database schema as numbered migrations, one set for both
 * engines. Append a new entry for every change; never change what a released one
 * does.
 *
 * The SQL is what SQLite and PostgreSQL share, with three words that each driver
 * spells its own way (driver.h): {id} an integer primary key the database
 * assigns, {blob} bytes, {nocase} SQLite's case-insensitive collation (on
 * PostgreSQL nothing: e-mail addresses are stored in lower case, migration 4).
 * Timestamps are Unix seconds (UTC) from the core clock, in BIGINT columns.
 */
#include <stddef.h>

#include "keikai/advisory_search.h"
#include "report_queue.h"
#include "schema.h"
#include "vault_fill.h"

const char *const kk_schema_migrations[] = {
	/* 1: settings, accounts, reports, attachments, outbox, audit (issue 2) */
	"CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);"

	"CREATE TABLE orgs ("
	"  id {id}, name TEXT NOT NULL UNIQUE, created_at BIGINT NOT NULL);"

	"CREATE TABLE users ("
	"  id {id}, org_id BIGINT NOT NULL REFERENCES orgs(id),"
	"  email TEXT NOT NULL UNIQUE {nocase}, name TEXT NOT NULL,"
	"  role TEXT NOT NULL CHECK (role IN ('intake','coordinator','vendor','operator','committee','admin')),"
	"  password_hash TEXT NOT NULL, created_at BIGINT NOT NULL);"

	"CREATE TABLE login_failures ("
	"  email TEXT NOT NULL {nocase}, at BIGINT NOT NULL);"
	"CREATE INDEX login_failures_email ON login_failures(email, at);"

	"CREATE TABLE sessions ("
	"  id_hash TEXT PRIMARY KEY, user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
	"  csrf TEXT NOT NULL, created_at BIGINT NOT NULL, expires_at BIGINT NOT NULL);"

	"CREATE TABLE api_tokens ("
	"  id {id}, token_hash TEXT NOT NULL UNIQUE,"
	"  user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
	"  created_at BIGINT NOT NULL, last_used_at BIGINT);"

	"CREATE TABLE reports ("
	"  id {id}, tracking_id TEXT NOT NULL UNIQUE,"
	"  secret_hash TEXT NOT NULL UNIQUE,"
	"  kind TEXT NOT NULL CHECK (kind IN ('product','website')),"
	"  status TEXT NOT NULL CHECK (status IN ('received','accepted','rejected')),"
	"  lang TEXT NOT NULL,"
	"  received_at BIGINT NOT NULL, accepted_at BIGINT, decided_at BIGINT,"
	"  reject_reason TEXT, decision_note TEXT,"
	"  finder_name TEXT, finder_email TEXT, finder_organization TEXT, finder_phone TEXT,"
	"  finder_pgp_key TEXT,"
	"  share_identity BIGINT NOT NULL, direct_contact BIGINT NOT NULL, credit BIGINT NOT NULL,"
	"  credit_name TEXT,"
	"  product_vendor TEXT, product_name TEXT, product_version TEXT, website_url TEXT,"
	"  summary TEXT NOT NULL, environment TEXT NOT NULL, steps TEXT NOT NULL, result TEXT NOT NULL,"
	"  impact TEXT, workaround TEXT, cvss_vector TEXT,"
	"  reported_elsewhere BIGINT NOT NULL, reported_to TEXT,"
	"  vendor_told_directly BIGINT NOT NULL, coordinated_by TEXT,"
	"  wants_final_result BIGINT NOT NULL, encrypted_contact BIGINT NOT NULL);"
	"CREATE INDEX reports_status ON reports(status, received_at);"

	"CREATE TABLE attachments ("
	"  id {id}, report_id BIGINT NOT NULL REFERENCES reports(id) ON DELETE CASCADE,"
	"  idx BIGINT NOT NULL, filename TEXT NOT NULL, content_type TEXT NOT NULL,"
	"  size BIGINT NOT NULL, sha256 TEXT NOT NULL, data {blob} NOT NULL, UNIQUE (report_id, idx));"

	"CREATE TABLE outbox ("
	"  id {id}, created_at BIGINT NOT NULL, kind TEXT NOT NULL,"
	"  recipient TEXT NOT NULL, subject TEXT NOT NULL, body TEXT NOT NULL, lang TEXT NOT NULL,"
	"  report_id BIGINT REFERENCES reports(id), status TEXT NOT NULL DEFAULT 'queued');"

	"CREATE TABLE audit ("
	"  id {id}, at BIGINT NOT NULL, actor_id BIGINT, actor TEXT NOT NULL,"
	"  role TEXT NOT NULL, object_type TEXT NOT NULL, object_id BIGINT NOT NULL,"
	"  action TEXT NOT NULL, from_state TEXT, to_state TEXT, detail TEXT);"
	"CREATE INDEX audit_object ON audit(object_type, object_id, id);",

	/* 2: the CWE catalogue: MITRE's entries with Japanese names, and which
	 * release of each source was imported (issue 3) */
	"CREATE TABLE cwe ("
	"  id {id} CHECK (id > 0),"
	"  kind TEXT NOT NULL CHECK (kind IN ('weakness','category','view')),"
	"  name_en TEXT NOT NULL, name_ja TEXT, abstraction TEXT, status TEXT, description TEXT);"

	"CREATE TABLE cwe_catalog ("
	"  source TEXT PRIMARY KEY CHECK (source IN ('mitre','ja')),"
	"  version TEXT, released TEXT, imported_at BIGINT NOT NULL);",

	/* 3: impact assessment by staff (issue 3; SPEC 2.3, 7) */
	"ALTER TABLE reports ADD COLUMN assessed_vector TEXT;"
	"ALTER TABLE reports ADD COLUMN scope_users TEXT NOT NULL DEFAULT 'unknown'"
	"  CHECK (scope_users IN ('unknown','many','few'));"
	"ALTER TABLE reports ADD COLUMN scope_critical TEXT NOT NULL DEFAULT 'unknown'"
	"  CHECK (scope_critical IN ('unknown','yes','no'));"
	"ALTER TABLE reports ADD COLUMN scope_attack TEXT NOT NULL DEFAULT 'unknown'"
	"  CHECK (scope_attack IN ('unknown','yes','no'));"
	"ALTER TABLE reports ADD COLUMN assessed_at BIGINT;",

	/* 4: one store, two engines (issue 6): e-mail addresses are kept in lower
	 * case, so they compare alike without SQLite's NOCASE */
	"UPDATE users SET email = lower(email);"
	"UPDATE login_failures SET email = lower(email);",

	/* 5: a name to credit is kept only when the finder consented to credit
	 * (issue 7; SPEC 1) */
	"UPDATE reports SET credit_name = NULL WHERE credit = 0;",

	/* 6: the queue in SQL (issue 7; SPEC 2.3): each report's impact rank (enum
	 * kk_impact) and CVSS v3 base score in tenths, as kk_report_impact decides
	 * them, kept with the report, and the indexes that order and page the queue
	 * with and without a status filter. NOT NULL with -1 for "none": the engines
	 * sort NULL at opposite ends. Reports stored before are at -1, not ranked,
	 * until kk_reports_rank_missing (kk_schema_fills) ranks them in C. */
	"ALTER TABLE reports ADD COLUMN impact_rank BIGINT NOT NULL DEFAULT -1;"
	"ALTER TABLE reports ADD COLUMN score_tenths BIGINT NOT NULL DEFAULT -1;"
	"CREATE INDEX reports_queue ON reports(impact_rank DESC, score_tenths DESC, received_at, id);"
	"CREATE INDEX reports_status_queue ON reports(status, impact_rank DESC, score_tenths DESC, received_at, id);",

	/* 7: what an attacker found (issue 7, item 10). Sign-in throttling by
	 * account and by source address with growing delays instead of a lock-out
	 * anyone could trigger (login_failures goes); the reports each source
	 * address sent in its current hour; and the first answer to each
	 * Idempotency-Key of POST /api/v1/reports, encrypted with a key derived
	 * from the Idempotency-Key (docs/api/reports.md). Subjects, sources and
	 * keys are stored as hashes only. */
	"CREATE TABLE login_throttle ("
	"  scope TEXT NOT NULL CHECK (scope IN ('account','address')), subject TEXT NOT NULL,"
	"  failures BIGINT NOT NULL, last_at BIGINT NOT NULL, prev_at BIGINT NOT NULL, trusted TEXT,"
	"  PRIMARY KEY (scope, subject));"
	"CREATE INDEX login_throttle_last ON login_throttle(last_at);"
	"DROP TABLE login_failures;"

	"CREATE TABLE report_sources ("
	"  source TEXT PRIMARY KEY, window_start BIGINT NOT NULL, reports BIGINT NOT NULL);"
	"CREATE INDEX report_sources_window ON report_sources(window_start);"

	"CREATE TABLE idempotency_keys ("
	"  key_hash TEXT PRIMARY KEY, body_hash TEXT NOT NULL, status BIGINT NOT NULL,"
	"  answer {blob} NOT NULL, created_at BIGINT NOT NULL,"
	"  report_id BIGINT NOT NULL REFERENCES reports(id) ON DELETE CASCADE);"
	"CREATE INDEX idempotency_keys_created ON idempotency_keys(created_at);",

	/* 8: the vendor registry (issue 8; SPEC 2.5): vendors with their names in
	 * Japanese and English, aliases and contacts per channel, and their
	 * products with CPE 2.3 names. myjvn_vid and myjvn_pid key the rows
	 * imported from the MyJVN dictionary (NULL for those added by hand), so a
	 * second import updates instead of duplicating. Flags are 0/1 BIGINTs. No
	 * index on cpe23: CPE names are matched by NISTIR 7696 in C, and an index
	 * on 77,000 long random strings made the import a third slower. */
	"CREATE TABLE vendors ("
	"  id {id}, myjvn_vid BIGINT UNIQUE,"
	"  name_ja TEXT, name_en TEXT, cpe23 TEXT, country TEXT, website TEXT,"
	"  registration_type TEXT NOT NULL DEFAULT 'general'"
	"    CHECK (registration_type IN ('general','individual')),"
	"  listed_publicly BIGINT NOT NULL DEFAULT 0, accepts_direct_reports BIGINT NOT NULL DEFAULT 0,"
	"  intake_email TEXT, policy_url TEXT, pgp_key TEXT, preferred_lang TEXT,"
	"  created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL,"
	"  CHECK (name_ja IS NOT NULL OR name_en IS NOT NULL));"

	"CREATE TABLE vendor_aliases ("
	"  id {id}, vendor_id BIGINT NOT NULL REFERENCES vendors(id) ON DELETE CASCADE,"
	"  alias TEXT NOT NULL, UNIQUE (vendor_id, alias));"

	"CREATE TABLE vendor_contacts ("
	"  id {id}, vendor_id BIGINT NOT NULL REFERENCES vendors(id) ON DELETE CASCADE,"
	"  channel TEXT NOT NULL CHECK (channel IN ('email','postal','phone','fax','web_form')),"
	"  value TEXT NOT NULL, department TEXT,"
	"  is_primary BIGINT NOT NULL DEFAULT 0, is_valid BIGINT NOT NULL DEFAULT 1,"
	"  created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL);"
	"CREATE INDEX vendor_contacts_vendor ON vendor_contacts(vendor_id);"

	"CREATE TABLE products ("
	"  id {id}, vendor_id BIGINT NOT NULL REFERENCES vendors(id) ON DELETE CASCADE,"
	"  myjvn_pid BIGINT UNIQUE, name_ja TEXT, name_en TEXT, cpe23 TEXT, product_type TEXT,"
	"  end_of_support BIGINT NOT NULL DEFAULT 0,"
	"  created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL,"
	"  CHECK (name_ja IS NOT NULL OR name_en IS NOT NULL));"
	"CREATE INDEX products_vendor ON products(vendor_id);",

	/* 9: the rest of the vendor registry (issue 8; SPEC 2.5, G IV.4.1-4.2).
	 * orgs.vendor_id binds a vendor's users to their vendor (the policy's
	 * "own vendor"). registry_version's one row (id 1, written by the first
	 * change: an empty database stays empty for keikai db copy) counts every
	 * change to vendors and products, so the search index knows when to reload.
	 * A product's components are other registered products, or components
	 * named by CPE or purl (match_key: the folded key they are found by), by
	 * hand or from an SBOM upload; distributors are the other vendors that
	 * ship a product (OEM). vendor_requests are self-registrations waiting for
	 * a coordinator; report_vendors the vendors a coordinator confirmed for a
	 * report, each with the basis of the choice (JSON). */
	"ALTER TABLE orgs ADD COLUMN vendor_id BIGINT REFERENCES vendors(id);"
	"ALTER TABLE products ADD COLUMN versions TEXT;"
	"ALTER TABLE vendors ADD COLUMN last_contact_at BIGINT;"

	"CREATE TABLE registry_version (id BIGINT PRIMARY KEY CHECK (id = 1), version BIGINT NOT NULL);"

	"CREATE TABLE vendor_sboms ("
	"  id {id}, vendor_id BIGINT NOT NULL REFERENCES vendors(id) ON DELETE CASCADE,"
	"  product_id BIGINT NOT NULL REFERENCES products(id) ON DELETE CASCADE,"
	"  format TEXT NOT NULL, spec_version TEXT, document_name TEXT,"
	"  components BIGINT NOT NULL, uploaded_by BIGINT REFERENCES users(id), uploaded_at BIGINT NOT NULL);"
	"CREATE INDEX vendor_sboms_product ON vendor_sboms(product_id);"

	"CREATE TABLE product_components ("
	"  id {id}, product_id BIGINT NOT NULL REFERENCES products(id) ON DELETE CASCADE,"
	"  component_product_id BIGINT REFERENCES products(id) ON DELETE SET NULL,"
	"  name TEXT, version TEXT, cpe23 TEXT, purl TEXT, match_key TEXT,"
	"  source TEXT NOT NULL CHECK (source IN ('manual','sbom')),"
	"  sbom_id BIGINT REFERENCES vendor_sboms(id) ON DELETE CASCADE,"
	"  created_at BIGINT NOT NULL,"
	"  CHECK (component_product_id IS NOT NULL OR name IS NOT NULL OR cpe23 IS NOT NULL OR purl IS NOT NULL));"
	"CREATE INDEX product_components_product ON product_components(product_id);"
	"CREATE INDEX product_components_component ON product_components(component_product_id);"
	"CREATE INDEX product_components_key ON product_components(match_key);"

	"CREATE TABLE product_distributors ("
	"  id {id}, product_id BIGINT NOT NULL REFERENCES products(id) ON DELETE CASCADE,"
	"  vendor_id BIGINT NOT NULL REFERENCES vendors(id) ON DELETE CASCADE,"
	"  created_at BIGINT NOT NULL, UNIQUE (product_id, vendor_id));"

	"CREATE TABLE vendor_requests ("
	"  id {id}, status TEXT NOT NULL CHECK (status IN ('pending','approved','rejected')),"
	"  name_ja TEXT, name_en TEXT, country TEXT, website TEXT,"
	"  contact_email TEXT NOT NULL, department TEXT, lang TEXT NOT NULL, note TEXT,"
	"  created_at BIGINT NOT NULL, decided_at BIGINT, decided_by BIGINT REFERENCES users(id),"
	"  vendor_id BIGINT REFERENCES vendors(id), reason TEXT,"
	"  CHECK (name_ja IS NOT NULL OR name_en IS NOT NULL));"
	"CREATE INDEX vendor_requests_status ON vendor_requests(status, created_at);"

	"CREATE TABLE report_vendors ("
	"  id {id}, report_id BIGINT NOT NULL REFERENCES reports(id) ON DELETE CASCADE,"
	"  vendor_id BIGINT NOT NULL REFERENCES vendors(id),"
	"  basis TEXT NOT NULL, confirmed_by BIGINT REFERENCES users(id), confirmed_at BIGINT NOT NULL,"
	"  UNIQUE (report_id, vendor_id));",

	/* 10: cases (issue 9; SPEC 2.4-2.7, 2.13, G IV.4-5). A case joins one or
	 * more accepted product reports (each finder a letter: "Finder A"); it has
	 * vulnerabilities (idx 1, 2, … within the case) with their affected
	 * products, and vendors (case_vendors: the vendor's two-stage standing,
	 * its answer and statement). Each vendor has one status per vulnerability
	 * (vendor_statuses; the flow "vendor_status", whose history is the audit
	 * trail), countermeasures per affected product, suggestions of other
	 * vendors. contact_attempts are the notices sent (the first one is day 0,
	 * cases.day0). Threads hold the case's messages: coordinator <-> a vendor,
	 * staff <-> a finder (keyed by the report: a finder may write before its
	 * report joins a case), finder <-> vendor. case_attachments are the report
	 * files the coordinator passes on with the detail. The outbox names the
	 * case a notice is about. */
	"CREATE TABLE cases ("
	"  id {id}, ref TEXT NOT NULL UNIQUE, title TEXT NOT NULL,"
	"  state TEXT NOT NULL, summary TEXT NOT NULL, detail TEXT NOT NULL,"
	"  coordinator_id BIGINT REFERENCES users(id),"
	"  vendors_see_names BIGINT NOT NULL DEFAULT 0, day0 BIGINT, advisory_id TEXT,"
	"  created_by BIGINT REFERENCES users(id), created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL);"
	"CREATE INDEX cases_state ON cases(state, created_at);"

	"CREATE TABLE case_reports ("
	"  id {id}, case_id BIGINT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,"
	"  report_id BIGINT NOT NULL UNIQUE REFERENCES reports(id),"
	"  finder_label TEXT NOT NULL, added_at BIGINT NOT NULL, UNIQUE (case_id, finder_label));"

	"CREATE TABLE vulnerabilities ("
	"  id {id}, case_id BIGINT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,"
	"  idx BIGINT NOT NULL, title TEXT NOT NULL, description TEXT,"
	"  cwe_id BIGINT, cvss3_vector TEXT, cvss3_score_tenths BIGINT NOT NULL DEFAULT -1,"
	"  cvss4_vector TEXT, cvss4_score_tenths BIGINT NOT NULL DEFAULT -1, cve_id TEXT,"
	"  created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL, UNIQUE (case_id, idx));"

	"CREATE TABLE vulnerability_products ("
	"  id {id}, vulnerability_id BIGINT NOT NULL REFERENCES vulnerabilities(id) ON DELETE CASCADE,"
	"  product_id BIGINT REFERENCES products(id) ON DELETE SET NULL, vendor_id BIGINT REFERENCES vendors(id),"
	"  name TEXT, cpe23 TEXT, versions TEXT, created_at BIGINT NOT NULL,"
	"  CHECK (product_id IS NOT NULL OR name IS NOT NULL OR cpe23 IS NOT NULL));"
	"CREATE INDEX vulnerability_products_vuln ON vulnerability_products(vulnerability_id);"

	"CREATE TABLE case_vendors ("
	"  id {id}, case_id BIGINT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,"
	"  vendor_id BIGINT NOT NULL REFERENCES vendors(id),"
	"  added_by BIGINT REFERENCES users(id), added_at BIGINT NOT NULL,"
	"  notified_at BIGINT, summary_read_at BIGINT, detail_requested_at BIGINT,"
	"  answer TEXT CHECK (answer IN ('send_detail','not_applicable')), answer_reason TEXT,"
	"  answered_at BIGINT, answered_by BIGINT REFERENCES users(id),"
	"  finder_contact BIGINT NOT NULL DEFAULT 0,"
	"  statement_ja TEXT, statement_en TEXT, statement_at BIGINT,"
	"  UNIQUE (case_id, vendor_id));"
	"CREATE INDEX case_vendors_vendor ON case_vendors(vendor_id);"

	"CREATE TABLE vendor_statuses ("
	"  id {id}, case_vendor_id BIGINT NOT NULL REFERENCES case_vendors(id) ON DELETE CASCADE,"
	"  vulnerability_id BIGINT NOT NULL REFERENCES vulnerabilities(id) ON DELETE CASCADE,"
	"  status TEXT NOT NULL, note TEXT, updated_at BIGINT NOT NULL, updated_by BIGINT REFERENCES users(id),"
	"  UNIQUE (case_vendor_id, vulnerability_id));"

	"CREATE TABLE countermeasures ("
	"  id {id}, case_vendor_id BIGINT NOT NULL REFERENCES case_vendors(id) ON DELETE CASCADE,"
	"  vulnerability_id BIGINT NOT NULL REFERENCES vulnerabilities(id) ON DELETE CASCADE,"
	"  product_id BIGINT REFERENCES products(id) ON DELETE SET NULL, product_name TEXT,"
	"  fixed_versions TEXT, urls TEXT, workaround_ja TEXT, workaround_en TEXT,"
	"  updated_at BIGINT NOT NULL, updated_by BIGINT REFERENCES users(id));"
	"CREATE INDEX countermeasures_vendor ON countermeasures(case_vendor_id);"

	"CREATE TABLE vendor_suggestions ("
	"  id {id}, case_id BIGINT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,"
	"  by_vendor_id BIGINT NOT NULL REFERENCES vendors(id), vendor_id BIGINT REFERENCES vendors(id),"
	"  name TEXT, note TEXT, created_by BIGINT REFERENCES users(id), created_at BIGINT NOT NULL,"
	"  CHECK (vendor_id IS NOT NULL OR name IS NOT NULL));"
	"CREATE INDEX vendor_suggestions_case ON vendor_suggestions(case_id);"

	"CREATE TABLE contact_attempts ("
	"  id {id}, case_id BIGINT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,"
	"  vendor_id BIGINT NOT NULL REFERENCES vendors(id),"
	"  channel TEXT NOT NULL, address TEXT NOT NULL, stage TEXT NOT NULL,"
	"  at BIGINT NOT NULL, by_user BIGINT REFERENCES users(id), outbox_id BIGINT);"
	"CREATE INDEX contact_attempts_case ON contact_attempts(case_id, vendor_id);"

	"CREATE TABLE case_attachments ("
	"  id {id}, case_id BIGINT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,"
	"  attachment_id BIGINT NOT NULL REFERENCES attachments(id), added_at BIGINT NOT NULL,"
	"  UNIQUE (case_id, attachment_id));"

	"CREATE TABLE case_threads ("
	"  id {id}, case_id BIGINT REFERENCES cases(id) ON DELETE CASCADE,"
	"  kind TEXT NOT NULL CHECK (kind IN ('vendor','finder','finder_vendor')),"
	"  vendor_id BIGINT REFERENCES vendors(id), report_id BIGINT REFERENCES reports(id),"
	"  created_at BIGINT NOT NULL,"
	"  CHECK ((kind = 'vendor' AND case_id IS NOT NULL AND vendor_id IS NOT NULL AND report_id IS NULL)"
	"    OR (kind = 'finder' AND vendor_id IS NULL AND report_id IS NOT NULL)"
	"    OR (kind = 'finder_vendor' AND case_id IS NOT NULL AND vendor_id IS NOT NULL AND report_id IS NOT NULL)));"
	"CREATE INDEX case_threads_case ON case_threads(case_id);"
	"CREATE UNIQUE INDEX case_threads_vendor ON case_threads(case_id, vendor_id) WHERE kind = 'vendor';"
	"CREATE UNIQUE INDEX case_threads_finder ON case_threads(report_id) WHERE kind = 'finder';"
	"CREATE UNIQUE INDEX case_threads_direct ON case_threads(case_id, vendor_id, report_id)"
	"  WHERE kind = 'finder_vendor';"

	"CREATE TABLE case_messages ("
	"  id {id}, thread_id BIGINT NOT NULL REFERENCES case_threads(id) ON DELETE CASCADE,"
	"  author_kind TEXT NOT NULL CHECK (author_kind IN ('staff','vendor','finder')),"
	"  author_id BIGINT REFERENCES users(id), kind TEXT NOT NULL DEFAULT 'message',"
	"  body TEXT NOT NULL, created_at BIGINT NOT NULL, answered_at BIGINT);"
	"CREATE INDEX case_messages_thread ON case_messages(thread_id, id);"

	"CREATE TABLE message_attachments ("
	"  id {id}, message_id BIGINT NOT NULL REFERENCES case_messages(id) ON DELETE CASCADE,"
	"  idx BIGINT NOT NULL, filename TEXT NOT NULL, content_type TEXT NOT NULL,"
	"  size BIGINT NOT NULL, sha256 TEXT NOT NULL, data {blob} NOT NULL, UNIQUE (message_id, idx));"

	"ALTER TABLE outbox ADD COLUMN case_id BIGINT REFERENCES cases(id);",

	/* 11: the publication date, every clock and the guideline's exceptions
	 * (issue 10; SPEC 2.8-2.12, 2.14, 8). A case's date has its own flow
	 * (cases.date_state: undated -> proposed -> set -> ready, or called_off;
	 * lib/case/date_flow.c): proposed_at is day 0 + 45 days on a business
	 * day, publication_at the one date the coordinator set; every change is
	 * a row of date_changes. Each vendor answers the date shown to it
	 * (date_answers.for_at): agree, or another date with a reason. holidays
	 * is the administrator's list (the Cabinet Office's CSV), which wins over
	 * the rules for the years it covers. Priority provision (G IV.4.8) goes
	 * to recipients (organisations of a new kind, orgs.recipient_id, role
	 * recipient) that accepted the three conditions; a vendor's
	 * pre-notification of its customers under NDA (G IV.4.9) is asked and
	 * decided; the finder asks to lift non-disclosure (G IV.2.4) and staff
	 * answer. reminders are the scheduler's: one row per clock, object and
	 * occasion, so a tick run twice fires each once. The role 'recipient'
	 * joins users.role's check ({allow_role_recipient}, driver.h). */
	"{allow_role_recipient}"
	"CREATE TABLE holidays (day TEXT PRIMARY KEY, name TEXT NOT NULL, imported_at BIGINT NOT NULL);"

	"ALTER TABLE cases ADD COLUMN date_state TEXT NOT NULL DEFAULT 'undated';"
	"ALTER TABLE cases ADD COLUMN proposed_at BIGINT;"
	"ALTER TABLE cases ADD COLUMN publication_at BIGINT;"
	"ALTER TABLE cases ADD COLUMN date_factors TEXT;"
	"ALTER TABLE cases ADD COLUMN called_off_reason TEXT;"
	"ALTER TABLE cases ADD COLUMN called_off_note TEXT;"
	"ALTER TABLE cases ADD COLUMN ready_at BIGINT;"
	"ALTER TABLE cases ADD COLUMN vendor_found BIGINT NOT NULL DEFAULT 0;"
	"CREATE INDEX cases_date ON cases(date_state, publication_at);"

	"CREATE TABLE date_changes ("
	"  id {id}, case_id BIGINT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,"
	"  old_at BIGINT, new_at BIGINT NOT NULL, reason TEXT NOT NULL, factors TEXT,"
	"  by_user BIGINT REFERENCES users(id), at BIGINT NOT NULL);"
	"CREATE INDEX date_changes_case ON date_changes(case_id, id);"

	"CREATE TABLE date_answers ("
	"  id {id}, case_id BIGINT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,"
	"  vendor_id BIGINT NOT NULL REFERENCES vendors(id), for_at BIGINT NOT NULL,"
	"  answer TEXT NOT NULL CHECK (answer IN ('agree','other')), wanted_at BIGINT, reason TEXT,"
	"  by_user BIGINT REFERENCES users(id), at BIGINT NOT NULL,"
	"  CHECK (answer = 'agree' OR (wanted_at IS NOT NULL AND reason IS NOT NULL)));"
	"CREATE INDEX date_answers_case ON date_answers(case_id, vendor_id, id);"

	"CREATE TABLE recipients ("
	"  id {id}, name_ja TEXT, name_en TEXT,"
	"  kind TEXT NOT NULL CHECK (kind IN ('government','critical_infrastructure')),"
	"  conditions_accepted_at BIGINT NOT NULL, conditions_accepted_by TEXT NOT NULL,"
	"  note TEXT, created_by BIGINT REFERENCES users(id), created_at BIGINT NOT NULL,"
	"  CHECK (name_ja IS NOT NULL OR name_en IS NOT NULL));"
	"ALTER TABLE orgs ADD COLUMN recipient_id BIGINT REFERENCES recipients(id);"

	"CREATE TABLE provisions ("
	"  id {id}, case_id BIGINT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,"
	"  recipient_id BIGINT NOT NULL REFERENCES recipients(id),"
	"  title TEXT NOT NULL, body TEXT NOT NULL,"
	"  consulted_intake BIGINT NOT NULL, consulted_vendor BIGINT NOT NULL, note TEXT,"
	"  by_user BIGINT REFERENCES users(id), at BIGINT NOT NULL);"
	"CREATE INDEX provisions_recipient ON provisions(recipient_id, id);"
	"CREATE INDEX provisions_case ON provisions(case_id);"

	"CREATE TABLE prenotify_requests ("
	"  id {id}, case_id BIGINT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,"
	"  vendor_id BIGINT NOT NULL REFERENCES vendors(id),"
	"  state TEXT NOT NULL, customers TEXT NOT NULL, nda BIGINT NOT NULL, reason TEXT,"
	"  requested_by BIGINT REFERENCES users(id), requested_at BIGINT NOT NULL,"
	"  decided_by BIGINT REFERENCES users(id), decided_at BIGINT, decision_note TEXT);"
	"CREATE INDEX prenotify_requests_case ON prenotify_requests(case_id, vendor_id);"

	"CREATE TABLE lift_requests ("
	"  id {id}, case_id BIGINT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,"
	"  report_id BIGINT NOT NULL REFERENCES reports(id),"
	"  state TEXT NOT NULL, reason TEXT, requested_at BIGINT NOT NULL,"
	"  decision TEXT, explanation TEXT, answered_by BIGINT REFERENCES users(id), answered_at BIGINT);"
	"CREATE INDEX lift_requests_case ON lift_requests(case_id, report_id);"

	"CREATE TABLE reminders ("
	"  id {id}, clock TEXT NOT NULL, object_type TEXT NOT NULL, object_id BIGINT NOT NULL,"
	"  occasion TEXT NOT NULL, due_at BIGINT NOT NULL, fired_at BIGINT NOT NULL,"
	"  case_id BIGINT REFERENCES cases(id) ON DELETE CASCADE, report_id BIGINT REFERENCES reports(id),"
	"  summary TEXT NOT NULL, done_at BIGINT,"
	"  UNIQUE (clock, object_type, object_id, occasion));"
	"CREATE INDEX reminders_open ON reminders(done_at, fired_at);",

	/* 12: mail that goes out and comes in, OpenPGP, evidence at rest (issue
	 * 11; SPEC 2.1, 2.6, [P]). The outbox's delivery: tries, the time of the
	 * next try, the claim a sender holds while it talks to the relay (a
	 * sender that died leaves it to expire), when it went, the last error,
	 * the Message-ID it went with, reply_token (the per-message token in the
	 * reply address that routes an answer back to its thread) and whether it
	 * went encrypted, and safe_body: what goes instead of the body to a
	 * recipient without a usable key (NULL: the notice keikai writes for
	 * the kind, with no content; SPEC 1). A bounce marks the contact attempt and the vendor's
	 * contact failed. A report that came by mail is in the report state
	 * 'mail' ({allow_report_mail}, driver.h) until staff complete it;
	 * reports.encrypted_fields names the fields that came encrypted (a JSON
	 * array). evidence holds what came in as it came (a message, a
	 * ciphertext), sealed like every attachment (vault.h). inbound_mail is
	 * every message keikai mail-in took: what it became, or the staff review
	 * queue. A case message that came by mail names its sender's address and
	 * the inbound message. */
	"{allow_report_mail}"
	"ALTER TABLE reports ADD COLUMN encrypted_fields TEXT;"

	"ALTER TABLE outbox ADD COLUMN tries BIGINT NOT NULL DEFAULT 0;"
	"ALTER TABLE outbox ADD COLUMN next_at BIGINT;"
	"ALTER TABLE outbox ADD COLUMN claimed_at BIGINT;"
	"ALTER TABLE outbox ADD COLUMN sent_at BIGINT;"
	"ALTER TABLE outbox ADD COLUMN last_error TEXT;"
	"ALTER TABLE outbox ADD COLUMN message_id TEXT;"
	"ALTER TABLE outbox ADD COLUMN reply_token TEXT;"
	"ALTER TABLE outbox ADD COLUMN encrypted BIGINT;"
	"ALTER TABLE outbox ADD COLUMN safe_body TEXT;"
	"CREATE INDEX outbox_due ON outbox(status, next_at);"
	"CREATE UNIQUE INDEX outbox_reply_token ON outbox(reply_token);"
	"CREATE INDEX outbox_message_id ON outbox(message_id);"

	"ALTER TABLE contact_attempts ADD COLUMN failed_at BIGINT;"
	"ALTER TABLE contact_attempts ADD COLUMN failure TEXT;"
	"ALTER TABLE vendor_contacts ADD COLUMN failed_at BIGINT;"
	"ALTER TABLE vendor_contacts ADD COLUMN failure TEXT;"

	"CREATE TABLE evidence ("
	"  id {id}, kind TEXT NOT NULL CHECK (kind IN ('mail','ciphertext')),"
	"  report_id BIGINT REFERENCES reports(id) ON DELETE CASCADE,"
	"  size BIGINT NOT NULL, sha256 TEXT NOT NULL, data {blob} NOT NULL, created_at BIGINT NOT NULL);"
	"CREATE INDEX evidence_report ON evidence(report_id);"

	"CREATE TABLE inbound_mail ("
	"  id {id}, received_at BIGINT NOT NULL,"
	"  kind TEXT NOT NULL CHECK (kind IN ('reply','bounce','report','review')),"
	"  state TEXT NOT NULL CHECK (state IN ('open','done','dismissed')),"
	"  sender TEXT, subject TEXT, message_id TEXT, reason TEXT, encrypted BIGINT NOT NULL DEFAULT 0,"
	"  outbox_id BIGINT REFERENCES outbox(id), thread_id BIGINT REFERENCES case_threads(id),"
	"  report_id BIGINT REFERENCES reports(id), evidence_id BIGINT REFERENCES evidence(id),"
	"  decided_by BIGINT REFERENCES users(id), decided_at BIGINT);"
	"CREATE INDEX inbound_mail_state ON inbound_mail(state, received_at);"

	"ALTER TABLE case_messages ADD COLUMN via TEXT NOT NULL DEFAULT 'web';"
	"ALTER TABLE case_messages ADD COLUMN author_address TEXT;"
	"ALTER TABLE case_messages ADD COLUMN inbound_id BIGINT REFERENCES inbound_mail(id);",

	/* 13: advisories (issue 12; SPEC 6, 2.11, G IV.4.9). One per case, in a
	 * state of its flow (lib/advisory/flow.c: draft -> approved ->
	 * published), its content the canonical JSON of the 11 items in both
	 * languages (advisory.h kk_advisory_check) with the CVSS scores kept for
	 * filtering. Every save is a row of advisory_revisions (the content as
	 * saved, who, when, the note); advisory_history is what the public page
	 * lists (published, revised, a vendor's new status, countermeasure or
	 * statement), once per vendor, kind and second; advisory_comments are the
	 * vendors' comments on the draft. advisory_ids holds every public ID ever
	 * given, with no reference to anything, so an ID outlives its advisory
	 * and is never drawn again. */
	"CREATE TABLE advisories ("
	"  id {id}, case_id BIGINT NOT NULL UNIQUE REFERENCES cases(id) ON DELETE CASCADE,"
	"  state TEXT NOT NULL CHECK (state IN ('draft','approved','published')),"
	"  content TEXT NOT NULL, revision BIGINT NOT NULL, public_revision BIGINT NOT NULL DEFAULT 0,"
	"  public_id TEXT UNIQUE, kind TEXT CHECK (kind IN ('jvn','vu','ta')),"
	"  cvss3_tenths BIGINT, cvss4_tenths BIGINT,"
	"  created_at BIGINT NOT NULL, saved_at BIGINT NOT NULL, saved_by BIGINT REFERENCES users(id),"
	"  approved_at BIGINT, approved_by BIGINT REFERENCES users(id),"
	"  published_at BIGINT, updated_at BIGINT);"
	"CREATE INDEX advisories_published ON advisories(state, published_at);"

	"CREATE TABLE advisory_revisions ("
	"  id {id}, advisory_id BIGINT NOT NULL REFERENCES advisories(id) ON DELETE CASCADE,"
	"  number BIGINT NOT NULL, content TEXT NOT NULL, note TEXT, public_revision BIGINT,"
	"  by_user BIGINT REFERENCES users(id), at BIGINT NOT NULL, UNIQUE (advisory_id, number));"

	"CREATE TABLE advisory_history ("
	"  id {id}, advisory_id BIGINT NOT NULL REFERENCES advisories(id) ON DELETE CASCADE,"
	"  kind TEXT NOT NULL CHECK (kind IN"
	"    ('published','revised','vendor_status','vendor_countermeasure','vendor_statement')),"
	"  vendor_id BIGINT REFERENCES vendors(id), revision BIGINT, note_ja TEXT, note_en TEXT, at BIGINT NOT NULL);"
	"CREATE UNIQUE INDEX advisory_history_once ON advisory_history(advisory_id, kind, vendor_id, at);"

	"CREATE TABLE advisory_comments ("
	"  id {id}, advisory_id BIGINT NOT NULL REFERENCES advisories(id) ON DELETE CASCADE,"
	"  vendor_id BIGINT NOT NULL REFERENCES vendors(id), by_user BIGINT REFERENCES users(id),"
	"  revision BIGINT NOT NULL, body TEXT NOT NULL, at BIGINT NOT NULL);"
	"CREATE INDEX advisory_comments_advisory ON advisory_comments(advisory_id, id);"

	"CREATE TABLE advisory_ids ("
	"  public_id TEXT PRIMARY KEY, case_id BIGINT NOT NULL, assigned_at BIGINT NOT NULL);",

	/* 14: the search of published advisories (issue 12 item 6; SPEC 6;
	 * docs/internals/search.md). One row of advisory_search per published
	 * advisory, keyed by k = published_at * 2^24 + (id mod 2^24), so the
	 * order of k is "newest first" and a date range is a range of k; its
	 * folded titles rank by relevance. advisory_search_facets holds the
	 * values the filters and exact words match (vendor, product, CPE, CWE,
	 * CVE, severity). advisory_text ({advisory_text}, driver.h) holds the
	 * folded text and short words, under the engine's trigram index (SQLite:
	 * the FTS5 table advisory_fts over it; PostgreSQL: pg_trgm). All of it
	 * is derived: kk_advisory_search_index keeps it, keikai db copy leaves it
	 * out and the schema's fill rebuilds it. */
	"CREATE TABLE advisory_search ("
	"  k {id}, advisory_id BIGINT NOT NULL UNIQUE REFERENCES advisories(id) ON DELETE CASCADE,"
	"  title TEXT NOT NULL);"
	"CREATE TABLE advisory_search_facets ("
	"  kind TEXT NOT NULL, value TEXT NOT NULL,"
	"  k BIGINT NOT NULL REFERENCES advisory_search(k) ON DELETE CASCADE, PRIMARY KEY (kind, value, k));"
	"CREATE INDEX advisory_search_facets_k ON advisory_search_facets(k);"
	"{advisory_text}",

	/* 15: the version of the public portal (issue 12 item 6;
	 * docs/internals/portal-cache.md): one row (id 1, written by the first
	 * change, as registry_version) counting the changes of what the public
	 * pages show, so a server's kept pages go stale in the transaction that
	 * changes them (keikai/portal.h). And on PostgreSQL, how many search
	 * entries hold each trigram (docs/internals/search.md "Running a
	 * search"), derived like the rest of the index. */
	"CREATE TABLE portal_version (id BIGINT PRIMARY KEY CHECK (id = 1), version BIGINT NOT NULL);"
	"{advisory_search_grams}",

	/* 16: the search's Latin words (docs/internals/search.md): a column of
	 * advisory_text with each entry's words, under an index of words on
	 * SQLite ({advisory_words}). The entries are dropped, so that the
	 * schema's fill makes them again, words and all, when the store opens. */
	"{advisory_words}"
	"DELETE FROM advisory_text; DELETE FROM advisory_search_facets; DELETE FROM advisory_search;",

	/* 17: SQLite's trigram index gets the facets of few values as codes
	 * (docs/internals/search.md "Filters in the trigram index"); its entries
	 * are made again by the fill ({advisory_codes}). Nothing on PostgreSQL. */
	"{advisory_codes}",
};

const int kk_schema_latest = (int)(sizeof(kk_schema_migrations) / sizeof(kk_schema_migrations[0]));

/* What SQL cannot compute, done in C each time a store opens, after the
 * migrations and in the same lock (store.c). Each finds nothing to do, at the
 * cost of one indexed query, once it has done its work. */
kk_tx_fn *const kk_schema_fills[] = {
	kk_reports_rank_missing, /* the queue's ranks (SPEC 2.3), for reports stored before migration 6 */
	kk_vault_seal_missing, /* issue 11: files stored before sealing, sealed once the evidence key is there */
	kk_advisory_search_fill, /* issue 12: the search index of advisories published before it or copied */
	NULL,
};

/* Every table, parents before children, with the columns that order its rows
 * completely (a unique key where the table has one), for keikai db copy. */
const struct kk_schema_table kk_schema_tables[] = {
	{ "settings", "key" },
	{ "vendors", "id" }, /* before orgs: orgs.vendor_id */
	{ "recipients", "id" }, /* before orgs: orgs.recipient_id */
	{ "orgs", "id" },
	{ "users", "id" },
	{ "login_throttle", "scope, subject" },
	{ "report_sources", "source" },
	{ "sessions", "id_hash" },
	{ "api_tokens", "id" },
	{ "reports", "id" },
	{ "idempotency_keys", "key_hash" },
	{ "attachments", "id" },
	{ "audit", "id" },
	{ "cwe", "id" },
	{ "cwe_catalog", "source" },
	{ "vendor_aliases", "id" },
	{ "vendor_contacts", "id" },
	{ "products", "id" },
	{ "registry_version", "id" },
	{ "vendor_sboms", "id" },
	{ "product_components", "id" },
	{ "product_distributors", "id" },
	{ "vendor_requests", "id" },
	{ "report_vendors", "id" },
	{ "cases", "id" },
	{ "outbox", "id" }, /* after cases: outbox.case_id */
	{ "case_reports", "id" },
	{ "vulnerabilities", "id" },
	{ "vulnerability_products", "id" },
	{ "case_vendors", "id" },
	{ "vendor_statuses", "id" },
	{ "countermeasures", "id" },
	{ "vendor_suggestions", "id" },
	{ "contact_attempts", "id" },
	{ "case_attachments", "id" },
	{ "case_threads", "id" },
	{ "evidence", "id" },
	{ "inbound_mail", "id" }, /* before case_messages: case_messages.inbound_id */
	{ "case_messages", "id" },
	{ "message_attachments", "id" },
	{ "holidays", "day" },
	{ "date_changes", "id" },
	{ "date_answers", "id" },
	{ "provisions", "id" },
	{ "prenotify_requests", "id" },
	{ "lift_requests", "id" },
	{ "reminders", "id" },
	/* issue 12: advisories, after cases, users and vendors */
	{ "advisories", "id" },
	{ "advisory_revisions", "id" },
	{ "advisory_history", "id" },
	{ "advisory_comments", "id" },
	{ "advisory_ids", "public_id" },
	{ "portal_version", "id" },
	{ NULL, NULL },
};

/*
 * store_schema.c: keikai's database schema as numbered migrations. Append a new
 * entry for every change; never edit one that has been released.
 *
 * Timestamps are Unix seconds (UTC) from the core clock.
 */
#include "store_schema.h"

const char *const kk_schema_migrations[] = {
	/* 1: settings, accounts, reports, attachments, outbox, audit (issue 2) */
	"CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);"

	"CREATE TABLE orgs ("
	"  id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, created_at INTEGER NOT NULL);"

	"CREATE TABLE users ("
	"  id INTEGER PRIMARY KEY, org_id INTEGER NOT NULL REFERENCES orgs(id),"
	"  email TEXT NOT NULL UNIQUE COLLATE NOCASE, name TEXT NOT NULL,"
	"  role TEXT NOT NULL CHECK (role IN ('intake','coordinator','vendor','operator','committee','admin')),"
	"  password_hash TEXT NOT NULL, created_at INTEGER NOT NULL);"

	"CREATE TABLE login_failures ("
	"  email TEXT NOT NULL COLLATE NOCASE, at INTEGER NOT NULL);"
	"CREATE INDEX login_failures_email ON login_failures(email, at);"

	"CREATE TABLE sessions ("
	"  id_hash TEXT PRIMARY KEY, user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
	"  csrf TEXT NOT NULL, created_at INTEGER NOT NULL, expires_at INTEGER NOT NULL);"

	"CREATE TABLE api_tokens ("
	"  id INTEGER PRIMARY KEY, token_hash TEXT NOT NULL UNIQUE,"
	"  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
	"  created_at INTEGER NOT NULL, last_used_at INTEGER);"

	"CREATE TABLE reports ("
	"  id INTEGER PRIMARY KEY, tracking_id TEXT NOT NULL UNIQUE,"
	"  secret_hash TEXT NOT NULL UNIQUE,"
	"  kind TEXT NOT NULL CHECK (kind IN ('product','website')),"
	"  status TEXT NOT NULL CHECK (status IN ('received','accepted','rejected')),"
	"  lang TEXT NOT NULL,"
	"  received_at INTEGER NOT NULL, accepted_at INTEGER, decided_at INTEGER,"
	"  reject_reason TEXT, decision_note TEXT,"
	"  finder_name TEXT, finder_email TEXT, finder_organization TEXT, finder_phone TEXT,"
	"  finder_pgp_key TEXT,"
	"  share_identity INTEGER NOT NULL, direct_contact INTEGER NOT NULL, credit INTEGER NOT NULL,"
	"  credit_name TEXT,"
	"  product_vendor TEXT, product_name TEXT, product_version TEXT, website_url TEXT,"
	"  summary TEXT NOT NULL, environment TEXT NOT NULL, steps TEXT NOT NULL, result TEXT NOT NULL,"
	"  impact TEXT, workaround TEXT, cvss_vector TEXT,"
	"  reported_elsewhere INTEGER NOT NULL, reported_to TEXT,"
	"  vendor_told_directly INTEGER NOT NULL, coordinated_by TEXT,"
	"  wants_final_result INTEGER NOT NULL, encrypted_contact INTEGER NOT NULL);"
	"CREATE INDEX reports_status ON reports(status, received_at);"

	"CREATE TABLE attachments ("
	"  id INTEGER PRIMARY KEY, report_id INTEGER NOT NULL REFERENCES reports(id) ON DELETE CASCADE,"
	"  idx INTEGER NOT NULL, filename TEXT NOT NULL, content_type TEXT NOT NULL,"
	"  size INTEGER NOT NULL, sha256 TEXT NOT NULL, data BLOB NOT NULL, UNIQUE (report_id, idx));"

	"CREATE TABLE outbox ("
	"  id INTEGER PRIMARY KEY, created_at INTEGER NOT NULL, kind TEXT NOT NULL,"
	"  recipient TEXT NOT NULL, subject TEXT NOT NULL, body TEXT NOT NULL, lang TEXT NOT NULL,"
	"  report_id INTEGER REFERENCES reports(id), status TEXT NOT NULL DEFAULT 'queued');"

	"CREATE TABLE audit ("
	"  id INTEGER PRIMARY KEY, at INTEGER NOT NULL, actor_id INTEGER, actor TEXT NOT NULL,"
	"  role TEXT NOT NULL, object_type TEXT NOT NULL, object_id INTEGER NOT NULL,"
	"  action TEXT NOT NULL, from_state TEXT, to_state TEXT, detail TEXT);"
	"CREATE INDEX audit_object ON audit(object_type, object_id, id);",

	/* 2: the CWE catalogue: MITRE's entries with Japanese names, and which
	 * release of each source was imported (issue 3) */
	"CREATE TABLE cwe ("
	"  id INTEGER PRIMARY KEY CHECK (id > 0),"
	"  kind TEXT NOT NULL CHECK (kind IN ('weakness','category','view')),"
	"  name_en TEXT NOT NULL, name_ja TEXT, abstraction TEXT, status TEXT, description TEXT);"

	"CREATE TABLE cwe_catalog ("
	"  source TEXT PRIMARY KEY CHECK (source IN ('mitre','ja')),"
	"  version TEXT, released TEXT, imported_at INTEGER NOT NULL);",

	/* 3: impact assessment by staff (issue 3; SPEC 2.3, 7) */
	"ALTER TABLE reports ADD COLUMN assessed_vector TEXT;"
	"ALTER TABLE reports ADD COLUMN scope_users TEXT NOT NULL DEFAULT 'unknown'"
	"  CHECK (scope_users IN ('unknown','many','few'));"
	"ALTER TABLE reports ADD COLUMN scope_critical TEXT NOT NULL DEFAULT 'unknown'"
	"  CHECK (scope_critical IN ('unknown','yes','no'));"
	"ALTER TABLE reports ADD COLUMN scope_attack TEXT NOT NULL DEFAULT 'unknown'"
	"  CHECK (scope_attack IN ('unknown','yes','no'));"
	"ALTER TABLE reports ADD COLUMN assessed_at INTEGER;",
};

const int kk_schema_latest = (int)(sizeof(kk_schema_migrations) / sizeof(kk_schema_migrations[0]));

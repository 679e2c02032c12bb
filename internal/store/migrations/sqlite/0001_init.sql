-- ogicheck store, version 1 (SQLite). Times are UTC text in the fixed
-- layout 2006-01-02T15:04:05.000000Z, so that they sort as text; JSON is
-- text; booleans are 0/1. postgres/0001_init.sql is the same schema.

-- The supervised agencies' sites, from the sites files given to scan.
CREATE TABLE sites (
	id      INTEGER PRIMARY KEY,
	url     TEXT NOT NULL UNIQUE,
	name    TEXT NOT NULL,
	level   TEXT NOT NULL DEFAULT '', -- department, government, township or ''
	tier    TEXT NOT NULL DEFAULT '', -- county, prefecture, province or ''
	region  TEXT NOT NULL DEFAULT '',
	parent  TEXT NOT NULL DEFAULT '',
	added   TEXT NOT NULL,
	updated TEXT NOT NULL
);
CREATE INDEX sites_region ON sites (region, level);
CREATE INDEX sites_name ON sites (name);

-- A sites file as loaded: the set of sites a scan covers.
CREATE TABLE lists (
	id      INTEGER PRIMARY KEY,
	source  TEXT NOT NULL,        -- the file name as given
	digest  TEXT NOT NULL UNIQUE, -- SHA-256 of the sites in order
	created TEXT NOT NULL
);
CREATE TABLE list_sites (
	list_id  INTEGER NOT NULL REFERENCES lists (id),
	site_id  INTEGER NOT NULL REFERENCES sites (id),
	position INTEGER NOT NULL,
	PRIMARY KEY (list_id, site_id)
);

CREATE TABLE scans (
	id       INTEGER PRIMARY KEY,
	list_id  INTEGER NOT NULL REFERENCES lists (id),
	started  TEXT NOT NULL,
	finished TEXT,                      -- NULL while sites remain
	complete INTEGER NOT NULL DEFAULT 0, -- every site checked and stored
	round    INTEGER NOT NULL DEFAULT 1, -- 1 + times the scan was resumed
	trigger  TEXT NOT NULL,             -- command or schedule
	tool     TEXT NOT NULL,
	options  TEXT NOT NULL              -- JSON: the settings every worker uses
);
CREATE INDEX scans_started ON scans (started);
CREATE INDEX scans_list ON scans (list_id, id);

-- One site of one scan: its work state, then what was found, summed for
-- scorecards, and the site's result (result.Site) as JSON.
CREATE TABLE scan_sites (
	scan_id      INTEGER NOT NULL REFERENCES scans (id),
	site_id      INTEGER NOT NULL REFERENCES sites (id),
	position     INTEGER NOT NULL,
	state        TEXT NOT NULL DEFAULT 'pending', -- pending, running, done, failed
	worker       TEXT,
	lease_until  TEXT,
	claims       INTEGER NOT NULL DEFAULT 0,
	started      TEXT,
	finished     TEXT,
	error        TEXT,
	checked      INTEGER, -- the start page was reached and the crawl was not cut short
	unchecked_zh TEXT,
	unchecked_en TEXT,
	incomplete   TEXT,
	agency       TEXT,
	column_url   TEXT,
	pages        INTEGER NOT NULL DEFAULT 0,
	requests     INTEGER NOT NULL DEFAULT 0,
	bytes        INTEGER NOT NULL DEFAULT 0,
	not_modified INTEGER NOT NULL DEFAULT 0,
	fetch_errors INTEGER NOT NULL DEFAULT 0,
	documents    INTEGER NOT NULL DEFAULT 0,
	reports      INTEGER NOT NULL DEFAULT 0,
	years        TEXT,   -- JSON: report years found
	missing      TEXT,   -- JSON: years reported missing (SITE-MISSING-REPORT)
	on_time      INTEGER NOT NULL DEFAULT 0,
	late         INTEGER NOT NULL DEFAULT 0,
	errors       INTEGER NOT NULL DEFAULT 0,
	warnings     INTEGER NOT NULL DEFAULT 0,
	infos        INTEGER NOT NULL DEFAULT 0,
	new_findings INTEGER NOT NULL DEFAULT 0,
	resolved     INTEGER NOT NULL DEFAULT 0,
	duration_ms  INTEGER NOT NULL DEFAULT 0,
	result       TEXT,   -- JSON: result.Site
	PRIMARY KEY (scan_id, site_id)
);
CREATE INDEX scan_sites_site ON scan_sites (site_id, scan_id);
CREATE INDEX scan_sites_state ON scan_sites (scan_id, state);

-- Every document checked, with the facts scorecards need as columns and
-- the whole result.Document as JSON.
CREATE TABLE documents (
	id           INTEGER PRIMARY KEY,
	scan_id      INTEGER NOT NULL REFERENCES scans (id),
	site_id      INTEGER NOT NULL REFERENCES sites (id),
	position     INTEGER NOT NULL,
	source       TEXT NOT NULL,
	kind         TEXT NOT NULL,
	title        TEXT NOT NULL,
	agency       TEXT NOT NULL,
	level        TEXT,
	year         INTEGER,
	template     TEXT,
	published    TEXT, -- YYYY-MM-DD
	deadline     TEXT, -- YYYY-MM-DD
	on_time      INTEGER, -- 1 on time, 0 late, NULL unknown
	format       TEXT NOT NULL,
	error        TEXT,
	blob         TEXT,  -- the bytes it was read from (blobs.sha256)
	content_hash TEXT,  -- what HIST-CHANGED compares
	hash_kind    TEXT,  -- bytes (files) or text (HTML pages: the text read)
	result       TEXT NOT NULL -- JSON: result.Document
);
CREATE INDEX documents_scan_site ON documents (scan_id, site_id, position);
CREATE INDEX documents_site_year ON documents (site_id, year);

-- Every finding of every scan. fingerprint is rule + site + report year +
-- location, independent of the message's wording; state is new or
-- persisting relative to the site's previous checked scan.
CREATE TABLE findings (
	id          INTEGER PRIMARY KEY,
	scan_id     INTEGER NOT NULL REFERENCES scans (id),
	site_id     INTEGER NOT NULL REFERENCES sites (id),
	document_id INTEGER REFERENCES documents (id),
	fingerprint TEXT NOT NULL,
	rule        TEXT NOT NULL,
	category    TEXT NOT NULL,
	severity    TEXT NOT NULL,
	year        INTEGER,
	location    TEXT NOT NULL,
	state       TEXT NOT NULL,    -- new or persisting
	first_scan  INTEGER NOT NULL, -- first scan of its current run
	message_zh  TEXT NOT NULL,
	message_en  TEXT NOT NULL,
	evidence    TEXT NOT NULL     -- JSON: result.Evidence
);
CREATE UNIQUE INDEX findings_scan_fingerprint ON findings (scan_id, fingerprint);
CREATE INDEX findings_scan_site ON findings (scan_id, site_id);
CREATE INDEX findings_scan_rule ON findings (scan_id, rule, severity);
CREATE INDEX findings_fingerprint ON findings (fingerprint, scan_id);
CREATE INDEX findings_document ON findings (document_id);

-- One row per fingerprint ever found: its life across scans and the
-- review decision in force.
CREATE TABLE tracked (
	fingerprint    TEXT PRIMARY KEY,
	site_id        INTEGER NOT NULL REFERENCES sites (id),
	rule           TEXT NOT NULL,
	year           INTEGER,
	location       TEXT NOT NULL,
	first_scan     INTEGER NOT NULL, -- first scan of the current run
	last_scan      INTEGER NOT NULL, -- last scan that found it
	resolved_scan  INTEGER,          -- the scan that found it gone; NULL while open
	review         TEXT,             -- confirmed or dismissed: the decision in force
	review_id      INTEGER,
	review_expires TEXT
);
CREATE INDEX tracked_site ON tracked (site_id, resolved_scan);
CREATE INDEX tracked_review ON tracked (review, review_expires);

-- Findings a scan found gone: they were open, the site or report was
-- checked again, and they were not found.
CREATE TABLE resolutions (
	scan_id     INTEGER NOT NULL REFERENCES scans (id),
	site_id     INTEGER NOT NULL REFERENCES sites (id),
	fingerprint TEXT NOT NULL,
	last_scan   INTEGER NOT NULL, -- the last scan that found it
	PRIMARY KEY (scan_id, fingerprint)
);
CREATE INDEX resolutions_site ON resolutions (site_id, scan_id);

-- The reports a site has listed, by URL: when each was first seen and with
-- what content (HIST-CHANGED), and when last listed (HIST-GONE).
CREATE TABLE report_versions (
	site_id          INTEGER NOT NULL REFERENCES sites (id),
	url              TEXT NOT NULL,
	year             INTEGER,
	title            TEXT NOT NULL DEFAULT '',
	hash_kind        TEXT,
	first_hash       TEXT,
	first_seen       TEXT,
	first_scan       INTEGER,
	hash             TEXT,    -- the content as last seen
	hash_seen        TEXT,    -- when that content was first seen
	hash_scan        INTEGER,
	tool             TEXT,    -- the version that read it (text hashes compare within one)
	listed_first     INTEGER NOT NULL DEFAULT 0, -- 0: never listed (an attachment)
	listed_last      INTEGER NOT NULL DEFAULT 0, -- the last scan that found it in the list
	PRIMARY KEY (site_id, url)
);

-- The archive: every body fetched, once per content, with the text read
-- from it. HTML pages are kept as decoded to UTF-8 (charset says from what).
CREATE TABLE blobs (
	sha256       TEXT PRIMARY KEY,
	size         INTEGER NOT NULL,
	content_type TEXT NOT NULL,
	charset      TEXT NOT NULL DEFAULT '',
	data         BLOB NOT NULL,
	text         TEXT,
	stored       TEXT NOT NULL
);

-- What each scan fetched for the column's entries, and every failure.
CREATE TABLE pages (
	scan_id       INTEGER NOT NULL REFERENCES scans (id),
	site_id       INTEGER NOT NULL REFERENCES sites (id),
	url           TEXT NOT NULL,
	final_url     TEXT,
	role          TEXT NOT NULL, -- entry, attachment or other (list pages and failures elsewhere)
	status        INTEGER NOT NULL DEFAULT 0,
	content_type  TEXT,
	etag          TEXT,
	last_modified TEXT,
	blob          TEXT, -- blobs.sha256
	not_modified  INTEGER NOT NULL DEFAULT 0,
	failure       TEXT, -- result.FetchClass
	error         TEXT,
	PRIMARY KEY (scan_id, site_id, url)
);

-- The HTTP cache for conditional requests; bodies are blobs.
CREATE TABLE http_cache (
	key           TEXT PRIMARY KEY,
	final_url     TEXT,
	etag          TEXT,
	last_modified TEXT,
	content_type  TEXT,
	blob          TEXT NOT NULL,
	size          INTEGER NOT NULL,
	stored        TEXT NOT NULL
);

-- When the last request to a host ended, for the delay across workers.
CREATE TABLE host_gate (
	host     TEXT PRIMARY KEY,
	last_end TEXT NOT NULL
);

-- Named leases: one coordinator per SQLite file.
CREATE TABLE locks (
	name   TEXT PRIMARY KEY,
	holder TEXT NOT NULL,
	until  TEXT NOT NULL
);

-- Reviewers and their decisions. Every decision is kept; tracked.review
-- holds the one in force. An expired dismissal no longer hides a finding.
CREATE TABLE users (
	id            INTEGER PRIMARY KEY,
	name          TEXT NOT NULL UNIQUE,
	role          TEXT NOT NULL, -- viewer, reviewer or admin
	password_hash TEXT NOT NULL DEFAULT '',
	created       TEXT NOT NULL,
	disabled      INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE reviews (
	id          INTEGER PRIMARY KEY,
	fingerprint TEXT NOT NULL,
	site_id     INTEGER NOT NULL REFERENCES sites (id),
	scan_id     INTEGER REFERENCES scans (id), -- the scan the reviewer was looking at
	decision    TEXT NOT NULL,                 -- confirmed or dismissed
	reason      TEXT NOT NULL DEFAULT '',
	user_id     INTEGER REFERENCES users (id),
	reviewer    TEXT NOT NULL,                 -- the name, kept if the account goes
	decided     TEXT NOT NULL,
	expires     TEXT                           -- a dismissal's end; NULL for none
);
CREATE INDEX reviews_fingerprint ON reviews (fingerprint, decided);
CREATE INDEX reviews_site ON reviews (site_id, decided);

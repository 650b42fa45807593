-- rapport sqlitestore schema, version 3: decisions about household
-- suggestions (storage.SuggestionReader and storage.SuggestionWriter).
-- A decision is written once, keyed by the suggestion key, and never
-- changed: a rejected suggestion of the same members is not made again.

CREATE TABLE suggestion_decisions (
	tenant_id TEXT NOT NULL,
	key       TEXT NOT NULL,
	doc       BLOB NOT NULL,
	PRIMARY KEY (tenant_id, key)
) STRICT;

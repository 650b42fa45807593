-- rapport pgstore schema, version 2: decisions about household suggestions
-- (storage.SuggestionReader and storage.SuggestionWriter). A decision is
-- written once, keyed by the suggestion key, and never changed: a rejected
-- suggestion of the same members is not made again.

CREATE TABLE suggestion_decisions (
	tenant_id text COLLATE "C" NOT NULL,
	key       text COLLATE "C" NOT NULL,
	doc       jsonb NOT NULL,
	PRIMARY KEY (tenant_id, key)
);

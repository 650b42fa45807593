-- rapport sqlitestore schema, version 4: merge records of customers
-- (storage.MergeReader and storage.MergeWriter). A record is written once,
-- with the merge, and never changed: it is what an unmerge reads.

CREATE TABLE merges (
	tenant_id TEXT NOT NULL,
	id        BLOB NOT NULL,
	doc       BLOB NOT NULL,
	PRIMARY KEY (tenant_id, id)
) STRICT;

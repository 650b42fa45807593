-- rapport sqlitestore schema, version 4: merge records of customers
-- (storage.MergeReader and storage.MergeWriter). A record is written once,
-- with the merge, and never changed: it is what an unmerge reads.

CREATE TABLE merges (
	tenant_id TEXT NOT NULL,
	id        BLOB NOT NULL,
	doc       BLOB NOT NULL,
	PRIMARY KEY (tenant_id, id)
) STRICT;

-- The customers each merge record names (survivor and merged), so that an
-- erasure finds the records holding a person's data.
CREATE TABLE merge_customers (
	tenant_id   TEXT NOT NULL,
	customer_id BLOB NOT NULL,
	merge_id    BLOB NOT NULL,
	PRIMARY KEY (tenant_id, customer_id, merge_id)
) STRICT, WITHOUT ROWID;

-- rapport pgstore schema, version 3: merge records of customers
-- (storage.MergeReader and storage.MergeWriter). A record is written once,
-- with the merge, and never changed: it is what an unmerge reads.

CREATE TABLE merges (
	tenant_id text COLLATE "C" NOT NULL,
	id        uuid NOT NULL,
	doc       jsonb NOT NULL,
	PRIMARY KEY (tenant_id, id)
);

-- The customers each merge record names (survivor and merged), so that an
-- erasure finds the records holding a person's data.
CREATE TABLE merge_customers (
	tenant_id   text COLLATE "C" NOT NULL,
	customer_id uuid NOT NULL,
	merge_id    uuid NOT NULL,
	PRIMARY KEY (tenant_id, customer_id, merge_id)
);

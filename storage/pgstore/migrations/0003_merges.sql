-- rapport pgstore schema, version 3: merge records of customers
-- (storage.MergeReader and storage.MergeWriter). A record is written once,
-- with the merge, and never changed: it is what an unmerge reads.

CREATE TABLE merges (
	tenant_id text COLLATE "C" NOT NULL,
	id        uuid NOT NULL,
	doc       jsonb NOT NULL,
	PRIMARY KEY (tenant_id, id)
);

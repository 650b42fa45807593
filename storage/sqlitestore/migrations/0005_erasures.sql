-- rapport sqlitestore schema, version 5: erasures (storage.ErasureReader
-- and storage.ErasureWriter).
--
-- The consent ledger stays append-only with one narrow exception: a row
-- may be rewritten once, to erase it, when an erasure record names the
-- event. erasures and erased_events are themselves append-only, so every
-- rewrite of history leaves a permanent record of which erasure did it.

CREATE TABLE erasures (
	tenant_id TEXT NOT NULL,
	id        BLOB NOT NULL,
	doc       BLOB NOT NULL,
	PRIMARY KEY (tenant_id, id)
) STRICT;

CREATE TABLE erased_events (
	tenant_id  TEXT NOT NULL,
	event_id   BLOB NOT NULL,
	erasure_id BLOB NOT NULL,
	PRIMARY KEY (tenant_id, event_id)
) STRICT, WITHOUT ROWID;

CREATE TRIGGER erasures_no_update BEFORE UPDATE ON erasures
BEGIN
	SELECT RAISE(ABORT, 'erasures is append-only');
END;
CREATE TRIGGER erasures_no_delete BEFORE DELETE ON erasures
BEGIN
	SELECT RAISE(ABORT, 'erasures is append-only');
END;
CREATE TRIGGER erased_events_no_update BEFORE UPDATE ON erased_events
BEGIN
	SELECT RAISE(ABORT, 'erased_events is append-only');
END;
CREATE TRIGGER erased_events_no_delete BEFORE DELETE ON erased_events
BEGIN
	SELECT RAISE(ABORT, 'erased_events is append-only');
END;

-- An UPDATE of a ledger row passes only when it keeps the row's key and
-- place (tenant, id, seq), moves it from an address to an erased key
-- ('erased:…') for the first time, and an erasure record names the event.
DROP TRIGGER consent_events_no_update;
CREATE TRIGGER consent_events_no_update BEFORE UPDATE ON consent_events
WHEN NEW.tenant_id IS NOT OLD.tenant_id OR NEW.id IS NOT OLD.id OR NEW.seq IS NOT OLD.seq
	OR substr(OLD.address_line, 1, 7) = 'erased:' OR substr(NEW.address_line, 1, 7) <> 'erased:'
	OR NOT EXISTS (SELECT 1 FROM erased_events x JOIN erasures e ON e.tenant_id = x.tenant_id AND e.id = x.erasure_id
		WHERE x.tenant_id = OLD.tenant_id AND x.event_id = OLD.id)
BEGIN
	SELECT RAISE(ABORT, 'consent_events is append-only');
END;

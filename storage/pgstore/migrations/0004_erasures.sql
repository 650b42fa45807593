-- rapport pgstore schema, version 4: erasures (storage.ErasureReader and
-- storage.ErasureWriter).
--
-- The consent ledger stays append-only with one narrow exception: a row
-- may be rewritten once, to erase it, when an erasure record names the
-- event. erasures and erased_events are themselves append-only, so every
-- rewrite of history leaves a permanent record of which erasure did it.

CREATE TABLE erasures (
	tenant_id text COLLATE "C" NOT NULL,
	id        uuid NOT NULL,
	doc       jsonb NOT NULL,
	PRIMARY KEY (tenant_id, id)
);

CREATE TABLE erased_events (
	tenant_id  text COLLATE "C" NOT NULL,
	event_id   uuid NOT NULL,
	erasure_id uuid NOT NULL,
	PRIMARY KEY (tenant_id, event_id)
);

CREATE TRIGGER erasures_append_only BEFORE UPDATE OR DELETE ON erasures
	FOR EACH ROW EXECUTE FUNCTION rapport_append_only();
CREATE TRIGGER erasures_no_truncate BEFORE TRUNCATE ON erasures
	FOR EACH STATEMENT EXECUTE FUNCTION rapport_append_only();
CREATE TRIGGER erased_events_append_only BEFORE UPDATE OR DELETE ON erased_events
	FOR EACH ROW EXECUTE FUNCTION rapport_append_only();
CREATE TRIGGER erased_events_no_truncate BEFORE TRUNCATE ON erased_events
	FOR EACH STATEMENT EXECUTE FUNCTION rapport_append_only();

-- An UPDATE of a ledger row passes only when it keeps the row's key and
-- place (tenant, id, seq), moves it from an address to an erased key
-- ('erased:…') for the first time, and an erasure record names the event.
-- A DELETE never passes.
CREATE FUNCTION rapport_consent_erase_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF NEW.tenant_id IS DISTINCT FROM OLD.tenant_id OR NEW.id IS DISTINCT FROM OLD.id OR NEW.seq IS DISTINCT FROM OLD.seq
		OR left(OLD.address_line, 7) = 'erased:' OR left(NEW.address_line, 7) <> 'erased:'
		OR NOT EXISTS (SELECT 1 FROM erased_events x JOIN erasures e ON e.tenant_id = x.tenant_id AND e.id = x.erasure_id
			WHERE x.tenant_id = OLD.tenant_id AND x.event_id = OLD.id) THEN
		RAISE EXCEPTION '% is append-only', TG_TABLE_NAME USING ERRCODE = 'restrict_violation';
	END IF;
	RETURN NEW;
END;
$$;

DROP TRIGGER consent_events_append_only ON consent_events;
CREATE TRIGGER consent_events_no_delete BEFORE DELETE ON consent_events
	FOR EACH ROW EXECUTE FUNCTION rapport_append_only();
CREATE TRIGGER consent_events_erase_only BEFORE UPDATE ON consent_events
	FOR EACH ROW EXECUTE FUNCTION rapport_consent_erase_only();

-- rapport sqlitestore schema, version 1.
--
-- Every table's primary key and every index lead with tenant_id, so that a
-- tenant's rows sit together and the same layout distributes by tenant on a
-- PostgreSQL-compatible engine (DESIGN §6). Records are stored whole as JSON
-- documents (doc) next to the columns that are indexed or filtered on.
-- IDs are 16-byte BLOBs (UUID byte order, which is ID order); a zero ID is
-- stored as NULL. Times are INTEGER unix microseconds, UTC.

CREATE TABLE customers (
	tenant_id TEXT    NOT NULL,
	id        BLOB    NOT NULL,
	revision  INTEGER NOT NULL,
	doc       BLOB    NOT NULL,
	PRIMARY KEY (tenant_id, id)
) STRICT;

-- One row per distinct address line (channel.Address.Line) of a customer.
CREATE TABLE customer_addresses (
	tenant_id    TEXT NOT NULL,
	address_line TEXT NOT NULL,
	customer_id  BLOB NOT NULL,
	PRIMARY KEY (tenant_id, address_line, customer_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX customer_addresses_by_customer ON customer_addresses (tenant_id, customer_id);

-- system is stored lower-cased.
CREATE TABLE customer_external_ids (
	tenant_id   TEXT NOT NULL,
	system      TEXT NOT NULL,
	value       TEXT NOT NULL,
	customer_id BLOB NOT NULL,
	PRIMARY KEY (tenant_id, system, value, customer_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX customer_external_ids_by_customer ON customer_external_ids (tenant_id, customer_id);

-- The consent ledger. seq is the seq of the event's change record, so the
-- ledger's append order is the commit order.
CREATE TABLE consent_events (
	tenant_id    TEXT    NOT NULL,
	id           BLOB    NOT NULL,
	seq          INTEGER NOT NULL,
	address_line TEXT    NOT NULL,
	customer_id  BLOB,
	doc          BLOB    NOT NULL,
	PRIMARY KEY (tenant_id, id)
) STRICT;
CREATE INDEX consent_events_by_address ON consent_events (tenant_id, address_line, seq);
CREATE INDEX consent_events_by_customer ON consent_events (tenant_id, customer_id, seq)
	WHERE customer_id IS NOT NULL;

-- The ledger is append-only: the engine itself refuses to change history.
CREATE TRIGGER consent_events_no_update BEFORE UPDATE ON consent_events
BEGIN
	SELECT RAISE(ABORT, 'consent_events is append-only');
END;
CREATE TRIGGER consent_events_no_delete BEFORE DELETE ON consent_events
BEGIN
	SELECT RAISE(ABORT, 'consent_events is append-only');
END;

CREATE TABLE interactions (
	tenant_id       TEXT    NOT NULL,
	id              BLOB    NOT NULL,
	customer_id     BLOB,
	household_id    BLOB,
	conversation_id BLOB,
	occurred_at     INTEGER NOT NULL,
	channel         TEXT    NOT NULL,
	kind            TEXT    NOT NULL,
	rooftop         TEXT    NOT NULL,
	revision        INTEGER NOT NULL,
	doc             BLOB    NOT NULL,
	PRIMARY KEY (tenant_id, id)
) STRICT;
-- Timelines: newest first, ties broken by ID, one index per scope.
CREATE INDEX interactions_by_customer ON interactions (tenant_id, customer_id, occurred_at DESC, id DESC)
	WHERE customer_id IS NOT NULL;
CREATE INDEX interactions_by_household ON interactions (tenant_id, household_id, occurred_at DESC, id DESC)
	WHERE household_id IS NOT NULL;
CREATE INDEX interactions_by_conversation ON interactions (tenant_id, conversation_id, occurred_at DESC, id DESC)
	WHERE conversation_id IS NOT NULL;
CREATE INDEX interactions_by_time ON interactions (tenant_id, occurred_at DESC, id DESC);

CREATE TABLE conversations (
	tenant_id   TEXT    NOT NULL,
	id          BLOB    NOT NULL,
	customer_id BLOB,
	status      TEXT    NOT NULL,
	opened_at   INTEGER NOT NULL,
	revision    INTEGER NOT NULL,
	doc         BLOB    NOT NULL,
	PRIMARY KEY (tenant_id, id)
) STRICT;
CREATE INDEX conversations_by_customer ON conversations (tenant_id, customer_id, opened_at, id)
	WHERE customer_id IS NOT NULL;

CREATE TABLE commitments (
	tenant_id   TEXT    NOT NULL,
	id          BLOB    NOT NULL,
	customer_id BLOB,
	owner       TEXT    NOT NULL,
	team        TEXT    NOT NULL,
	rooftop     TEXT    NOT NULL,
	status      TEXT    NOT NULL,
	due         INTEGER NOT NULL,
	revision    INTEGER NOT NULL,
	doc         BLOB    NOT NULL,
	PRIMARY KEY (tenant_id, id)
) STRICT;
CREATE INDEX commitments_by_due ON commitments (tenant_id, due, id);
CREATE INDEX commitments_by_owner ON commitments (tenant_id, owner, due, id);
CREATE INDEX commitments_by_team ON commitments (tenant_id, team, due, id);
CREATE INDEX commitments_by_customer ON commitments (tenant_id, customer_id, due, id)
	WHERE customer_id IS NOT NULL;

CREATE TABLE households (
	tenant_id TEXT    NOT NULL,
	id        BLOB    NOT NULL,
	revision  INTEGER NOT NULL,
	doc       BLOB    NOT NULL,
	PRIMARY KEY (tenant_id, id)
) STRICT;

-- One row per customer listed as a member (at any time) of a household.
CREATE TABLE household_members (
	tenant_id    TEXT NOT NULL,
	customer_id  BLOB NOT NULL,
	household_id BLOB NOT NULL,
	PRIMARY KEY (tenant_id, customer_id, household_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX household_members_by_household ON household_members (tenant_id, household_id);

CREATE TABLE vehicles (
	tenant_id TEXT    NOT NULL,
	id        BLOB    NOT NULL,
	vin       TEXT,
	revision  INTEGER NOT NULL,
	doc       BLOB    NOT NULL,
	PRIMARY KEY (tenant_id, id)
) STRICT;
CREATE INDEX vehicles_by_vin ON vehicles (tenant_id, vin, id) WHERE vin IS NOT NULL;

-- The change feed, clustered by tenant. seq counts each tenant's changes:
-- it is assigned inside the writer's transactions as the tenant's largest
-- seq plus one, and there is one writer connection, so seq order is commit
-- order. Changes are never removed (the triggers refuse it), so no seq is
-- handed out twice. One B-tree (no rowid table plus index) keeps the
-- change record to one page write per commit.
CREATE TABLE changes (
	tenant_id TEXT    NOT NULL,
	seq       INTEGER NOT NULL,
	entity    TEXT    NOT NULL,
	id        TEXT    NOT NULL,
	op        TEXT    NOT NULL,
	revision  INTEGER NOT NULL,
	PRIMARY KEY (tenant_id, seq)
) STRICT, WITHOUT ROWID;
CREATE TRIGGER changes_no_update BEFORE UPDATE ON changes
BEGIN
	SELECT RAISE(ABORT, 'changes is append-only');
END;
CREATE TRIGGER changes_no_delete BEFORE DELETE ON changes
BEGIN
	SELECT RAISE(ABORT, 'changes is append-only');
END;

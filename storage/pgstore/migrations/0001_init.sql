-- rapport pgstore schema, version 1.
--
-- Every primary key, unique constraint, index and foreign key leads with
-- tenant_id (TestCatalogLeadsWithTenant reads the catalog to prove it), so a
-- tenant's rows sit together and every table distributes by tenant_id on
-- Citus without a redesign. There is no sequence: IDs are UUIDv7 made by the
-- application, and change numbers come from a per-tenant counter row.
-- Records are stored whole as JSONB documents (doc) next to the columns that
-- are indexed or filtered on, which the writes keep in step with the doc.
-- Text key columns use the "C" collation: comparisons are bytewise, the same
-- on every server whatever its locale.

CREATE TABLE customers (
	tenant_id text COLLATE "C" NOT NULL,
	id        uuid   NOT NULL,
	revision  bigint NOT NULL,
	doc       jsonb  NOT NULL,
	PRIMARY KEY (tenant_id, id)
);

-- One row per distinct address line (channel.Address.Line) of a customer.
CREATE TABLE customer_addresses (
	tenant_id    text COLLATE "C" NOT NULL,
	address_line text COLLATE "C" NOT NULL,
	customer_id  uuid NOT NULL,
	PRIMARY KEY (tenant_id, address_line, customer_id),
	FOREIGN KEY (tenant_id, customer_id) REFERENCES customers (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX customer_addresses_by_customer ON customer_addresses (tenant_id, customer_id);

-- system is stored lower-cased.
CREATE TABLE customer_external_ids (
	tenant_id   text COLLATE "C" NOT NULL,
	system      text COLLATE "C" NOT NULL,
	value       text COLLATE "C" NOT NULL,
	customer_id uuid NOT NULL,
	PRIMARY KEY (tenant_id, system, value, customer_id),
	FOREIGN KEY (tenant_id, customer_id) REFERENCES customers (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX customer_external_ids_by_customer ON customer_external_ids (tenant_id, customer_id);

-- The consent ledger. seq is the seq of the event's change record, so the
-- ledger's append order is the tenant's commit order.
CREATE TABLE consent_events (
	tenant_id    text COLLATE "C" NOT NULL,
	id           uuid   NOT NULL,
	seq          bigint NOT NULL,
	address_line text COLLATE "C" NOT NULL,
	customer_id  uuid,
	doc          jsonb  NOT NULL,
	PRIMARY KEY (tenant_id, id)
);
CREATE INDEX consent_events_by_address ON consent_events (tenant_id, address_line, seq);
CREATE INDEX consent_events_by_customer ON consent_events (tenant_id, customer_id, seq)
	WHERE customer_id IS NOT NULL;

CREATE TABLE interactions (
	tenant_id       text COLLATE "C" NOT NULL,
	id              uuid        NOT NULL,
	customer_id     uuid,
	household_id    uuid,
	conversation_id uuid,
	occurred_at     timestamptz NOT NULL,
	channel         text COLLATE "C" NOT NULL,
	kind            text COLLATE "C" NOT NULL,
	rooftop         text COLLATE "C" NOT NULL,
	-- true when the interaction has a flag not yet reviewed
	-- (interaction.Interaction.AwaitingReview).
	awaiting_review boolean     NOT NULL,
	revision        bigint      NOT NULL,
	doc             jsonb       NOT NULL,
	PRIMARY KEY (tenant_id, id)
);
-- Timelines are newest first, (occurred_at, id) descending: a backward scan
-- of one of these, already in order, one index per scope.
CREATE INDEX interactions_by_customer ON interactions (tenant_id, customer_id, occurred_at, id)
	WHERE customer_id IS NOT NULL;
CREATE INDEX interactions_by_household ON interactions (tenant_id, household_id, occurred_at, id)
	WHERE household_id IS NOT NULL;
CREATE INDEX interactions_by_conversation ON interactions (tenant_id, conversation_id, occurred_at, id)
	WHERE conversation_id IS NOT NULL;
CREATE INDEX interactions_by_time ON interactions (tenant_id, occurred_at, id);
-- The review queue: partial indexes hold only the interactions awaiting
-- review, a small share.
CREATE INDEX interactions_awaiting_review ON interactions (tenant_id, occurred_at, id)
	WHERE awaiting_review;
CREATE INDEX interactions_awaiting_review_by_rooftop ON interactions (tenant_id, rooftop, occurred_at, id)
	WHERE awaiting_review;

CREATE TABLE conversations (
	tenant_id       text COLLATE "C" NOT NULL,
	id              uuid        NOT NULL,
	customer_id     uuid,
	rooftop         text COLLATE "C" NOT NULL,
	owner           text COLLATE "C" NOT NULL,
	team            text COLLATE "C" NOT NULL,
	status          text COLLATE "C" NOT NULL,
	-- true when a handoff is offered and not yet accepted.
	pending_handoff boolean     NOT NULL,
	opened_at       timestamptz NOT NULL,
	revision        bigint      NOT NULL,
	doc             jsonb       NOT NULL,
	PRIMARY KEY (tenant_id, id)
);
-- Conversation lists, oldest first: every list is a range of one of these,
-- already in (opened_at, id) order.
CREATE INDEX conversations_by_customer ON conversations (tenant_id, customer_id, opened_at, id)
	WHERE customer_id IS NOT NULL;
CREATE INDEX conversations_by_opened ON conversations (tenant_id, opened_at, id);
CREATE INDEX conversations_by_status ON conversations (tenant_id, status, opened_at, id);
CREATE INDEX conversations_by_owner ON conversations (tenant_id, owner, opened_at, id);
CREATE INDEX conversations_by_team ON conversations (tenant_id, team, opened_at, id);
CREATE INDEX conversations_pending_handoff ON conversations (tenant_id, opened_at, id)
	WHERE pending_handoff;

CREATE TABLE commitments (
	tenant_id   text COLLATE "C" NOT NULL,
	id          uuid        NOT NULL,
	customer_id uuid,
	owner       text COLLATE "C" NOT NULL,
	team        text COLLATE "C" NOT NULL,
	rooftop     text COLLATE "C" NOT NULL,
	status      text COLLATE "C" NOT NULL,
	due         timestamptz NOT NULL,
	revision    bigint      NOT NULL,
	doc         jsonb       NOT NULL,
	PRIMARY KEY (tenant_id, id)
);
CREATE INDEX commitments_by_due ON commitments (tenant_id, due, id);
CREATE INDEX commitments_by_owner ON commitments (tenant_id, owner, due, id);
CREATE INDEX commitments_by_team ON commitments (tenant_id, team, due, id);
CREATE INDEX commitments_by_rooftop ON commitments (tenant_id, rooftop, due, id);
CREATE INDEX commitments_by_customer ON commitments (tenant_id, customer_id, due, id)
	WHERE customer_id IS NOT NULL;

CREATE TABLE households (
	tenant_id text COLLATE "C" NOT NULL,
	id        uuid   NOT NULL,
	revision  bigint NOT NULL,
	doc       jsonb  NOT NULL,
	PRIMARY KEY (tenant_id, id)
);

-- One row per customer listed as a member (at any time) of a household.
CREATE TABLE household_members (
	tenant_id    text COLLATE "C" NOT NULL,
	customer_id  uuid NOT NULL,
	household_id uuid NOT NULL,
	PRIMARY KEY (tenant_id, customer_id, household_id),
	FOREIGN KEY (tenant_id, household_id) REFERENCES households (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX household_members_by_household ON household_members (tenant_id, household_id);

CREATE TABLE vehicles (
	tenant_id text COLLATE "C" NOT NULL,
	id        uuid   NOT NULL,
	vin       text COLLATE "C",
	revision  bigint NOT NULL,
	doc       jsonb  NOT NULL,
	PRIMARY KEY (tenant_id, id)
);
CREATE INDEX vehicles_by_vin ON vehicles (tenant_id, vin, id) WHERE vin IS NOT NULL;

-- The change feed. seq numbers each tenant's changes 1, 2, 3, … in commit
-- order: a writing transaction locks its tenant's change_counters row
-- before its first statement about the tenant and holds it to commit, so a
-- tenant's transactions commit one after another, in the order they number
-- their changes (see the package documentation, "The change feed").
CREATE TABLE changes (
	tenant_id text COLLATE "C" NOT NULL,
	seq       bigint NOT NULL,
	entity    text COLLATE "C" NOT NULL,
	id        text COLLATE "C" NOT NULL,
	op        text COLLATE "C" NOT NULL,
	revision  bigint NOT NULL,
	PRIMARY KEY (tenant_id, seq)
);

-- The last seq handed out per tenant; its row is the tenant's write lock.
CREATE TABLE change_counters (
	tenant_id text COLLATE "C" NOT NULL,
	last_seq  bigint NOT NULL,
	PRIMARY KEY (tenant_id)
);

-- The ledger and the feed are append-only, enforced by the server for every
-- client, not only by this package: UPDATE, DELETE and TRUNCATE fail.
CREATE FUNCTION rapport_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	RAISE EXCEPTION '% is append-only', TG_TABLE_NAME USING ERRCODE = 'restrict_violation';
END;
$$;
CREATE TRIGGER consent_events_append_only BEFORE UPDATE OR DELETE ON consent_events
	FOR EACH ROW EXECUTE FUNCTION rapport_append_only();
CREATE TRIGGER consent_events_no_truncate BEFORE TRUNCATE ON consent_events
	FOR EACH STATEMENT EXECUTE FUNCTION rapport_append_only();
CREATE TRIGGER changes_append_only BEFORE UPDATE OR DELETE ON changes
	FOR EACH ROW EXECUTE FUNCTION rapport_append_only();
CREATE TRIGGER changes_no_truncate BEFORE TRUNCATE ON changes
	FOR EACH STATEMENT EXECUTE FUNCTION rapport_append_only();

-- Book.Check's line state (storage.LineStateReader): what each interaction
-- of a customer contributes to a consent check, kept by every interaction
-- write in its own transaction. A row exists for an interaction with a
-- customer that is an outbound send to an address line (line, and the send's
-- channel, rooftop, counted purpose and confirmation flag; storage.SendOf)
-- or a staff contact (staff; interaction.Interaction.StaffContact), or both.
-- The rows of the interactions stored before this version are written by
-- Migrate in the same transaction (Go code: the rules are the Go types').
CREATE TABLE line_touches (
	tenant_id       text COLLATE "C" NOT NULL,
	interaction_id  uuid        NOT NULL,
	customer_id     uuid        NOT NULL,
	occurred_at     timestamptz NOT NULL,
	line            text COLLATE "C" NOT NULL, -- '' when not a send
	channel         text COLLATE "C" NOT NULL,
	rooftop         text COLLATE "C" NOT NULL,
	purpose         text COLLATE "C" NOT NULL,
	confirmation    boolean     NOT NULL,
	staff           text COLLATE "C" NOT NULL, -- '' when not a staff contact
	conversation_id uuid,
	PRIMARY KEY (tenant_id, interaction_id)
);
CREATE INDEX line_touches_sends ON line_touches (tenant_id, line, occurred_at DESC, interaction_id DESC)
	WHERE line <> '';
CREATE INDEX line_touches_contacts ON line_touches (tenant_id, customer_id, occurred_at DESC, interaction_id DESC)
	WHERE staff <> '';

-- Book.Check's line state (storage.LineStateReader): what each interaction
-- of a customer contributes to a consent check, kept by every interaction
-- write in its own transaction. A row exists for an interaction with a
-- customer that is an outbound send to an address line (line, and the send's
-- channel, rooftop, counted purpose and confirmation flag; storage.SendOf)
-- or a staff contact (staff; interaction.Interaction.StaffContact), or both.
-- The rows of the interactions stored before this version are written by
-- Migrate in the same transaction (Go code: the rules are the Go types').
CREATE TABLE line_touches (
	tenant_id       TEXT    NOT NULL,
	interaction_id  BLOB    NOT NULL,
	customer_id     BLOB    NOT NULL,
	occurred_at     INTEGER NOT NULL,
	line            TEXT    NOT NULL, -- '' when not a send
	channel         TEXT    NOT NULL,
	rooftop         TEXT    NOT NULL,
	purpose         TEXT    NOT NULL,
	confirmation    INTEGER NOT NULL,
	staff           TEXT    NOT NULL, -- '' when not a staff contact
	conversation_id BLOB,
	PRIMARY KEY (tenant_id, interaction_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX line_touches_sends ON line_touches (tenant_id, line, occurred_at DESC, interaction_id DESC)
	WHERE line <> '';
CREATE INDEX line_touches_contacts ON line_touches (tenant_id, customer_id, occurred_at DESC, interaction_id DESC)
	WHERE staff <> '';

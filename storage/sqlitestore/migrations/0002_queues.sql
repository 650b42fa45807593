-- rapport sqlitestore schema, version 2: the conversation list
-- (storage.ConversationReader.Conversations) and the review queue
-- (storage.InteractionQuery.AwaitingReview).
--
-- The new columns copy fields of the doc column so that they can be
-- indexed; the writes keep them in step. Existing rows are backfilled from
-- their documents with SQLite's JSON functions (built into the engine). The
-- doc column holds JSON text in a BLOB, which the JSON functions would read
-- as JSONB, so it is CAST to TEXT first.

ALTER TABLE conversations ADD COLUMN rooftop TEXT NOT NULL DEFAULT '';
ALTER TABLE conversations ADD COLUMN owner TEXT NOT NULL DEFAULT '';
ALTER TABLE conversations ADD COLUMN team TEXT NOT NULL DEFAULT '';
-- 1 when the conversation has a handoff offered and not yet accepted.
ALTER TABLE conversations ADD COLUMN pending_handoff INTEGER NOT NULL DEFAULT 0;

UPDATE conversations SET
	rooftop = COALESCE(json_extract(CAST(doc AS TEXT), '$.rooftop'), ''),
	owner = COALESCE(json_extract(CAST(doc AS TEXT), '$.owner'), ''),
	team = COALESCE(json_extract(CAST(doc AS TEXT), '$.team'), ''),
	pending_handoff = json_type(CAST(doc AS TEXT), '$.pending_handoff') IS 'object';

-- Conversation lists, oldest first: every list is a range of one of these,
-- already in (opened_at, id) order.
CREATE INDEX conversations_by_opened ON conversations (tenant_id, opened_at, id);
CREATE INDEX conversations_by_status ON conversations (tenant_id, status, opened_at, id);
CREATE INDEX conversations_by_owner ON conversations (tenant_id, owner, opened_at, id);
CREATE INDEX conversations_by_team ON conversations (tenant_id, team, opened_at, id);
CREATE INDEX conversations_pending_handoff ON conversations (tenant_id, opened_at, id)
	WHERE pending_handoff = 1;

-- 1 when the interaction has a flag not yet reviewed
-- (interaction.Interaction.AwaitingReview): a flag is reviewed when it has
-- a reviewed_by or a (non-zero) reviewed_at.
ALTER TABLE interactions ADD COLUMN awaiting_review INTEGER NOT NULL DEFAULT 0;

UPDATE interactions SET awaiting_review = 1
WHERE json_type(CAST(doc AS TEXT), '$.flags') = 'array'
	AND EXISTS (
		SELECT 1 FROM json_each(CAST(interactions.doc AS TEXT), '$.flags') AS flag
		WHERE COALESCE(json_extract(flag.value, '$.reviewed_by'), '') = ''
			AND COALESCE(json_extract(flag.value, '$.reviewed_at'), '0001-01-01T00:00:00Z') = '0001-01-01T00:00:00Z'
	);

-- The review queue, newest first: the tenant's, and one rooftop's. Partial
-- indexes hold only the interactions awaiting review, a small share.
CREATE INDEX interactions_awaiting_review ON interactions (tenant_id, occurred_at DESC, id DESC)
	WHERE awaiting_review = 1;
CREATE INDEX interactions_awaiting_review_by_rooftop ON interactions (tenant_id, rooftop, occurred_at DESC, id DESC)
	WHERE awaiting_review = 1;

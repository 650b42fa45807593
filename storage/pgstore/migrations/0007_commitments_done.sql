-- When each kept commitment was kept (interaction.Commitment.DoneAt; NULL
-- until done), so that a query for the commitments kept since a moment
-- (storage.CommitmentQuery.DoneSince: the callback queue's recent pace) reads
-- those, not every commitment ever kept. The values of the commitments stored
-- before this version are written by Migrate in the same transaction (Go
-- code, which stores the time as every later write does).
ALTER TABLE commitments ADD COLUMN done_at timestamptz;
CREATE INDEX commitments_done ON commitments (tenant_id, rooftop, done_at) WHERE done_at IS NOT NULL;

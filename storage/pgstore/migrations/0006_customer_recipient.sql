-- What a consent check reads of a customer (storage.DecodeRecipientCustomer):
-- the document's id, preference, contact_points and postal_addresses members
-- as one JSON text, computed by the server from the document on every write
-- of it. A campaign's check (Book.CheckAll) reads this short text for each
-- recipient instead of having the server convert the whole jsonb document to
-- text. The members are taken by their exact names, as the encoder writes
-- them. Adding the column rewrites the table: on a large book, run this
-- migration outside peak hours.
ALTER TABLE customers ADD COLUMN recipient text GENERATED ALWAYS AS (
	'{"id":' || coalesce((doc->'id')::text, 'null') ||
	',"preference":' || coalesce((doc->'preference')::text, 'null') ||
	',"contact_points":' || coalesce((doc->'contact_points')::text, 'null') ||
	',"postal_addresses":' || coalesce((doc->'postal_addresses')::text, 'null') || '}'
) STORED;

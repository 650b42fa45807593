// Package smshook serves the webhooks of SMS providers that post in
// Twilio's form encoding (Twilio and the providers compatible with it), as
// net/http handlers a vendor mounts on its own server:
//
//   - [Handler.Inbound] takes an inbound message (From, To, Body,
//     MessageSid, OptOutType, NumMedia) and records it with
//     rapport.Book.Receive: STOP, START and HELP act on consent as the
//     Book documents. It answers in the provider's XML reply format
//     (TwiML, <Response><Message>…</Message></Response>) with the HELP
//     text, or with the one confirmation an opt-out may get, recorded with
//     rapport.Book.Send so that it is sent once.
//   - [Handler.Status] takes a delivery status callback (MessageSid,
//     MessageStatus, ErrorCode) and applies it with
//     rapport.Book.UpdateDelivery.
//
// Every request must carry a valid X-Twilio-Signature: the base64 HMAC-SHA1,
// keyed with the account's auth token, of the URL the provider posted to
// followed by every form parameter's name and value, sorted by name
// ([Sign]). A missing or wrong signature gets 403 Forbidden and writes
// nothing. A malformed request gets 400 Bad Request with the reason (the
// field at fault, never its value); request bodies are bounded
// (Options.MaxBody).
//
// Providers retry a webhook that timed out or failed. An inbound message is
// recorded once per MessageSid: a retry finds the interaction the first
// delivery stored (Interaction.ExternalRefs["provider"], among the sender's
// messages of the last Options.Window) and is answered with an empty
// reply, so a HELP or confirmation text is never sent twice. Deliveries of
// one message are serialized within a Handler; two servers behind a load
// balancer receiving the same message in the same instant could still
// both record it, as the Book has no unique index on provider message IDs.
//
// The package depends on the standard library and rapport only.
package smshook

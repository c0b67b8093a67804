-- 0006: find an `epcis.captured` record by its EPCIS eventID without scanning the site's history. The
-- sequencer keeps recent eventIDs in memory and asks the database for older ones (docs/epcis.md,
-- "Idempotency"), so a retry is answered with its first answer however late it comes.
-- The payload is the server's canonical JSON with sorted keys: {"canonical_sha256":"<hex>","event_id":"...",
-- ...}. The expression takes the event_id member as its JSON string literal, quotes included; a regular
-- expression rather than a jsonb cast, so no payload can make an insert fail.
CREATE INDEX events_epcis_event_id ON events
  (site_id, (substring(payload from '^\{"canonical_sha256":"[^"]*","event_id":("(?:[^"\\]|\\.)*")')))
  WHERE type = 'epcis.captured';

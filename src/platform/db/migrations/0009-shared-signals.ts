// Shared Signals (issue 14). The revocation log gains the revocations that cut off by
// issue time (every token of a user, an org or a client issued before a moment), and the
// streams other services receive it on: one per receiving OAuth client.
export default /* sql */ `
ALTER TABLE revocations DROP CONSTRAINT revocations_kind_check;
ALTER TABLE revocations ADD CONSTRAINT revocations_kind_check
  CHECK (kind IN ('session', 'access_token', 'refresh_family', 'user', 'org', 'client'));

CREATE TABLE ssf_streams (
  stream_id            text PRIMARY KEY,
  client_id            text NOT NULL UNIQUE,
  delivery_method      text NOT NULL,
  -- The receiver's push endpoint; Latchkey's own for poll and SSE.
  endpoint_url         text NOT NULL,
  -- Push only: what the receiver asked to be sent as Authorization, sealed.
  authorization_sealed text,
  events_requested     text[] NOT NULL,
  description          text,
  status               text NOT NULL DEFAULT 'enabled'
                       CHECK (status IN ('enabled', 'paused', 'disabled')),
  status_reason        text,
  -- An admin's disabling stands until an admin enables it again.
  disabled_by_admin    boolean NOT NULL DEFAULT false,
  -- Poll and push: every revocation at or below this position was acknowledged, and
  -- these ones above it too.
  acked_position       bigint NOT NULL DEFAULT 0,
  acked_above          bigint[] NOT NULL DEFAULT '{}',
  -- Push: the next attempt, the failures in a row and the last one, and which process
  -- holds the stream's delivery until when.
  next_attempt_at      timestamptz NOT NULL DEFAULT now(),
  failures             integer NOT NULL DEFAULT 0,
  last_error           text,
  lease_owner          text,
  lease_until          timestamptz,
  created_at           timestamptz NOT NULL DEFAULT now(),
  updated_at           timestamptz NOT NULL DEFAULT now()
);

-- Events of one stream only (verification, stream updated), kept until acknowledged
-- (poll, push) or a day.
CREATE TABLE ssf_stream_events (
  seq        bigserial PRIMARY KEY,
  stream_id  text NOT NULL REFERENCES ssf_streams (stream_id) ON DELETE CASCADE,
  set_jwt    text NOT NULL,
  acked      boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX ssf_stream_events_stream ON ssf_stream_events (stream_id, seq);
`;

// Signing keys: the private material lives in files under keys/ (or a mounted secret);
// the lifecycle state lives here so every Latchkey process agrees which key signs and
// which keys are published.
export default /* sql */ `
CREATE TABLE signing_keys (
  kid           text PRIMARY KEY,
  alg           text NOT NULL,
  public_jwk    jsonb NOT NULL,
  state         text NOT NULL CHECK (state IN ('next', 'active', 'retired')),
  created_at    timestamptz NOT NULL,
  activated_at  timestamptz,
  retired_at    timestamptz,
  CHECK ((state = 'active') = (activated_at IS NOT NULL AND retired_at IS NULL) OR state <> 'active'),
  CHECK ((state = 'retired') = (retired_at IS NOT NULL))
);
-- At most one key signs at a time.
CREATE UNIQUE INDEX signing_keys_one_active ON signing_keys ((true)) WHERE state = 'active';
`;

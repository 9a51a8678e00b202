-- One row per replay, so an interrupted replay is recognised as incomplete
-- instead of passing for a finished one.
CREATE TABLE replay_run (
  company_id   uuid PRIMARY KEY REFERENCES company(id),
  dataset      text NOT NULL,
  started_at   timestamptz NOT NULL DEFAULT now(),
  finished_at  timestamptz
);

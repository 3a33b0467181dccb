-- Each running tessera-worker's last sign of life, so the status page can
-- tell a worker that stopped (mail piling up) from one with nothing to do.
-- A worker writes its row every few seconds and deletes it when it stops;
-- rows a day old (a worker that died) are cleared by the others.
CREATE TABLE worker_heartbeat (
  worker      VARCHAR(100) NOT NULL PRIMARY KEY,   -- host:pid
  started_at  DATETIME NOT NULL,
  beat_at     DATETIME NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

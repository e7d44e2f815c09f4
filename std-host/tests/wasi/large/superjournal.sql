-- A transaction that writes two database files at once.  SQLite then
-- creates a super-journal ("bench.db-mjXXXXXXXX", random name) next to
-- the main database, and when it deletes that file it opens the directory
-- and fsyncs it (fd_sync on a directory fd); a failing fsync there is a
-- "disk I/O error".  Run like workload.sql, on a fresh directory:
--   folio run --dir "$TMP::/data" --env HOME=/data sqlite.wasm -cmd '.cd /data' /data/two.db < superjournal.sql
.bail on
.headers on
.mode list
CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT);
ATTACH 'two-archive.db' AS archive;
CREATE TABLE archive.t(id INTEGER PRIMARY KEY, v TEXT);
WITH RECURSIVE seq(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM seq WHERE i<1000)
INSERT INTO main.t SELECT i, 'row ' || i FROM seq;
BEGIN;
INSERT INTO archive.t SELECT * FROM main.t WHERE id % 3 = 0;
DELETE FROM main.t WHERE id % 3 = 0;
COMMIT;
SELECT (SELECT count(*) FROM main.t) AS main_rows,
       (SELECT count(*) FROM archive.t) AS archived_rows,
       (SELECT sum(id) FROM main.t) + (SELECT sum(id) FROM archive.t) AS id_sum;
DETACH archive;
SELECT 'done' AS status;

-- Workload for the SQLite shell (sqlite3 CLI) built for wasm32-wasi.
-- Run with a FRESH, EMPTY directory preopened as /data, the shell told to
-- chdir there first (relative names below resolve against it), the
-- database path as the argument and this script on standard input:
--   folio run --dir "$TMP::/data" sqlite.wasm -cmd '.cd /data' /data/bench.db < workload.sql
-- Everything below is deterministic: no random(), no dates, no timings,
-- nothing that differs between a 32-bit wasm and a 64-bit native build.
.bail on
.headers on
.mode list
.separator |
.nullvalue NULL

SELECT 'sqlite ' || sqlite_version() AS version;
PRAGMA page_size;
PRAGMA journal_mode;

-- 1. Schema --------------------------------------------------------------
CREATE TABLE customers(
  id      INTEGER PRIMARY KEY,
  name    TEXT NOT NULL,
  city    TEXT NOT NULL,
  tier    INTEGER NOT NULL
);
CREATE TABLE products(
  id       INTEGER PRIMARY KEY,
  name     TEXT NOT NULL,
  category TEXT NOT NULL,
  price    REAL NOT NULL
);
CREATE TABLE orders(
  id          INTEGER PRIMARY KEY,
  customer_id INTEGER NOT NULL REFERENCES customers(id),
  product_id  INTEGER NOT NULL REFERENCES products(id),
  qty         INTEGER NOT NULL,
  day         INTEGER NOT NULL,
  note        TEXT
);
.tables

-- 2. Bulk inserts in explicit transactions --------------------------------
-- Pseudo-random but deterministic values come from a multiplicative hash.
BEGIN;
WITH RECURSIVE seq(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM seq WHERE i<5000)
INSERT INTO customers(id, name, city, tier)
SELECT i,
       'customer-' || printf('%05d', i),
       CASE (i*2654435761) % 7
         WHEN 0 THEN 'Amsterdam' WHEN 1 THEN 'Berlin' WHEN 2 THEN 'Cairo'
         WHEN 3 THEN 'Dakar'     WHEN 4 THEN 'Essen'  WHEN 5 THEN 'Fes'
         ELSE 'Geneva' END,
       1 + (i*40503) % 3
FROM seq;
COMMIT;

BEGIN;
WITH RECURSIVE seq(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM seq WHERE i<400)
INSERT INTO products(id, name, category, price)
SELECT i,
       'product-' || printf('%04d', i),
       'cat-' || char(65 + (i*7919) % 12),
       round(1.0 + ((i*104729) % 99991) / 100.0, 2)
FROM seq;
COMMIT;

BEGIN;
WITH RECURSIVE seq(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM seq WHERE i<40000)
INSERT INTO orders(id, customer_id, product_id, qty, day, note)
SELECT i,
       1 + (i*2654435761) % 5000,
       1 + (i*40503 + i/7) % 400,
       1 + (i*31) % 9,
       (i*7) % 365,
       CASE WHEN i % 10 = 0 THEN 'gift wrap ' || hex(i) ELSE NULL END
FROM seq;
COMMIT;

SELECT count(*) AS customers FROM customers;
SELECT count(*) AS products FROM products;
SELECT count(*) AS orders, sum(qty) AS items, count(note) AS notes FROM orders;

-- 3. Indexes ---------------------------------------------------------------
CREATE INDEX orders_customer ON orders(customer_id);
CREATE INDEX orders_product_day ON orders(product_id, day);
CREATE INDEX customers_city ON customers(city, tier);
CREATE UNIQUE INDEX products_name ON products(name);

-- 4. Joins and aggregates --------------------------------------------------
SELECT c.city, count(*) AS n_orders, sum(o.qty) AS items,
       printf('%.2f', sum(o.qty * p.price)) AS revenue
FROM orders o
JOIN customers c ON c.id = o.customer_id
JOIN products p ON p.id = o.product_id
GROUP BY c.city
ORDER BY c.city;

SELECT p.category, count(DISTINCT o.customer_id) AS buyers,
       printf('%.2f', avg(p.price)) AS avg_price,
       max(o.qty) AS max_qty
FROM orders o JOIN products p ON p.id = o.product_id
GROUP BY p.category
ORDER BY p.category;

SELECT c.name, count(*) AS n, sum(o.qty) AS items
FROM customers c JOIN orders o ON o.customer_id = c.id
WHERE c.tier = 3
GROUP BY c.id
ORDER BY items DESC, c.name
LIMIT 10;

SELECT day / 30 AS month, count(*) AS n,
       printf('%.2f', sum(o.qty * p.price)) AS revenue
FROM orders o JOIN products p ON p.id = o.product_id
WHERE o.product_id BETWEEN 100 AND 199
GROUP BY month
ORDER BY month;

-- Window functions over a correlated subquery.
SELECT name, spent, rank_in_city FROM (
  SELECT c.name, c.city,
         printf('%.2f', s.spent) AS spent,
         rank() OVER (PARTITION BY c.city ORDER BY s.spent DESC, c.id) AS rank_in_city
  FROM customers c
  JOIN (SELECT o.customer_id AS cid, sum(o.qty * p.price) AS spent
        FROM orders o JOIN products p ON p.id = o.product_id
        GROUP BY o.customer_id) s ON s.cid = c.id
) WHERE rank_in_city <= 2
ORDER BY name;

-- 5. Many small autocommit transactions (rollback journal created, synced
--    and deleted each time; lock taken and released each time) -------------
UPDATE products SET price = price + 0.5 WHERE id = 1;
UPDATE products SET price = price + 0.5 WHERE id = 2;
UPDATE products SET price = price + 0.5 WHERE id = 3;
UPDATE products SET price = price + 0.5 WHERE id = 4;
UPDATE products SET price = price + 0.5 WHERE id = 5;
UPDATE products SET price = price + 0.5 WHERE id = 6;
UPDATE products SET price = price + 0.5 WHERE id = 7;
UPDATE products SET price = price + 0.5 WHERE id = 8;
UPDATE products SET price = price + 0.5 WHERE id = 9;
UPDATE products SET price = price + 0.5 WHERE id = 10;
INSERT INTO customers(id, name, city, tier) VALUES (5001, 'late-1', 'Essen', 2);
INSERT INTO customers(id, name, city, tier) VALUES (5002, 'late-2', 'Fes', 2);
INSERT INTO customers(id, name, city, tier) VALUES (5003, 'late-3', 'Geneva', 2);
DELETE FROM orders WHERE id % 1000 = 0;
UPDATE orders SET qty = qty + 1 WHERE day = 100;
SELECT printf('%.2f', sum(price)) AS price_sum FROM products;
SELECT count(*) AS orders, sum(qty) AS items FROM orders;

-- 6. A rolled-back transaction leaves nothing behind -----------------------
BEGIN;
DELETE FROM orders;
SELECT count(*) AS inside_txn FROM orders;
ROLLBACK;
SELECT count(*) AS after_rollback FROM orders;

-- 7. A second database file, attached.  Each write transaction below
--    touches one file only: a transaction writing both files needs a
--    super-journal, whose deletion fsyncs the directory (see superjournal.sql).
ATTACH 'archive.db' AS archive;
CREATE TABLE archive.old_orders AS SELECT * FROM orders WHERE day < 30;
SELECT count(*) AS archived FROM archive.old_orders;
DELETE FROM main.orders WHERE id IN (SELECT id FROM archive.old_orders);
INSERT INTO archive.old_orders SELECT * FROM main.orders WHERE day = 30;
SELECT (SELECT count(*) FROM main.orders) AS main_orders,
       (SELECT count(*) FROM archive.old_orders) AS archived_orders;
DETACH archive;

-- 8. Export to CSV and import it back into a new table -------------------
.headers off
.mode csv
.once products.csv
SELECT id, name, category, price FROM products ORDER BY id;
CREATE TABLE products_copy(id INTEGER PRIMARY KEY, name TEXT, category TEXT, price REAL);
.import products.csv products_copy
.mode list
.headers on
SELECT count(*) AS copied,
       sum(a.name = b.name AND a.category = b.category AND a.price = b.price) AS identical
FROM products a JOIN products_copy b USING (id);

-- 9. Shrink, rebuild, check -------------------------------------------------
DROP TABLE products_copy;
DELETE FROM orders WHERE note IS NULL AND qty < 3;
VACUUM;
REINDEX;
ANALYZE;
PRAGMA integrity_check;
SELECT count(*) AS orders_left FROM orders;

-- 10. Close and reopen the file: the data must have reached it ------------
.open bench.db
SELECT name FROM sqlite_schema WHERE type = 'index' ORDER BY name;
SELECT c.city, count(*) AS n
FROM orders o JOIN customers c ON c.id = o.customer_id
GROUP BY c.city ORDER BY n DESC, c.city;
.mode box
SELECT id, name, category, price FROM products WHERE id <= 5 ORDER BY id;
.mode list
.dump customers_city
SELECT 'done' AS status;

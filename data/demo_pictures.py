#!/usr/bin/env python3
"""The demo pictures of ./stack: writes a few generated PNG images into the
media store's originals (MEDIA/originals/KEY) and prints the SQL that adds
their rows, the outbox rows that have the worker make their sizes, some
likes, some purchases and an event's banner. Run once, after sql/demo.sql. Standard library only.

Usage: demo_pictures.py MEDIA_DIR > pictures.sql
"""

import hashlib
import os
import random
import struct
import sys
import zlib

WIDTH, HEIGHT = 960, 640

# title, owner, price in cents, licence, colours (top, bottom), event
# title (an event of the demo data, past ones for photos of a night out)
PICTURES = [
    ("Blue hour over the river", "alice", 0, "cc_by", ((20, 40, 110), (240, 150, 60)), None),
    ("Front row, second encore", "bob", 450, "all_rights_reserved",
     ((120, 10, 60), (250, 200, 40)), "past"),
    ("Morning fog on the square", "carla", 0, "cc0", ((180, 190, 200), (90, 100, 110)), None),
    ("Stage lights from the balcony", "dmitri", 900, "cc_by_sa",
     ((10, 10, 30), (200, 30, 160)), "past"),
    ("Lanterns after the festival", "alice", 0, "cc_by_sa", ((40, 20, 60), (250, 220, 120)),
     "past"),
    ("Rooftops in the rain", "elif", 300, "all_rights_reserved",
     ((60, 70, 80), (150, 160, 170)), None),
    ("The crowd, from above", "farid", 0, "cc_by", ((30, 90, 60), (230, 230, 200)), "past"),
    ("Harbour cranes at dawn", "greta", 1200, "all_rights_reserved",
     ((250, 120, 80), (40, 60, 120)), None),
    ("The hall before the doors open", "organizer", 0, "cc_by",
     ((90, 40, 20), (240, 200, 150)), None),
]
# The organizer's picture above becomes the banner of their next event.
BANNER = "The hall before the doors open"
LIKERS = ["alice", "bob", "carla", "dmitri", "elif", "farid", "greta", "hugo"]
# Priced pictures bought (paid orders of pictures, as the checkout leaves
# them): buyer, title; alice's /me/purchases has content.
PURCHASES = [
    ("alice", "Front row, second encore"),
    ("alice", "Harbour cranes at dawn"),
    ("hugo", "Stage lights from the balcony"),
]
CODE_CHARS = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def png(top, bottom):
    """A vertical gradient from top to bottom with a lighter disc: PNG bytes."""
    rows = []
    cx, cy, r2 = WIDTH * 2 // 3, HEIGHT // 3, (HEIGHT // 5) ** 2
    for y in range(HEIGHT):
        t = y / (HEIGHT - 1)
        base = bytes(int(a + (b - a) * t) for a, b in zip(top, bottom))
        light = bytes(min(255, c + 70) for c in base)
        dy = (y - cy) ** 2
        if dy < r2:
            half = int((r2 - dy) ** 0.5)
            row = base * (cx - half) + light * (2 * half) + base * (WIDTH - cx - half)
        else:
            row = base * WIDTH
        rows.append(b"\0" + row)

    def chunk(kind, data):
        return (struct.pack(">I", len(data)) + kind + data +
                struct.pack(">I", zlib.crc32(kind + data) & 0xffffffff))
    return (b"\x89PNG\r\n\x1a\n" +
            chunk(b"IHDR", struct.pack(">IIBBBBB", WIDTH, HEIGHT, 8, 2, 0, 0, 0)) +
            chunk(b"IDAT", zlib.compress(b"".join(rows), 9)) + chunk(b"IEND", b""))


def lit(s):
    return "'" + s.replace("\\", "\\\\").replace("'", "''") + "'"


def main():
    media = sys.argv[1]
    out = ["-- Demo pictures (data/demo_pictures.py)."]
    for i, (title, owner, price, licence, (top, bottom), event) in enumerate(PICTURES):
        data = png(top, bottom)
        key = os.urandom(16).hex()
        path = os.path.join(media, "originals", key)
        with open(path, "wb") as f:
            f.write(data)
        os.chmod(path, 0o600)
        ev = "NULL"
        if event == "past":
            ev = ("(SELECT id FROM events WHERE status = 'published' AND ends_at < "
                  "UTC_TIMESTAMP() ORDER BY ends_at DESC, id LIMIT 1 OFFSET %d)" % (i % 3))
        out.append(
            "INSERT INTO pictures (owner_id, event_id, title, description, price_cents, "
            "licence, format, width, height, bytes, sha256, storage_key, created_at) "
            "SELECT id, %s, %s, %s, %d, '%s', 'png', %d, %d, %d, UNHEX('%s'), '%s', "
            "UTC_TIMESTAMP() - INTERVAL %d HOUR FROM users WHERE email = '%s@tessera.test';"
            % (ev, lit(title), lit("A demo picture, drawn by the stack."), price, licence,
               WIDTH, HEIGHT, len(data), hashlib.sha256(data).hexdigest(), key,
               3 + 20 * i, owner))
        out.append("INSERT INTO outbox (topic, payload) VALUES ('picture_derive', "
                   "JSON_OBJECT('picture_id', LAST_INSERT_ID()));")
        likers = LIKERS[:len(PICTURES) - i]
        out.append(
            "INSERT INTO picture_likes (picture_id, user_id) SELECT p.id, u.id FROM pictures p "
            "JOIN users u ON u.email IN (%s) WHERE p.storage_key = '%s';"
            % (", ".join("'%s@tessera.test'" % n for n in likers), key))
        out.append("UPDATE pictures SET like_count = (SELECT COUNT(*) FROM picture_likes "
                   "WHERE picture_id = pictures.id) WHERE storage_key = '%s';" % key)
    for buyer, title in PURCHASES:
        out.append(purchase(buyer, title))
    out.append("SET @banner_event = (SELECT e.id FROM events e JOIN users u ON "
               "u.id = e.organizer_id WHERE u.email = 'organizer@tessera.test' AND "
               "e.status = 'published' AND e.starts_at > UTC_TIMESTAMP() "
               "ORDER BY e.starts_at LIMIT 1);")
    out.append("UPDATE events SET banner_picture_id = (SELECT id FROM pictures WHERE "
               "title = %s) WHERE id = @banner_event;" % lit(BANNER))
    print("\n".join(out))


def purchase(buyer, title):
    """The SQL of buyer's paid order of the picture titled title: its
    line, history, the purchase and the picture's sale counted."""
    code = "".join(random.SystemRandom().choice(CODE_CHARS) for _ in range(16))
    pic = "(SELECT id FROM pictures WHERE title = %s)" % lit(title)
    price = "(SELECT price_cents FROM pictures WHERE title = %s)" % lit(title)
    return "\n".join([
        "INSERT INTO orders (code, event_id, buyer_id, status, total_cents, currency, "
        "provider, paid_at, created_at) SELECT '%s', NULL, id, 'paid', %s, 'EUR', "
        "'sandbox', UTC_TIMESTAMP() - INTERVAL 2 DAY, UTC_TIMESTAMP() - INTERVAL 2 DAY "
        "FROM users WHERE email = '%s@tessera.test';" % (code, price, buyer),
        "SET @o = LAST_INSERT_ID();",
        "INSERT INTO order_lines (order_id, kind, picture_id, description, quantity, "
        "unit_price_cents) SELECT @o, 'picture', id, CONCAT('Picture “', title, "
        "'”, original'), 1, price_cents FROM pictures WHERE title = %s;" % lit(title),
        "INSERT INTO order_history (order_id, from_status, to_status, note) VALUES "
        "(@o, NULL, 'held', ''), (@o, 'held', 'paid', 'paid in the sandbox');",
        "INSERT INTO picture_purchases (picture_id, buyer_id, order_id, price_cents, "
        "currency) SELECT %s, buyer_id, id, total_cents, currency FROM orders "
        "WHERE id = @o;" % pic,
        "UPDATE pictures SET sales_count = sales_count + 1, sales_cents = sales_cents "
        "+ price_cents WHERE title = %s;" % lit(title),
    ])


if __name__ == "__main__":
    main()

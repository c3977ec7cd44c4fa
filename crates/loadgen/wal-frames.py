#!/usr/bin/env python3
"""Which b-trees the frames of a SQLite WAL belong to (BENCHMARKS.md, "CreateBackend on SQLite").

Usage: wal-frames.py DB WAL  (copies of a database and its WAL taken while the server was
stopped with SIGKILL, so that nothing was checkpointed). Reads the frames that carry the
WAL's current salt, groups them by commit, and names each page's table or index with
SQLite's dbstat view on a scratch copy of the database with the WAL applied.
"""
import collections
import shutil
import sqlite3
import struct
import sys
import tempfile
import os

db, wal = sys.argv[1], sys.argv[2]
data = open(wal, "rb").read()
_, _, page_size, _, salt1, salt2, _, _ = struct.unpack(">IIIIIIII", data[:32])
offset, commits, current = 32, [], []
while offset + 24 + page_size <= len(data):
    page, db_size, s1, s2 = struct.unpack(">IIII", data[offset:offset + 16])
    if (s1, s2) != (salt1, salt2):
        break
    current.append(page)
    if db_size:
        commits.append(current)
        current = []
    offset += 24 + page_size
frames = sum(len(c) for c in commits)
print(f"page size {page_size}; {len(commits)} commits, {frames} frames")
scratch = tempfile.mkdtemp()
copy = os.path.join(scratch, "db.sqlite")
shutil.copy(db, copy)
shutil.copy(wal, copy + "-wal")
owner = {
    page: (name, kind)
    for name, page, kind in sqlite3.connect(copy).execute("SELECT name, pageno, pagetype FROM dbstat")
}
count = collections.Counter(owner.get(page, ("?", "?")) for commit in commits for page in commit)
for (name, kind), n in count.most_common():
    print(f"{name:40} {kind:9} {n:7} frames, {n / max(len(commits), 1):6.2f} per commit")
shutil.rmtree(scratch)

"""Run state in the archive: `.newsfetch/state.sqlite`, one row per normalized URL.

The row says where the URL stands (pending, done, failed, skipped), how many attempts it took, the last error,
the content hash and output path. Rows are committed as results come in (one transaction per scheduler turn) (WAL, so a reader such as
`newsfetch status` never blocks a run and a killed run loses at most the result being written). The table is
also the run's queue: URLs read from the list are marked pending with the run's number and a sequence number,
and the scheduler pulls them back per host, so a list of any length costs no memory.
"""

from __future__ import annotations

import json
import os
import sqlite3
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from newsfetch.errors import ArchiveError

STATE_DIR = ".newsfetch"
_SCHEMA = """
CREATE TABLE IF NOT EXISTS urls (
    url TEXT PRIMARY KEY,
    host TEXT NOT NULL,
    status TEXT NOT NULL,            -- pending, done, failed, skipped
    attempts INTEGER NOT NULL DEFAULT 0,
    reason TEXT,                     -- reason slug of a failure or skip, to count by
    last_error TEXT,
    outcome TEXT,                    -- new, updated, unchanged (last success)
    content_hash TEXT,
    path TEXT,
    final_url TEXT,
    run INTEGER,
    seq INTEGER,
    updated_at REAL
);
CREATE INDEX IF NOT EXISTS urls_queue ON urls (run, status, host, seq);
CREATE INDEX IF NOT EXISTS urls_status ON urls (status);
CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY,
    started REAL NOT NULL,
    finished REAL,
    pid INTEGER,
    summary TEXT
);
CREATE TABLE IF NOT EXISTS feeds (       -- batch --feed: the newest article id each feed address gave
    address TEXT PRIMARY KEY,
    mark TEXT NOT NULL,
    updated_at REAL
);
CREATE TABLE IF NOT EXISTS feed_entries (  -- what a feed said of an article that failed, for --retry-failed
    url TEXT PRIMARY KEY,
    entry TEXT NOT NULL
);
"""


def state_dir(archive: str | Path) -> Path:
    return Path(archive).expanduser() / STATE_DIR


@dataclass(frozen=True)
class Ingested:
    """What reading one URL into the queue did: `queued`, or skipped with `reason`."""

    queued: bool
    reason: str | None = None


class State:
    """The state database of one archive. Use from one thread (the scheduler's)."""

    def __init__(self, archive: str | Path, *, readonly: bool = False) -> None:
        folder = state_dir(archive)
        self.path = folder / "state.sqlite"
        if os.path.islink(folder) or os.path.islink(self.path):  # never read or write state through a link
            raise ArchiveError("the batch state is a symbolic link: not followed", where=str(self.path))
        try:
            if readonly:
                if not self.path.exists():
                    raise ArchiveError("no batch state here (no batch has run in this archive)", where=str(archive))
                self.db = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, timeout=30)
                # sqlite opens anything; a corrupt file fails at the first read: fail here, with the path
                self.db.execute("SELECT count(*) FROM urls").fetchone()
            else:
                folder.mkdir(parents=True, exist_ok=True)
                ignore = folder / ".gitignore"
                if not ignore.exists():
                    ignore.write_text("# newsfetch run state: not part of the archive\n*\n", encoding="utf-8")
                self.db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
                self.db.execute("PRAGMA journal_mode=WAL")
                self.db.execute("PRAGMA synchronous=NORMAL")  # survives a killed process; fsync only at checkpoints
                self.db.executescript(_SCHEMA)
        except sqlite3.Error as error:
            raise ArchiveError(f"cannot open the batch state ({error})", where=str(self.path)) from None
        self.run_id = 0
        self._seq = 0
        self._in_tx = False

    def close(self) -> None:
        self.flush()
        self.db.close()

    # ---- transactions: results are committed one by one, ingestion in chunks

    def _begin(self) -> None:
        if not self._in_tx:
            self.db.execute("BEGIN")
            self._in_tx = True

    def flush(self) -> None:
        if self._in_tx:
            self.db.execute("COMMIT")
            self._in_tx = False

    # ---- runs

    def start_run(self, pid: int) -> int:
        cursor = self.db.execute("INSERT INTO runs (started, pid) VALUES (?, ?)", (time.time(), pid))
        self.run_id = int(cursor.lastrowid)
        return self.run_id

    def finish_run(self, summary: dict) -> None:
        self.flush()
        self.db.execute("UPDATE runs SET finished = ?, summary = ? WHERE id = ?",
                        (time.time(), json.dumps(summary, ensure_ascii=False), self.run_id))

    # ---- the queue

    def ingest(self, url: str, host: str, *, refresh: bool, retry_failed: bool = False) -> Ingested:
        """Queue `url` for this run unless this run queued it already, or it is done (unless `refresh`), or it
        failed before (unless `retry_failed` or `refresh`: a 404 is not asked for again every cron run)."""
        self._begin()
        row = self.db.execute("SELECT status, run FROM urls WHERE url = ?", (url,)).fetchone()
        if row is not None and row[1] == self.run_id:
            return Ingested(False, "duplicate")
        if row is not None and row[0] == "done" and not refresh:
            return Ingested(False, "already-archived")
        if row is not None and row[0] == "failed" and not (refresh or retry_failed):
            return Ingested(False, "failed-before")
        self._seq += 1
        if row is None:
            self.db.execute("INSERT INTO urls (url, host, status, run, seq, updated_at) VALUES (?, ?, 'pending', ?, ?, ?)",
                            (url, host, self.run_id, self._seq, time.time()))
        else:
            # the host too: a URL queued under a text API's host by a feed run may come back as a page
            self.db.execute("UPDATE urls SET status = 'pending', run = ?, seq = ?, host = ? WHERE url = ?",
                            (self.run_id, self._seq, host, url))
        return Ingested(True)

    def next_pending(self, host: str, after_seq: int, limit: int) -> list[tuple[str, int]]:
        """Up to `limit` URLs of `host` queued by this run after `after_seq`, in list order."""
        self.flush()
        return self.db.execute(
            "SELECT url, seq FROM urls WHERE run = ? AND status = 'pending' AND host = ? AND seq > ? "
            "ORDER BY seq LIMIT ?", (self.run_id, host, after_seq, limit)).fetchall()

    def is_pending(self, url: str) -> bool:
        row = self.db.execute("SELECT status, run FROM urls WHERE url = ?", (url,)).fetchone()
        return row is not None and row[0] == "pending" and row[1] == self.run_id

    def failed_urls(self) -> Iterator[str]:
        """URLs whose last run failed, in key order, paged so the caller may requeue them while reading."""
        last = ""
        while True:
            rows = self.db.execute("SELECT url FROM urls WHERE status = 'failed' AND url > ? ORDER BY url LIMIT 500",
                                   (last,)).fetchall()
            if not rows:
                return
            for (url,) in rows:
                yield url
            last = rows[-1][0]

    # ---- results

    def record_done(self, url: str, *, outcome: str, path: str, content_hash: str, final_url: str,
                    attempts: int) -> None:
        self._begin()
        self.db.execute(
            "UPDATE urls SET status = 'done', outcome = ?, path = ?, content_hash = ?, final_url = ?, "
            "attempts = attempts + ?, reason = NULL, last_error = NULL, updated_at = ? WHERE url = ?",
            (outcome, path, content_hash, final_url, attempts, time.time(), url))

    def record_alias(self, url: str, host: str, *, outcome: str, path: str, content_hash: str) -> bool:
        """Mark `url` (where another URL redirected) done too, unless this run already fetched it."""
        self._begin()
        row = self.db.execute("SELECT status, run FROM urls WHERE url = ?", (url,)).fetchone()
        if row is not None and row[0] != "pending":
            return False
        self.db.execute(
            "INSERT INTO urls (url, host, status, outcome, path, content_hash, final_url, run, seq, updated_at) "
            "VALUES (?, ?, 'done', ?, ?, ?, ?, ?, 0, ?) ON CONFLICT (url) DO UPDATE SET status = 'done', "
            "outcome = excluded.outcome, path = excluded.path, content_hash = excluded.content_hash, "
            "updated_at = excluded.updated_at",
            (url, host, outcome, path, content_hash, url, self.run_id, time.time()))
        return True

    def record_failed(self, url: str, *, reason: str, error: str, attempts: int) -> None:
        self._begin()
        self.db.execute("UPDATE urls SET status = 'failed', reason = ?, last_error = ?, attempts = attempts + ?, "
                        "updated_at = ? WHERE url = ?", (reason, error, attempts, time.time(), url))

    def record_skipped(self, url: str, *, reason: str) -> None:
        self._begin()
        self.db.execute("UPDATE urls SET status = 'skipped', reason = ?, updated_at = ? WHERE url = ?",
                        (reason, time.time(), url))

    # ---- feed marks: where the last run of a paged feed stopped, so the next asks only for what is new

    def feed_mark(self, address: str) -> str | None:
        row = self.db.execute("SELECT mark FROM feeds WHERE address = ?", (address,)).fetchone()
        return row[0] if row else None

    def set_feed_mark(self, address: str, mark: str) -> None:
        self._begin()
        self.db.execute("INSERT INTO feeds (address, mark, updated_at) VALUES (?, ?, ?) ON CONFLICT (address) "
                        "DO UPDATE SET mark = excluded.mark, updated_at = excluded.updated_at",
                        (address, mark, time.time()))

    def keep_feed_entries(self, entries: dict[str, dict]) -> None:
        """Keep the feed entries (JSON-ready dicts by URL) of the URLs that failed; drop those of archived URLs."""
        self._begin()
        for url, entry in entries.items():
            row = self.db.execute("SELECT status FROM urls WHERE url = ?", (url,)).fetchone()
            if row is not None and row[0] == "failed":
                self.db.execute("INSERT OR REPLACE INTO feed_entries (url, entry) VALUES (?, ?)",
                                (url, json.dumps(entry, ensure_ascii=False)))
        self.db.execute("DELETE FROM feed_entries WHERE url IN (SELECT url FROM urls WHERE status = 'done')")

    def kept_feed_entries(self) -> dict[str, dict]:
        """The kept feed entries of URLs that are failed now."""
        rows = self.db.execute("SELECT f.url, f.entry FROM feed_entries f JOIN urls u ON u.url = f.url "
                               "WHERE u.status = 'failed'").fetchall()
        return {url: json.loads(entry) for url, entry in rows}

    # ---- reading (status, discover, export)

    def known(self, url: str) -> bool:
        """True when `url` is archived already (or was skipped for good, e.g. by robots.txt)."""
        try:
            row = self.db.execute("SELECT status FROM urls WHERE url = ?", (url,)).fetchone()
        except sqlite3.OperationalError:
            # `discover --new | batch -`: the batch at the other end of the pipe may be creating the
            # database right now (file there, tables not yet); nothing is archived then
            return False
        return row is not None and row[0] == "done"

    def counts(self) -> dict[str, int]:
        return dict(self.db.execute("SELECT status, COUNT(*) FROM urls GROUP BY status ORDER BY status").fetchall())

    def reasons(self, status: str) -> dict[str, int]:
        return dict(self.db.execute("SELECT COALESCE(reason, '?'), COUNT(*) FROM urls WHERE status = ? "
                                    "GROUP BY 1 ORDER BY 2 DESC, 1", (status,)).fetchall())

    def reason_messages(self, status: str) -> dict[str, str]:
        """One full error message (the most recent) for each reason slug of `status`."""
        rows = self.db.execute("SELECT COALESCE(reason, '?'), last_error FROM urls WHERE status = ? AND "
                               "last_error IS NOT NULL ORDER BY updated_at", (status,)).fetchall()
        return dict(rows)

    def last_runs(self, limit: int = 5) -> list[dict]:
        rows = self.db.execute("SELECT id, started, finished, pid, summary FROM runs ORDER BY id DESC LIMIT ?",
                               (limit,)).fetchall()
        return [{"id": r[0], "started": r[1], "finished": r[2], "pid": r[3],
                 "summary": json.loads(r[4]) if r[4] else None} for r in rows]

    def failures(self) -> Iterator[dict]:
        cursor = self.db.execute("SELECT url, attempts, reason, last_error, updated_at FROM urls "
                                 "WHERE status = 'failed' ORDER BY url")
        for url, attempts, reason, error, updated in cursor:
            yield {"url": url, "attempts": attempts, "reason": reason, "error": error, "updated_at": updated}

    def done_paths(self, run_id: int | None = None) -> dict[str, int]:
        run_id = self.run_id if run_id is None else run_id
        return dict(self.db.execute("SELECT outcome, COUNT(*) FROM urls WHERE run = ? AND status = 'done' "
                                    "GROUP BY outcome", (run_id,)).fetchall())

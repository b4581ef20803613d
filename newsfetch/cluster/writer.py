"""The crawl's one archive writer: records from Redis → posts on disk and rows in the archive's state table.

Workers render each post (`archive.writer.post_bytes`, what ``batch --archive`` renders with, in the archive's
style); the writer does what needs the archive, with the functions `write_article` is made of: the path
(`post_path`: an existing post of the same article wins), dedupe (unchanged content not rewritten) and the atomic
write (`place_post` in its steps: a chunk's posts staged, fsynced together, renamed), so paths, bytes and
outcomes are batch's. The queue is reliable: a record is moved (LMOVE) from ``P:out`` to ``P:writing`` before it
is written, and removed from ``P:writing`` only after the post is on disk and the state row committed. A writer
killed in between leaves its records in ``P:writing``; the next writer (`recover`) writes them first — once: the
bytes on disk are the same, and what the first writer found before writing (``P:prewrite``) still says whether
the post is new.
"""

from __future__ import annotations

import hashlib
import logging
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import redis

from newsfetch.archive.config import ArchiveConfig, load_config
from newsfetch.archive.files import read_file
from newsfetch.archive.writer import (StagedPost, WriteOutcome, finish_post, place_post, post_bytes, post_path,
                                      stage_post, sync_post)
from newsfetch.batch.retry import reason_of
from newsfetch.batch.state import State
from newsfetch.batch.urls import host_key
from newsfetch.errors import ArchiveError, NewsfetchError
from newsfetch.output import sync_folder
from newsfetch.tracking import normalize_url

from .records import Record

log = logging.getLogger(__name__)
_CHUNK = 64     # records written per turn: one state commit and one Redis acknowledgement for all of them
_ABSENT = b"absent"
_THREADS = 8    # fsyncs at once (their waits overlap)

# KEYS: the waiting list, the writing list; ARGV: most to move. One round trip moves a whole chunk, each record
# atomically (as LMOVE), oldest first.
_MOVE = """
local moved = {}
for i = 1, tonumber(ARGV[1]) do
  local record = redis.call('LMOVE', KEYS[1], KEYS[2], 'RIGHT', 'LEFT')
  if not record then break end
  moved[i] = record
end
return moved
"""


@dataclass
class Written:
    """What a writer turn did, for progress output: one (status, url, detail) per record."""

    items: list[tuple[str, str, str]] = field(default_factory=list)
    counts: Counter = field(default_factory=Counter)


class ArchiveWriter:
    """Writes the records of crawl `prefix` into `archive`. The caller holds the archive lock."""

    def __init__(self, client: redis.Redis, prefix: str, archive: str | Path, state: State, *,
                 on_item: Callable[[str, str, str], None] | None = None) -> None:
        self.redis = client
        self.prefix = prefix
        self.archive = Path(archive)
        self.state = state
        self.on_item = on_item or (lambda status, url, detail: None)
        self.out, self.writing = f"{prefix}:out", f"{prefix}:writing"
        self.prewrite, self.counts = f"{prefix}:prewrite", f"{prefix}:counts"
        self._pool = ThreadPoolExecutor(_THREADS, thread_name_prefix="newsfetch-writer")
        self._move = client.register_script(_MOVE)
        self._root = self.archive.resolve()
        self._resolved: dict[Path, Path] = {}   # post folder → the folder resolved

    def close(self) -> None:
        self._pool.shutdown()

    def recover(self) -> int:
        """Write what a killed writer had taken but not acknowledged; the number of records."""
        payloads = self.redis.lrange(self.writing, 0, -1)
        if payloads:
            self._write(list(reversed(payloads)), recovering=True)  # LMOVE pushes on the left: oldest last
        return len(payloads)

    def step(self, timeout: float) -> int:
        """Wait up to `timeout` s for records, write up to a chunk of them; the number written."""
        payloads = list(self._move(keys=[self.out, self.writing], args=[_CHUNK]))
        if not payloads:   # nothing waiting: block until the first record comes, then take what came with it
            first = self.redis.blmove(self.out, self.writing, timeout, "RIGHT", "LEFT")
            if first is None:
                return 0
            payloads = [first, *self._move(keys=[self.out, self.writing], args=[_CHUNK - 1])]
        self._write(payloads, recovering=False)
        return len(payloads)

    def pending(self) -> int:
        """Records not yet acknowledged (waiting, or taken by a writer)."""
        return int(self.redis.llen(self.out)) + int(self.redis.llen(self.writing))

    # ---- one turn

    def _write(self, payloads: list[bytes], *, recovering: bool) -> None:
        records = [Record.loads(payload) for payload in payloads]
        config = load_config(self.archive)  # once a chunk: an edit of newsfetch.toml counts from the next chunk
        plans = self._plans(records, config)
        before = self._before(records, recovering, plans)
        written = self._posts(records, plans, config)
        counts: Counter = Counter()
        done: list[tuple[str, str, str]] = []
        for index, record in enumerate(records):
            status, detail = self._one(record, written.get(index), before.get(record.url))
            counts[status if status in ("new", "updated", "unchanged") else f"{status}:{detail}"] += 1
            done.append((status, record.url, detail))
        self.state.flush()  # the rows are committed before the records are acknowledged
        with self.redis.pipeline(transaction=True) as pipe:
            for payload in payloads:
                pipe.lrem(self.writing, 1, payload)
            for name, n in counts.items():
                pipe.hincrby(self.counts, name, n)
            pipe.hdel(self.prewrite, *[record.url for record in records])
            pipe.execute()
        for status, url, detail in done:
            self.on_item(status, url, detail)

    def _plans(self, records: list[Record], config: ArchiveConfig) -> dict[int, Path | BaseException]:
        """Each article's post path as `write_article` finds it (`post_path`), or the error that stops it, by
        record index: found once, before any post of the chunk is written."""
        plans: dict[int, Path | BaseException] = {}
        for index, record in enumerate(records):
            if record.kind == "article" and record.article is not None:
                try:
                    plans[index] = post_path(self.archive, record.article, config)
                except (NewsfetchError, OSError) as error:
                    plans[index] = error
        return plans

    def _before(self, records: list[Record], recovering: bool,
                plans: dict[int, Path | BaseException] | None = None) -> dict[str, bytes]:
        """What each post was before this writer touched it: b"absent" or the old content's sha256.

        A first attempt notes it in Redis (kept by a writer killed mid-turn); a recovery reads the note back."""
        articles = [r for r in records if r.kind == "article" and r.article is not None]
        if recovering:
            found = self.redis.hmget(self.prewrite, [r.url for r in articles]) if articles else []
            return {r.url: before for r, before in zip(articles, found) if before is not None}
        plans = plans if plans is not None else self._plans(records, load_config(self.archive))
        notes: dict[str, bytes] = {}
        for index, record in enumerate(records):
            path = plans.get(index)
            if not isinstance(path, Path):
                continue  # the write fails the same way and says why
            try:
                old = read_file(path)  # never through a link, never blocked on a FIFO
            except (NewsfetchError, OSError):
                continue
            notes[record.url] = _ABSENT if old is None else hashlib.sha256(old).hexdigest().encode()
        if notes:
            self.redis.hset(self.prewrite, mapping=notes)
        return notes

    def _posts(self, records: list[Record], plans: dict[int, Path | BaseException],
               config: ArchiveConfig) -> dict[int, tuple[WriteOutcome, str] | BaseException]:
        """Write the articles of a chunk: each post's temp file on this thread, their fsyncs together on a few
        threads (most of a post's cost is waiting for fsync, and the waits overlap, as `batch`'s workers overlap
        theirs), then each renamed into place. Only the fsyncs go to threads: handing them whole posts cost more
        CPU in handing the interpreter lock back and forth than the posts themselves. Records naming the same
        article are written in order, the later ones after the chunk's first posts are in place, so the later
        one wins as it would one by one (its path is looked up again, as one by one). By record index:
        (outcome, sha256) or the error."""
        groups: dict[str, list[int]] = {}
        for index, record in enumerate(records):
            if record.kind == "article":
                groups.setdefault(record.article.url if record.article else "", []).append(index)
        results: dict[int, tuple[WriteOutcome, str] | BaseException] = {}
        staged: dict[int, tuple[StagedPost, str]] = {}
        for first, *_ in groups.values():
            try:
                path, data = _planned(records[first], plans.get(first), config)
                post = stage_post(self.archive, path, data)
            except (NewsfetchError, OSError) as error:
                results[first] = error
                continue
            digest = hashlib.sha256(data).hexdigest()
            if isinstance(post, WriteOutcome):
                results[first] = (post, digest)
            else:
                staged[first] = (post, digest)
        try:
            synced = self._pool.map(_sync, [post for post, _ in staged.values()])
            for (index, (post, digest)), error in zip(staged.items(), synced):
                try:
                    results[index] = error or (finish_post(post), digest)
                except NewsfetchError as failure:   # the rename failed (finish_post says why)
                    results[index] = failure
        finally:   # interrupted: no temp file is left behind (a committed one is not touched)
            for post, _ in staged.values():
                post.file.discard()
        for _, *later in groups.values():
            for index in later:
                try:
                    record = records[index]
                    path = post_path(self.archive, record.article, config) if record.article else None
                    path, data = _planned(record, path, config)
                    outcome = place_post(self.archive, path, data, sync_folder=False)  # synced below, once
                    results[index] = (outcome, hashlib.sha256(data).hexdigest())
                except (NewsfetchError, OSError) as error:
                    results[index] = error
        # Each temp file was fsynced before its rename (never a partial post); one fsync per folder a post was
        # renamed into makes the renames durable — before any of them is committed in the state or acknowledged.
        # (batch fsyncs the folder after every post: two fsyncs a post, here one and one per chunk.)
        for folder in {result[0].path.parent for result in results.values()
                       if isinstance(result, tuple) and result[0].status != "unchanged"}:
            sync_folder(folder)
        return results

    def _one(self, record: Record, written: tuple[WriteOutcome, str] | BaseException | None,
             before: bytes | None) -> tuple[str, str]:
        """Record one result in the state table (on this thread: the table is not shared); (status, path or reason)."""
        if record.kind == "skipped":
            self.state.record_skipped(record.url, reason=record.reason)
            return "skipped", record.reason
        if record.kind == "failed":
            self.state.record_failed(record.url, reason=record.reason, error=record.error, attempts=record.attempts)
            return "failed", record.reason
        if isinstance(written, BaseException) or written is None:
            error = written if written is not None else NewsfetchError("the record has no article")
            reason = reason_of(error)
            self.state.record_failed(record.url, reason=reason, error=str(error), attempts=record.attempts)
            return "failed", reason
        outcome, digest = written
        status = outcome.status
        if status == "unchanged" and before is not None:  # a recovered record: the first writer wrote it
            status = "new" if before == _ABSENT else "unchanged" if before == digest.encode() else "updated"
        path = self._relative(Path(outcome.path))
        self.state.record_done(record.url, outcome=status, path=path, content_hash=digest,
                               final_url=record.final_url or record.url, attempts=record.attempts)
        final = normalize_url(record.final_url or record.url)
        if final != record.url:
            self.state.record_alias(final, host_key(final), outcome=status, path=path, content_hash=digest)
        return status, path

    def _relative(self, path: Path) -> str:
        """The post's path relative to the archive, both resolved, as batch's state rows have it. A post is a
        regular file (never a link: the write refuses one), so resolving its folder resolves it; folders are
        resolved once per writer."""
        folder = self._resolved.get(path.parent)
        if folder is None:
            folder = self._resolved[path.parent] = path.parent.resolve()
        try:
            return str((folder / path.name).relative_to(self._root))
        except ValueError:
            return str(path)


def _planned(record: Record, path: Path | BaseException | None, config: ArchiveConfig) -> tuple[Path, bytes]:
    """A record's post path and bytes; raises what stops it (no article, or the error its path lookup met)."""
    if record.article is None or path is None:
        raise NewsfetchError("the record has no article")
    if isinstance(path, BaseException):
        raise path
    return path, _post_of(record, config)


def _sync(post: StagedPost) -> BaseException | None:
    """fsync a staged post (on a pool thread); the error, its temp file removed, or None."""
    try:
        sync_post(post)
    except ArchiveError as error:
        return error
    return None


def _post_of(record: Record, config: ArchiveConfig) -> bytes:
    """The post's bytes: as the worker rendered them when it used this archive's style, else rendered here (the
    archive's newsfetch.toml changed since the crawl started, or the worker could not render it)."""
    if record.post is not None and record.style == config.style:
        return record.post
    return post_bytes(record.article, config.style)

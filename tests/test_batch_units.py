"""The small pure parts of batch runs: retry decisions and delays, host policies, list reading, config."""

from __future__ import annotations

import random
import threading
import time
from pathlib import Path

import pytest

from newsfetch.batch.config import batch_options
from newsfetch.batch.politeness import HostPolicy, Hosts
from newsfetch.batch.retry import RetryPolicy, reason_of
from newsfetch.batch.runner import _StartGate
from newsfetch.batch.urls import read_list
from newsfetch.errors import ArchiveError, ContentError, FetchError, HTTPStatusError, NotAnArticle, ParseError
from newsfetch.settings import load_settings


@pytest.mark.parametrize("error, retried", [
    (HTTPStatusError("x", status=429), True), (HTTPStatusError("x", status=408), True),
    (HTTPStatusError("x", status=503), True), (HTTPStatusError("x", status=500), True),
    (HTTPStatusError("x", status=404), False), (HTTPStatusError("x", status=403), False),
    (FetchError("timed out after 1 s"), True), (FetchError("connection refused"), True),
    (ParseError("no body"), False), (ContentError("PDF"), False), (ValueError("bug"), False),
])
def test_which_errors_are_retried(error: Exception, retried: bool) -> None:
    assert RetryPolicy().retryable(error) is retried
    assert RetryPolicy(attempts=3).gives_up(1, error) is not retried
    assert RetryPolicy(attempts=3).gives_up(3, error)


def test_backoff_grows_with_jitter_and_honours_retry_after() -> None:
    policy, rng = RetryPolicy(base=1.0, max_delay=8.0), random.Random(4)
    for attempt, ceiling in [(1, 1.0), (2, 2.0), (3, 4.0), (4, 8.0), (9, 8.0)]:
        delays = [policy.delay(attempt, rng=rng) for _ in range(200)]
        assert ceiling / 2 <= min(delays) and max(delays) <= ceiling and len(set(delays)) > 150
    assert policy.delay(1, HTTPStatusError("x", status=429, retry_after=30.0), rng=rng) == 30.0
    assert policy.gives_up(1, HTTPStatusError("x", status=429, retry_after=3600.0))  # too long: give up now


def test_reasons_are_slugs_carried_by_the_error() -> None:
    assert reason_of(HTTPStatusError("HTTP 503", status=503)) == "http-503"
    assert reason_of(FetchError("timed out after 20 s", where="http://a", reason="timeout")) == "timeout"
    assert reason_of(FetchError("timed out after 20 s", where="http://a")) == "network"  # text is not read
    assert reason_of(ParseError("no body")) == "no-article"
    assert reason_of(NotAnArticle("a list page")) == "not-an-article"
    assert reason_of(ArchiveError("no date", where="http://a")) == "archive"
    assert reason_of(ValueError("a bug")) == "internal-error"


def test_host_policies_and_limits() -> None:
    hosts = Hosts(HostPolicy(2, 1.0), {"eastmoney.com": HostPolicy(4, 0.5), "127.0.0.2:8080": HostPolicy(1, 0)})
    assert hosts.policy_for("finance.eastmoney.com") == HostPolicy(4, 0.5)
    assert hosts.policy_for("finance.eastmoney.com:8443") == HostPolicy(4, 0.5)
    assert hosts.policy_for("noteastmoney.com") == HostPolicy(2, 1.0)
    assert hosts.policy_for("127.0.0.2:8080") == HostPolicy(1, 0)
    assert hosts.ready("a.example", 10.0)
    hosts.start("a.example", 10.0)
    assert not hosts.ready("a.example", 10.5) and hosts.ready("a.example", 11.0)      # 1 s between starts
    hosts.start("a.example", 11.0)
    assert not hosts.ready("a.example", 50.0)                                          # 2 in flight
    hosts.finish("a.example")
    hosts.hold("a.example", 60.0)                                                      # Retry-After
    assert not hosts.ready("a.example", 59.0) and hosts.ready("a.example", 60.0)
    hosts.slow_down("a.example", 5.0)
    hosts.slow_down("a.example", 0.1)                                                  # never faster
    assert hosts.state("a.example").policy.min_interval == 5.0
    assert HostPolicy.from_rate(2, 0) == HostPolicy(2, 0.0) and HostPolicy.from_rate(2, 4) == HostPolicy(2, 0.25)


def test_list_reading_is_lazy_and_normalizing() -> None:
    def lines():
        yield "\ufeffhttp://A.example/x?utm_source=feed#top   trailing words\n"
        yield "   # comment\n"
        yield "\n"
        yield "javascript:alert(1)\n"
        raise AssertionError("read past what was asked for")

    entries = read_list(lines())
    first = next(entries)
    assert first.url == "http://a.example/x" and first.line == 1
    bad = next(entries)
    assert bad.url is None and bad.line == 4 and "scheme" in bad.error


def test_batch_config(tmp_path: Path) -> None:
    assert batch_options(load_settings(tmp_path)).host_overrides == {}
    (tmp_path / "newsfetch.toml").write_text('[archive]\nlayout = "post"\n[batch]\nrate = 0.5\n'
                                            '[batch.hosts."Sina.com.cn"]\nper_host = 1\n', encoding="utf-8")
    settings = load_settings(tmp_path)
    assert settings["batch.rate"] == 0.5 and settings.values["batch.per_host"].origin == "default"
    options = batch_options(settings)
    assert options.host_policy == HostPolicy(2, 2.0)
    assert options.host_overrides == {"sina.com.cn": HostPolicy(1, 2.0)}
    # --per-host on the command line sets every server's limit: the per-server tables step aside
    assert batch_options(settings.given({"batch.per_host": 3})).host_overrides == {}
    for bad in ("[batch]\nper_host = 0\n", "[batch]\nrate = 'fast'\n", "[batch.hosts.x]\nspeed = 1\n"):
        (tmp_path / "newsfetch.toml").write_text(bad, encoding="utf-8")
        with pytest.raises(ArchiveError):
            load_settings(tmp_path)


def test_workers_that_wake_together_still_start_an_interval_apart() -> None:
    # the scheduler booked these starts 0.1 s apart, but their workers woke at the same moment (a busy machine):
    # the gate in front of the request spaces the real starts, measured where they happen
    hosts = Hosts(HostPolicy(4, 0.1))
    hosts.start("127.0.0.1:8000", time.monotonic())
    gate = _StartGate(hosts)
    starts: list[float] = []
    barrier = threading.Barrier(3)

    def worker() -> None:
        barrier.wait()
        gate.wait("127.0.0.1:8000")
        starts.append(time.monotonic())

    threads = [threading.Thread(target=worker) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    starts.sort()
    assert len(starts) == 3 and min(b - a for a, b in zip(starts, starts[1:])) >= 0.095
    gate.wait("127.0.0.9:80")  # a host without an interval (none booked) passes at once

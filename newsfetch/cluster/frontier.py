"""The crawl frontier in Redis: per-server queues, leases on taken work, and politeness for the whole cluster.

Every operation that reads and changes shared state is one Lua script, so it is atomic across any number of
workers on any number of machines, and every time is Redis's own clock (``TIME``), so machines whose clocks
differ still share one notion of "now".

Keys, under a crawl's prefix ``P``:

- ``P:ring`` / ``P:ringset``: servers with work, served round-robin; ``P:h:<host>``: a server's policy and
  state (``max`` slots, ``interval`` s between starts, ``next`` start time, ``robots`` state and text);
- ``P:q:<host>``: its queued requests (scrapy-redis-encoded); ``P:d:<host>``: retries waiting for their time;
- ``P:slots:<host>``: the tokens holding one of its slots, scored by expiry;
- ``P:inflight``: every taken token scored by its lease expiry, ``P:lease`` / ``P:leasehost``: what it holds;
- ``P:work``: requests not yet finished (queued, waiting, or taken); ``P:out``: records for the writer;
- ``P:counts``: counters (``retried``, ``requeued``; the writer adds outcomes).

A taken request holds a lease; its worker renews it while it works. A lease that runs out (the worker was
killed) is put back at the front of its server's queue by `reap`. Finishing a request whose lease was already
reaped does nothing and says so, so a result is handed to the writer at most once.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import redis

_LUA_NOW = """
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
"""

# ARGV: prefix, host, item, max, interval, robots state, robots request, "front" or "back"
_PUSH = """
local p, host, item = ARGV[1], ARGV[2], ARGV[3]
local hk = p .. ':h:' .. host
if redis.call('EXISTS', hk) == 0 then
  redis.call('HSET', hk, 'max', ARGV[4], 'interval', ARGV[5], 'next', '0', 'robots', ARGV[6], 'robots_req', ARGV[7])
end
if ARGV[8] == 'front' then redis.call('LPUSH', p .. ':q:' .. host, item)
else redis.call('RPUSH', p .. ':q:' .. host, item) end
redis.call('INCR', p .. ':work')
if redis.call('SADD', p .. ':ringset', host) == 1 then redis.call('RPUSH', p .. ':ring', host) end
return 1
"""

# ARGV: prefix, lease seconds, most requests to take, then tokens whose responses are in (their slots are freed
# first: a worker tells what it finished in the same round trip as it asks for more). Returns, flat, six fields per
# request taken: token, item, host, kind, previous next, new next.
_TAKE = _LUA_NOW + """
local p, lease, want = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3])
for i = 4, #ARGV do
  local kh = redis.call('HGET', p .. ':leasehost', ARGV[i])
  if kh then redis.call('ZREM', p .. ':slots:' .. string.sub(kh, string.find(kh, '|', 1, true) + 1), ARGV[i]) end
end
local out, got = {}, 0
local ring = p .. ':ring'
local n = redis.call('LLEN', ring)
for i = 1, n do
  if got >= want then break end
  local host = redis.call('LMOVE', ring, ring, 'LEFT', 'RIGHT')
  local hk, q, d, slots = p .. ':h:' .. host, p .. ':q:' .. host, p .. ':d:' .. host, p .. ':slots:' .. host
  local robots = redis.call('HGET', hk, 'robots')
  if redis.call('LLEN', q) == 0 and redis.call('ZCARD', d) == 0 and robots ~= 'fetching' then
    redis.call('LREM', ring, -1, host)
    redis.call('SREM', p .. ':ringset', host)
  else
    redis.call('ZREMRANGEBYSCORE', slots, '-inf', now)
    local max, interval = tonumber(redis.call('HGET', hk, 'max')), tonumber(redis.call('HGET', hk, 'interval'))
    -- as many as the server's free slots and its interval allow, while this worker wants more
    while got < want do
      local prev = tonumber(redis.call('HGET', hk, 'next') or '0')
      if redis.call('ZCARD', slots) >= max or now < prev then break end
      local item, kind = false, 'page'
      if robots == 'unknown' then
        item, kind = redis.call('HGET', hk, 'robots_req'), 'robots'
        redis.call('HSET', hk, 'robots', 'fetching')
        robots = 'fetching'
      elseif robots ~= 'fetching' then
        local due = redis.call('ZRANGEBYSCORE', d, '-inf', now, 'LIMIT', 0, 1)
        if #due > 0 then
          item = due[1]
          redis.call('ZREM', d, item)
        else
          item = redis.call('LPOP', q)
        end
      end
      if not item then break end
      local token = tostring(redis.call('INCR', p .. ':tokens'))
      local nxt = math.max(prev, now + interval)
      redis.call('HSET', hk, 'next', string.format('%.6f', nxt))
      redis.call('ZADD', slots, now + lease, token)
      redis.call('ZADD', p .. ':inflight', now + lease, token)
      redis.call('HSET', p .. ':lease', token, item)
      redis.call('HSET', p .. ':leasehost', token, kind .. '|' .. host)
      for _, v in ipairs({token, item, host, kind, string.format('%.6f', prev), string.format('%.6f', nxt)}) do
        table.insert(out, v)
      end
      got = got + 1
      if kind == 'robots' then break end
    end
  end
end
return out
"""

# Shared by the scripts that end a lease: drop the token, return its host (false when the lease is gone).
_END_LEASE = """
local function end_lease(p, token)
  if redis.call('ZREM', p .. ':inflight', token) == 0 then return false end
  local kh = redis.call('HGET', p .. ':leasehost', token)
  redis.call('HDEL', p .. ':lease', token)
  redis.call('HDEL', p .. ':leasehost', token)
  local host = string.sub(kh, string.find(kh, '|', 1, true) + 1)
  redis.call('ZREM', p .. ':slots:' .. host, token)
  return host
end
local function refund(p, host, prev, nxt)
  -- the request was never sent: give the interval back unless someone started after us
  local hk = p .. ':h:' .. host
  if redis.call('HGET', hk, 'next') == nxt then redis.call('HSET', hk, 'next', prev) end
end
"""

# ARGV: prefix, token, record for the writer ('' for none), refund prev, refund next ('' for none),
#       then optionally a follow-up request: host, item, max, interval, robots state, robots request.
_FINISH = _END_LEASE + """
local p, token = ARGV[1], ARGV[2]
local host = end_lease(p, token)
if not host then return 0 end
if ARGV[3] ~= '' then redis.call('LPUSH', p .. ':out', ARGV[3]) end
if ARGV[5] ~= '' then refund(p, host, ARGV[4], ARGV[5]) end
if ARGV[6] then
  local chost, hk = ARGV[6], p .. ':h:' .. ARGV[6]
  if redis.call('EXISTS', hk) == 0 then
    redis.call('HSET', hk, 'max', ARGV[8], 'interval', ARGV[9], 'next', '0', 'robots', ARGV[10],
               'robots_req', ARGV[11])
  end
  redis.call('LPUSH', p .. ':q:' .. chost, ARGV[7])
  if redis.call('SADD', p .. ':ringset', chost) == 1 then redis.call('RPUSH', p .. ':ring', chost) end
else
  redis.call('DECR', p .. ':work')
end
return 1
"""

# ARGV: prefix, token, item to retry, delay s, hold s (Retry-After: no request to the host before then)
_RETRY = _LUA_NOW + _END_LEASE + """
local p, token = ARGV[1], ARGV[2]
local host = end_lease(p, token)
if not host then return 0 end
redis.call('ZADD', p .. ':d:' .. host, now + tonumber(ARGV[4]), ARGV[3])
local hold = tonumber(ARGV[5])
if hold > 0 then
  local hk = p .. ':h:' .. host
  local nxt = math.max(tonumber(redis.call('HGET', hk, 'next') or '0'), now + hold)
  redis.call('HSET', hk, 'next', string.format('%.6f', nxt))
end
if redis.call('SADD', p .. ':ringset', host) == 1 then redis.call('RPUSH', p .. ':ring', host) end
redis.call('HINCRBY', p .. ':counts', 'retried', 1)
return 1
"""

# ARGV: prefix, token, status, text, crawl delay ('' for none)
_ROBOTS = _END_LEASE + """
local p, token = ARGV[1], ARGV[2]
local host = end_lease(p, token)
if not host then return 0 end
local hk = p .. ':h:' .. host
redis.call('HSET', hk, 'robots', 'known', 'robots_status', ARGV[3], 'robots_text', ARGV[4])
if ARGV[5] ~= '' and tonumber(ARGV[5]) > tonumber(redis.call('HGET', hk, 'interval')) then
  redis.call('HSET', hk, 'interval', ARGV[5])
end
return 1
"""

# ARGV: prefix, lease seconds, tokens… — pushes the lease (and the slot) of each live token forward
_RENEW = _LUA_NOW + """
local p, lease = ARGV[1], tonumber(ARGV[2])
local alive = 0
for i = 3, #ARGV do
  local token = ARGV[i]
  if redis.call('ZADD', p .. ':inflight', 'XX', 'CH', now + lease, token) == 1 then
    alive = alive + 1
    local kh = redis.call('HGET', p .. ':leasehost', token)
    local host = string.sub(kh, string.find(kh, '|', 1, true) + 1)
    redis.call('ZADD', p .. ':slots:' .. host, 'XX', now + lease, token)
  end
end
return alive
"""

# ARGV: prefix, token — the response is in: free the server's slot (the lease stays until the result is handed on)
_RELEASE = """
local p, token = ARGV[1], ARGV[2]
local kh = redis.call('HGET', p .. ':leasehost', token)
if not kh then return 0 end
local host = string.sub(kh, string.find(kh, '|', 1, true) + 1)
return redis.call('ZREM', p .. ':slots:' .. host, token)
"""

# ARGV: prefix — expired leases go back to the front of their server's queue
_REAP = _LUA_NOW + _END_LEASE + """
local p = ARGV[1]
local expired = redis.call('ZRANGEBYSCORE', p .. ':inflight', '-inf', now, 'LIMIT', 0, 1000)
for _, token in ipairs(expired) do
  local kh = redis.call('HGET', p .. ':leasehost', token)
  local item = redis.call('HGET', p .. ':lease', token)
  local host = end_lease(p, token)
  local kind = string.sub(kh, 1, string.find(kh, '|', 1, true) - 1)
  if kind == 'robots' then
    redis.call('HSET', p .. ':h:' .. host, 'robots', 'unknown')
  else
    redis.call('LPUSH', p .. ':q:' .. host, item)
  end
  if redis.call('SADD', p .. ':ringset', host) == 1 then redis.call('RPUSH', p .. ':ring', host) end
  redis.call('HINCRBY', p .. ':counts', 'requeued', 1)
end
return #expired
"""


@dataclass(frozen=True)
class Taken:
    """A request a worker holds: `token` names its lease; `prev`/`next` let an unsent request give back its
    interval; `kind` is "page" or "robots"."""

    token: str
    item: bytes
    host: str
    kind: str
    prev: str
    next: str


@dataclass(frozen=True)
class HostSetup:
    """What a server starts with when the frontier first sees it."""

    max_in_flight: int
    interval: float
    robots: str              # "unknown" (fetch robots.txt first) or "ignored"
    robots_request: bytes    # the encoded request for its robots.txt


@dataclass(frozen=True)
class Call:
    """One frontier script call, made now (`Frontier.call`) or sent with others in one round trip (`Frontier.run`).
    `read` turns the script's reply into the method's result."""

    script: str
    args: tuple
    read: Callable[[Any], Any] = bool


class Frontier:
    """The Redis side of one crawl, named by `prefix`.

    Every script call has two forms: `finish(...)` runs it now; `finish_call(...)` returns a `Call` that a worker
    sends later with others in one pipelined round trip (`run`), which is how a worker talks to the frontier."""

    def __init__(self, client: redis.Redis, prefix: str) -> None:
        self.redis = client
        self.prefix = prefix
        self._scripts = {name: client.register_script(source) for name, source in (
            ("push", _PUSH), ("take", _TAKE), ("finish", _FINISH), ("retry", _RETRY), ("robots", _ROBOTS),
            ("renew", _RENEW), ("release", _RELEASE), ("reap", _REAP))}

    def key(self, name: str) -> str:
        return f"{self.prefix}:{name}"

    # ---- calling scripts

    def call(self, call: Call) -> Any:
        return call.read(self._scripts[call.script](args=call.args))

    def run(self, calls: list[Call]) -> list[Any]:
        """Make `calls` in order in one round trip (each script is atomic on its own); their results.

        EVALSHA straight into the pipeline (redis-py's script objects would ask SCRIPT EXISTS first, a second
        round trip each time); a Redis that lost the scripts (restarted) gets them again, and the calls that
        did not run because of it are made again — a script that did not run changed nothing."""
        if not calls:
            return []
        results = self._pipelined(calls)
        missing = [i for i, result in enumerate(results) if isinstance(result, redis.exceptions.NoScriptError)]
        if missing:
            for script in self._scripts.values():
                script.sha = self.redis.script_load(script.script)
            for i, result in zip(missing, self._pipelined([calls[i] for i in missing])):
                results[i] = result
        for result in results:
            if isinstance(result, Exception):
                raise result
        return [call.read(result) for call, result in zip(calls, results)]

    def _pipelined(self, calls: list[Call]) -> list[Any]:
        with self.redis.pipeline(transaction=False) as pipe:
            for call in calls:
                pipe.evalsha(self._scripts[call.script].sha, 0, *call.args)
            return pipe.execute(raise_on_error=False)

    # ---- the calls

    def push(self, host: str, item: bytes, setup: HostSetup, *, front: bool = False, pipe=None) -> None:
        """Queue `item` for `host`; `pipe`, a transaction pipeline, makes it part of a larger atomic step."""
        self._scripts["push"](args=[self.prefix, host, item, setup.max_in_flight, repr(float(setup.interval)),
                                    setup.robots, setup.robots_request, "front" if front else "back"], client=pipe)

    def take_call(self, lease: float, most: int, released: list[str] | tuple = ()) -> Call:
        """Up to `most` requests the servers' limits allow now (round-robin over servers), each under a lease;
        the slots of `released` tokens (their responses are in) are freed first, in the same step."""
        return Call("take", (self.prefix, repr(float(lease)), int(most), *released), _read_taken)

    def take_many(self, lease: float, most: int, released: list[str] | tuple = ()) -> list[Taken]:
        return self.call(self.take_call(lease, most, released))

    def take(self, lease: float) -> Taken | None:
        """The next request some server's limits allow now, or None."""
        got = self.take_many(lease, 1)
        return got[0] if got else None

    def finish_call(self, taken: Taken, record: bytes = b"", *, refund: bool = False,
                    follow: tuple[str, bytes, HostSetup] | None = None) -> Call:
        """End `taken`'s lease, handing `record` to the writer (and queueing `follow`, a following page) in the
        same step. False when the lease had already run out: the request is someone else's now."""
        args: list = [self.prefix, taken.token, record, taken.prev if refund else "", taken.next if refund else ""]
        if follow is not None:
            host, item, setup = follow
            args += [host, item, setup.max_in_flight, repr(float(setup.interval)), setup.robots,
                     setup.robots_request]
        return Call("finish", tuple(args))

    def finish(self, taken: Taken, record: bytes = b"", *, refund: bool = False,
               follow: tuple[str, bytes, HostSetup] | None = None) -> bool:
        return self.call(self.finish_call(taken, record, refund=refund, follow=follow))

    def retry_call(self, taken: Taken, item: bytes, delay: float, hold: float = 0.0) -> Call:
        """Put `item` (the request, one attempt more) back for its server after `delay` s; `hold` keeps the
        whole server waiting (Retry-After)."""
        return Call("retry", (self.prefix, taken.token, item, repr(float(delay)), repr(float(hold))))

    def retry(self, taken: Taken, item: bytes, delay: float, hold: float = 0.0) -> bool:
        return self.call(self.retry_call(taken, item, delay, hold))

    def set_robots_call(self, taken: Taken, status: int, text: str, crawl_delay: float | None) -> Call:
        return Call("robots", (self.prefix, taken.token, status, text,
                               "" if crawl_delay is None else repr(float(crawl_delay))))

    def set_robots(self, taken: Taken, status: int, text: str, crawl_delay: float | None) -> bool:
        return self.call(self.set_robots_call(taken, status, text, crawl_delay))

    def robots(self, host: str) -> tuple[str, int, str]:
        """(state, status, text) of a server's robots.txt as the cluster knows it."""
        state, status, text = self.redis.hmget(self.key(f"h:{host}"), "robots", "robots_status", "robots_text")
        return ((state or b"").decode(), int(status or 0), (text or b"").decode("utf-8", "replace"))

    def release(self, token: str) -> None:
        self.call(Call("release", (self.prefix, token)))

    def renew_call(self, tokens: list[str], lease: float) -> Call:
        return Call("renew", (self.prefix, repr(float(lease)), *tokens), int)

    def renew(self, tokens: list[str], lease: float) -> int:
        return self.call(self.renew_call(tokens, lease)) if tokens else 0

    def reap_call(self) -> Call:
        return Call("reap", (self.prefix,), int)

    def reap(self) -> int:
        return self.call(self.reap_call())

    def heartbeat(self, worker: str, ttl: float) -> None:
        """Say that `worker` is alive for the next `ttl` s (status and the coordinator count live workers)."""
        self.redis.set(self.key(f"worker:{worker}"), "1", px=int(ttl * 1000))

    def workers(self) -> list[str]:
        prefix = self.key("worker:")
        return sorted(key.decode()[len(prefix):] for key in self.redis.scan_iter(match=prefix + "*", count=1000))

    def work(self) -> int:
        """Requests not finished yet: queued, waiting for a retry, or held by a worker."""
        return int(self.redis.get(self.key("work")) or 0)

    def in_flight(self) -> int:
        return int(self.redis.zcard(self.key("inflight")))


def _read_taken(reply: list) -> list[Taken]:
    fields = [value.decode() if i % 6 != 1 else value for i, value in enumerate(reply or [])]
    return [Taken(*fields[i:i + 6]) for i in range(0, len(fields), 6)]

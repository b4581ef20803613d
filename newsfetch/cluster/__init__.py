"""Distributed crawling: Scrapy + scrapy-redis workers over one Redis, one archive writer.

Needs the ``scrapy`` extra (``pip install 'newsfetch[scrapy]'``). The core package never imports this
subpackage; the CLI imports it only inside the ``crawl`` / ``worker`` / ``status --redis`` commands.

How the pieces fit:

- `frontier`: the crawl's work in Redis — one queue per server, leases on taken URLs (a killed worker's URL
  goes back to the queue when its lease runs out), and cluster-wide politeness (per-host slots, the interval
  between request starts, Retry-After holds, robots.txt Crawl-delay), all in atomic Lua scripts on Redis's clock.
- `enqueue`: the list, normalized as in ``batch``, through scrapy-redis's duplicate filter into the frontier.
- `worker` / `spider` / `scheduler_queue` / `middleware` / `pipelines`: a Scrapy crawler whose scheduler is
  scrapy-redis's, with the frontier as its queue; the spider turns responses into Articles (`article`).
- `writer`: the single process that writes posts exactly as ``batch --archive`` does, acknowledging each record
  only once the file is on disk.
- `coordinator`: ``newsfetch crawl``: enqueue, start local workers, run the writer until the crawl is drained.
"""

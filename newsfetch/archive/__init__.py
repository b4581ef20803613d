"""Archive mode: normalize the posts of an existing Jekyll archive in place, and write new posts into it.

- `normalize.normalize_text(data, name)` turns one post's bytes into its normalized bytes (pure).
- `run.normalize_paths(...)` walks files and folders, in parallel, writing atomically.
- `writer.write_article(archive, article)` writes an Article as ``_posts/YYYY-MM-DD-<id>.md``.
- `index.write_category_pages(archive)` writes ``category/<slug>.html`` pages.
"""

"""Source parsers: one module per site; the built-ins are listed in newsfetch/registry.py."""

# cli/ and parsers/ sit beside newsfetch/ in a checkout but are installed as newsfetch.cli and newsfetch.parsers
# (pyproject's package-dir). Imported under their folder name they would be a second copy whose classes are
# not the registry's: refuse that instead of failing later in a confusing way.
if __name__ != "newsfetch.parsers":
    raise ImportError("parsers/ is the package newsfetch.parsers: install the project (pip install -e '.[test]') "
                      "and import newsfetch.parsers")

"""The newsfetch command line: a thin typer layer over the library.

Every module in this package that defines commands registers them on `app` when imported; they are all
imported here, so a new command is a new module.
"""

import importlib
import pkgutil

# cli/ and parsers/ sit beside newsfetch/ in a checkout but are installed as newsfetch.cli and newsfetch.parsers
# (pyproject's package-dir). Imported under their folder name they would be a second copy whose classes are
# not the registry's: refuse that instead of failing later in a confusing way.
if __name__ != "newsfetch.cli":
    raise ImportError("cli/ is the package newsfetch.cli: install the project (pip install -e '.[test]') "
                      "and import newsfetch.cli")

from .app import app, main

for _module in pkgutil.iter_modules(__path__):
    if _module.name != "app":
        importlib.import_module(f"{__name__}.{_module.name}")

__all__ = ["app", "main"]

"""The newsfetch command line: a thin typer layer over the library.

Every module in this package that defines commands registers them on `app` when imported; they are all
imported here, so a new command is a new module.
"""

import importlib
import pkgutil

from .app import app, main

for _module in pkgutil.iter_modules(__path__):
    if _module.name != "app":
        importlib.import_module(f"{__name__}.{_module.name}")

__all__ = ["app", "main"]

"""The generic parser: any news site without a parser of its own (see parser.py for how it reads a page)."""

from .parser import GenericParser

__all__ = ["GenericParser"]

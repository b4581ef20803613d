"""``python -m newsfetch`` runs the command-line tool."""

from newsfetch.cli import main

main()

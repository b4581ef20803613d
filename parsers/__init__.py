"""Source parsers: one module per site, registered through the ``newsfetch.parsers`` entry points."""

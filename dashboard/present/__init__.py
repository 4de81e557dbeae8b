"""Drawing: charts, tables, the deck and its PDF, exports and the command line's text."""

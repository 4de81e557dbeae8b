"""One parser per layout family: a sheet and its header match → `Parsed` records."""

"""The write side, the one way in for pages and command line: imports and their upload diff,
reporting rounds, answers and their approval, comments, mail."""

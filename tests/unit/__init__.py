"""Unit tests: reading workbooks (layouts, numbers, scores, hostile files) and pure logic."""

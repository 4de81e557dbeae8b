"""Storing versions: the DuckDB schema, one-transaction writes, and the SQL files."""

from dashboard.errors import StoreBusy, StoreUnwritable
from dashboard.store.access import guarded, is_read_only
from dashboard.store.schema import FACT_COLUMNS, SCHEMA_VERSION, connect, migrate, open_for_reading
from dashboard.store.sql import QUERIES_DIR, data_version, load_query, query
from dashboard.store.writes import (
    dataset_key,
    find_by_sha,
    import_units,
    log_event,
    record_event,
    rollback_to,
    undo_import,
    write_import,
    write_imports,
)

__all__ = [
    "FACT_COLUMNS",
    "QUERIES_DIR",
    "SCHEMA_VERSION",
    "StoreBusy",
    "StoreUnwritable",
    "connect",
    "data_version",
    "dataset_key",
    "find_by_sha",
    "guarded",
    "is_read_only",
    "import_units",
    "load_query",
    "log_event",
    "migrate",
    "open_for_reading",
    "query",
    "record_event",
    "rollback_to",
    "undo_import",
    "write_import",
    "write_imports",
]

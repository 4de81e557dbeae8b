"""The server's own secret keys, kept in the database itself (table `server_keys`): made once
per database the first time one is needed, copied with every backup, never shown on a page,
in an export or a sent-out file. The reporting rounds key their control codes with one
(`dashboard.service.rounds.codes`), so a department holding its workbook cannot make the code of
another unit or another round."""

from __future__ import annotations

import secrets

import duckdb

from dashboard.errors import UserError
from dashboard.store.writes import write_cursor

ROUND_CODES = "round_codes"


def server_key(con: duckdb.DuckDBPyConnection, name: str = ROUND_CODES) -> bytes:
    """The 32-byte key `name`, made (and stored) the first time it is asked for."""
    cur = con.cursor()
    try:
        row = cur.execute("select value from server_keys where name = ?", [name]).fetchone()
    except duckdb.CatalogException:
        row = None  # no key made yet in this database
    finally:
        cur.close()
    if row:
        return bytes.fromhex(row[0])
    try:
        with write_cursor(con) as cur:
            cur.execute(
                "create table if not exists server_keys "
                "(name varchar primary key, value varchar not null)"
            )
            cur.execute(
                "insert into server_keys select ?, ? "
                "where not exists (select 1 from server_keys where name = ?)",
                [name, secrets.token_hex(32), name],
            )
            row = cur.execute("select value from server_keys where name = ?", [name]).fetchone()
    except duckdb.Error as exc:
        raise UserError(
            "Databasen kan ikke skrives, så kontrollkodene for rapporteringsrundene kan ikke "
            f"lages ({type(exc).__name__}). Åpne databasen med skrivetilgang og prøv igjen."
        ) from None
    return bytes.fromhex(row[0])

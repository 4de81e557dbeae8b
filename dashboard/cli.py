"""Command line: `python -m dashboard import|summary|demo|backup|round`."""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import logging
import re
import sys
from pathlib import Path

from dashboard.config import Settings
from dashboard.errors import AlreadyImported, BadDate, StoreUnwritable, UserError, os_problem


def _settings(args: argparse.Namespace) -> Settings:
    return Settings.from_env(getattr(args, "db", None))


def _not_a_file(path: Path) -> str | None:
    """Why `path` cannot be imported before it is opened (missing, a folder), or None."""
    if path.is_dir():
        return f"{path}: er en mappe, ikke en arbeidsbok (oppgi .xlsx-filene i den)."
    if not path.exists():
        return f"{path}: fant ikke fila."
    return None


def cmd_import(args: argparse.Namespace) -> int:
    """`import`: check and store workbooks, printing each result; 2 when one was refused."""
    from dashboard.ingest import reader

    settings = _settings(args)
    reader.prestart(settings)  # the parsing child loads its readers while we load ours
    from dashboard import store
    from dashboard.numbers import fmt_int
    from dashboard.service.imports import Overrides, import_file, prepare

    overrides = Overrides(args.unit, args.year, args.label)
    refused = 0
    with contextlib.ExitStack() as stack:
        con = None  # a shared store: each file is read without the lock; only its save takes it
        if not settings.shared_store:
            try:
                con = stack.enter_context(store.connect(settings.db_path))
            except UserError as exc:
                print(exc.render(cli=True), file=sys.stderr)
                return 2

        for number, name in enumerate(args.files):
            if number:
                prepare(settings)
            path = Path(name)
            missing = _not_a_file(path)
            if missing:
                refused += 1
                print(f"AVVIST {missing}", file=sys.stderr)
                continue
            try:
                result = import_file(
                    con, path, settings, overrides, display_name=path.name, user=args.user
                )
            except AlreadyImported as exc:
                print(f"{path.name}: {exc.message}")
                continue
            except StoreUnwritable as exc:  # the database, not the file: no file can be saved
                print(exc.render(cli=True), file=sys.stderr)
                return 2
            except UserError as exc:
                refused += 1
                print(f"AVVIST {exc.render(cli=True)}", file=sys.stderr)
                continue
            parsed = result.parsed
            print(
                f"{path.name}: {result.layout_title}; enhet {result.units_text}; "
                f"{'år ' + result.years_text + '; ' if result.years_text else ''}"
                f"{'versjon «' + parsed.label + '»; ' if parsed.label else ''}"
                f"{fmt_int(parsed.rows)} rader; {len(parsed.warnings)} advarsler (import nr. {result.import_id})"
            )
            for warning in parsed.warnings:
                print(f"  advarsel: {warning}")
    return 2 if refused else 0


def cmd_summary(args: argparse.Namespace) -> int:
    """`summary`: the figures of every unit, round and version, as text or JSON."""
    import duckdb

    from dashboard import store
    from dashboard.present.summary import render_text, summarise
    from dashboard.store import shared

    settings = _settings(args)
    if not Path(settings.db_path).is_file():  # a summary never creates a database
        print(
            f"Fant ingen database {settings.db_path}. Oppgi en eksisterende fil med --db, eller "
            "importer arbeidsbøker først.",
            file=sys.stderr,
        )
        return 2
    con = (
        duckdb.connect(str(shared.current_snapshot(settings.db_path)), read_only=True)
        if settings.shared_store
        else store.open_for_reading(settings.db_path)[0]  # read-only when it cannot be written
    )
    with con:
        data = summarise(con, args.per)
    if args.json:
        print(json.dumps(data, ensure_ascii=False, indent=2, default=str))
    else:
        print(render_text(data))
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    """`demo`: build the demo database."""
    from dashboard import store
    from data.generate_demo import build_demo

    settings = _settings(args)
    if Path(settings.db_path).exists():
        if not args.force:
            print(f"{settings.db_path} finnes allerede (--force bygger den på nytt).")
            return 0
        store.connect(settings.db_path).close()  # never replaced while it is held or read-only
    build_demo(settings.db_path, force=args.force)
    print(f"Demodata lagret i {settings.db_path}")
    return 0


def cmd_backup(args: argparse.Namespace) -> int:
    """`backup`: a consistent copy of the database, also while the app serves it."""
    from dashboard.store.backup import backup

    settings = _settings(args)
    if not Path(settings.db_path).is_file():
        raise UserError(f"Fant ingen database {settings.db_path} å ta sikkerhetskopi av.")
    if settings.shared_store:
        from dashboard.store import shared
        from dashboard.store.backup import backup_live

        with shared.writing(settings.db_path) as con:
            target = backup_live(con, Path(args.target))
    else:
        target = backup(settings.db_path, Path(args.target))
    print(f"Sikkerhetskopi skrevet til {target}")
    return 0


@contextlib.contextmanager
def _writing(settings: Settings, *, only_reading: bool = False):
    """The store to write a round through: the file, or the shared store's master
    (`only_reading`: the file, read-only when it cannot be written)."""
    from dashboard import store
    from dashboard.store import shared

    if only_reading and not settings.shared_store:
        con = store.open_for_reading(settings.db_path)[0]
        try:
            yield con
        finally:
            con.close()
        return
    if settings.shared_store:
        with shared.writing(settings.db_path) as con:
            yield con
        return
    con = store.connect(settings.db_path)
    try:
        yield con
    finally:
        con.close()


def _date(text: str, option: str) -> dt.date:
    """A date written ÅÅÅÅ-MM-DD (or DD.MM.ÅÅÅÅ), else BadDate naming the option."""
    text = text.strip()
    iso = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", text)
    norwegian = re.fullmatch(r"(\d{1,2})\.(\d{1,2})\.(\d{4})", text)
    try:
        if iso:
            return dt.date(*map(int, iso.groups()))
        if norwegian:
            day, month, year = map(int, norwegian.groups())
            return dt.date(year, month, day)
    except ValueError:
        pass
    raise BadDate(
        f"{option} «{text}» er ikke en dato. Skriv den som ÅÅÅÅ-MM-DD, for eksempel 2025-06-15."
    )


def cmd_round(args: argparse.Namespace) -> int:
    """Reporting rounds: open, send out (workbooks to a folder), take back, close."""
    from dashboard.service.rounds import closing, opening, sending

    settings = _settings(args)
    due = _date(args.due, "--due") if args.action == "open" and args.due else None
    with _writing(settings, only_reading=args.action == "export") as con:
        if args.action == "open":
            rid = opening.open_round(con, args.unit, args.plan, args.label, due, args.user)
            print(f"Runde nr. {rid} er åpnet: {args.unit} · {args.plan} · {args.label}")
        elif args.action == "export":
            folder = Path(args.out)
            folder.mkdir(parents=True, exist_ok=True)
            books = sending.workbooks(con, args.round)
            for name, data in books.items():
                (folder / name).write_bytes(data)
            print(f"{len(books)} arbeidsbøker skrevet til {folder}")
        elif args.action == "take-back":
            return _take_back(con, settings, args)
        elif args.action == "close":
            left_out = closing.close_round(con, args.round, args.user, args.without_unapproved)
            print(f"Runde nr. {args.round} er lukket.")
            if left_out:
                print(f"Ikke godkjent og ikke med i tallene: {', '.join(left_out)}.")
    return 0


def _take_back(con, settings, args: argparse.Namespace) -> int:
    """`round take-back`: every file checked on its own; a file that is missing or refused is
    a sentence naming it (exit 1) and the others are stored."""
    from dashboard.safe_text import shown_name
    from dashboard.service.rounds import saving, taking

    given = [Path(f) for f in args.files]
    missing = [problem for p in given if (problem := _not_a_file(p))]
    for problem in missing:
        print(shown_name(problem), file=sys.stderr)
    present = [p for p in given if not _not_a_file(p)]
    batch = taking.take_back(con, settings, args.round, [(p, p.name) for p in present])
    for f in batch.files:
        if f.error:
            print(f.error, file=sys.stderr)
        else:
            print(f"{f.name}: {f.summary}")
            for warning in f.warnings:
                print(f"  {f.name}: {warning}")
    saved = saving.save(con, batch, args.user) if batch.ready else []
    stored = [str(i) for _, i, _ in saved if i is not None]
    print(f"{len(stored)} filer lagret" + (f" (import nr. {', '.join(stored)})" if stored else ""))
    return 1 if missing or batch.refused else 0


def build_parser() -> argparse.ArgumentParser:
    """The command line's arguments: one subcommand per `cmd_*` function."""
    parser = argparse.ArgumentParser(prog="python -m dashboard", description="Målbilde")
    sub = parser.add_subparsers(dest="command", required=True)
    imp = sub.add_parser("import", help="importer arbeidsbøker (.xlsx)")
    imp.add_argument("files", nargs="+")
    imp.add_argument("--db", help="databasefil (standard data/malbilde.duckdb eller $MALBILDE_DB)")
    imp.add_argument("--unit", help="enhet, for eksempel MH eller MH-INB")
    imp.add_argument("--year", type=int, help="år, for eksempel 2023")
    imp.add_argument("--label", help="versjon, for eksempel «prognose oktober 2023»")
    imp.add_argument("--user", default=None, help="hvem som importerer (logges)")
    imp.set_defaults(func=cmd_import)
    summ = sub.add_parser("summary", help="nøkkeltall for det som er lagret")
    summ.add_argument("--db")
    summ.add_argument("--json", action="store_true")
    summ.add_argument(
        "--per", type=int, default=None, help="dataversjon (hendelse nr.), som «per» i en lenke"
    )
    summ.set_defaults(func=cmd_summary)
    demo = sub.add_parser("demo", help="bygg demodatabasen")
    demo.add_argument("--db")
    demo.add_argument("--force", action="store_true", help="bygg på nytt selv om fila finnes")
    demo.set_defaults(func=cmd_demo)
    back = sub.add_parser("backup", help="skriv en konsistent kopi av databasen")
    back.add_argument("target")
    back.add_argument("--db")
    back.set_defaults(func=cmd_backup)
    rnd = sub.add_parser("round", help="rapporteringsrunder: åpne, sende ut, ta imot, lukke")
    actions = rnd.add_subparsers(dest="action", required=True)
    opn = actions.add_parser("open", help="åpne en runde for en enhets plan")
    opn.add_argument("--unit", required=True, help="enheten runden åpnes for, for eksempel MH")
    opn.add_argument("--plan", required=True, help="planen, for eksempel «Handlingsplan 2019»")
    opn.add_argument("--label", required=True, help="rundens navn, for eksempel «Status juni 2025»")
    opn.add_argument("--due", help="frist, ÅÅÅÅ-MM-DD")
    exp = actions.add_parser("export", help="skriv hver enhets arbeidsbok til en mappe")
    exp.add_argument("round", type=int)
    exp.add_argument("--out", required=True)
    take = actions.add_parser("take-back", help="ta imot utfylte arbeidsbøker (eller zip)")
    take.add_argument("round", type=int)
    take.add_argument("files", nargs="+")
    cls = actions.add_parser("close", help="lukk runden")
    cls.add_argument("round", type=int)
    cls.add_argument(
        "--without-unapproved",
        action="store_true",
        help="lukk selv om noen svar ikke er godkjent (de telles ikke med i tallene)",
    )
    for action in (opn, exp, take, cls):
        action.add_argument("--db")
        action.add_argument("--user", default=None, help="hvem som gjør det (logges)")
        action.set_defaults(func=cmd_round)
    return parser


def _store_problem(exc: BaseException, args: argparse.Namespace) -> UserError | None:
    """The named exception when `exc` says the database cannot be written, else None."""
    from dashboard.store import access

    db = _settings(args).db_path
    ours = str(Path(db).resolve())
    if isinstance(exc, OSError) and not str(Path(exc.filename or "").resolve()).startswith(ours):
        return None  # another path (a workbook, a folder to write to): told as itself
    return access.problem(exc, db)


def main(argv: list[str] | None = None) -> int:
    """Run one command; a user error is printed in Norwegian with its option, exit code 2."""
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except UserError as exc:
        print(exc.render(cli=True), file=sys.stderr)
        return 2
    except OSError as exc:  # a path the user gave that cannot be read or written
        named = _store_problem(exc, args)
        print(named.render(cli=True) if named else os_problem(exc), file=sys.stderr)
        return 2
    except Exception as exc:  # a database error that means it cannot be written: a sentence
        named = _store_problem(exc, args)
        if named is None:
            raise
        print(named.render(cli=True), file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("Avbrutt; ingenting halvferdig er lagret.", file=sys.stderr)
        return 130

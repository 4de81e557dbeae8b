"""Upload, review and undo with AppTest; roles; templates; Excel export; concurrency; crash; backup."""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import threading
import time

import duckdb
import pytest
from openpyxl import load_workbook

from dashboard import auth, store
from dashboard.config import ROOT, Settings
from dashboard.ingest import templates
from dashboard.ingest.layouts.common import Overrides
from dashboard.ingest.pipeline import parse_file
from dashboard.present import export, tables
from dashboard.service.imports import import_file, store_result
from dashboard.store.backup import backup
from tests.conftest import EXAMPLES, make_workbook
from tests.helpers.app import AUTH_SECRETS, MIME, prognosis_bytes, upload_page

APP = str(ROOT / "dashboard" / "app.py")
PROG = ["Bevilgningsramme BFV", "Budsjett i år", "Prognose i år", "Prognostisert budsjettavvik"]


def counts(db) -> dict:
    con = duckdb.connect(str(db))  # same configuration as the app's connection in this process
    try:
        return {
            t: con.execute(f"select count(*) from {t}").fetchone()[0]
            for t in ("imports", "budget_figures", "measures")
        }
    finally:
        con.close()


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "up.duckdb"
    store.connect(path).close()
    return path


def test_good_file_shows_diff_then_saves(monkeypatch, db, tmp_path):
    settings = Settings.from_env(db)
    con = store.connect(db)
    import_file(
        con,
        make_workbook(
            tmp_path / "juni.xlsx",
            {"P": [["Prognose pr. juni 2023 (MH)"], PROG, ["Resultat", -100, -150, 50]]},
        ),
        settings,
    )
    con.close()
    at = upload_page(monkeypatch, db).run()
    at.file_uploader(key="opplasting").upload(
        "okt.xlsx", prognosis_bytes(tmp_path, "okt.xlsx", "oktober", -180), MIME
    ).run()
    assert not at.exception
    text = "\n".join(m.value for m in at.markdown)
    assert "**Oppsett:** Budsjettprognose" in text and "**Versjon:** prognose oktober 2023" in text
    assert "sammenlignet med lagret «prognose juni 2023»" in text
    moved = [d.value for d in at.dataframe if "Endring" in d.value.columns][0]
    assert dict(zip(moved["Tall"], moved["Endring"], strict=True)) == {
        "Prognose 2023": "\u221230",
        "Avvik 2023": "+30",
    }
    before = counts(db)
    assert before["imports"] == 1  # nothing stored before «Lagre»
    at.button(
        key=[b.key for b in at.button if b.key and b.key.startswith("lagre-")][0]
    ).click().run()
    assert not at.exception
    assert any("Lagret som import nr. 2" in s.value for s in at.success)
    assert counts(db)["imports"] == 2


def test_a_300_character_file_name_is_shown_and_saved(monkeypatch, db, tmp_path):
    name = "mh_prognose_oktober_2023_" + "x" * 280 + ".xlsx"
    at = upload_page(monkeypatch, db).run()
    at.file_uploader(key="opplasting").upload(
        name, prognosis_bytes(tmp_path, "p.xlsx", "oktober", -180), MIME
    ).run()
    assert not at.exception and not at.error
    at.button(key=[b.key for b in at.button if b.key and b.key.startswith("lagre-")][0]).click()
    at.run()
    assert any("Lagret som import nr. 1" in s.value for s in at.success)
    con = duckdb.connect(str(db))  # same configuration as the app's connection in this process
    assert con.execute("select file_name from imports").fetchone()[0] == name
    con.close()


def test_bad_file_shows_error_and_stores_nothing(monkeypatch, db, tmp_path):
    bad = make_workbook(
        tmp_path / "mh_hp_2019.xlsx",
        {"Status 2019": [["HP nr.", "Tiltak", "Status 0-5"], [1, "A", 9]]},
    )
    at = upload_page(monkeypatch, db).run()
    at.file_uploader(key="opplasting").upload("mh_hp_2019.xlsx", bad.read_bytes(), MIME).run()
    assert not at.exception
    shown = [e.value.replace("\\", "") for e in at.error]  # text from files is escaped Markdown
    assert any("Status 2019!C2" in e and "0 til 5" in e for e in shown)
    assert not [b for b in at.button if b.key and b.key.startswith("lagre-")]
    assert counts(db)["imports"] == 0


def test_undo_and_roll_back(monkeypatch, db, tmp_path):
    settings = Settings.from_env(db)
    con = store.connect(db)
    first = import_file(
        con,
        make_workbook(
            tmp_path / "a.xlsx",
            {"P": [["Prognose pr. mai 2023 (MH)"], PROG, ["Resultat", -1, -2, 1]]},
        ),
        settings,
    )
    second = import_file(
        con,
        make_workbook(
            tmp_path / "b.xlsx",
            {"P": [["Prognose pr. mai 2023 (MH)"], PROG, ["Resultat", -1, -5, 4]]},
        ),
        settings,
    )
    con.close()
    at = upload_page(monkeypatch, db).run()
    at.selectbox(key="angre_valg").set_value(second.import_id)
    at.button(key="angre").click().run()
    assert not at.exception  # asks first, and nothing has changed yet
    assert any("Angre importen: nr." in w.value for w in at.warning)
    con = store.connect(db)
    assert list(
        store.query(con, "prognosis_lines", {"unit": "MH", "label": "prognose mai 2023"})[
            "prognosis"
        ]
    ) == [-5]
    con.close()
    at.button(key="angre_ja").click().run()
    assert not at.exception
    assert any("er angret" in s.value for s in at.success)  # shown after the page reloaded
    at.run()
    assert any("er angret" in s.value for s in at.success)  # and stays on the screen
    con = store.connect(db)
    current = store.query(con, "prognosis_lines", {"unit": "MH", "label": "prognose mai 2023"})
    assert list(current["prognosis"]) == [-2]  # the first version is current again
    con.close()
    at.selectbox(key="tilbake_valg").set_value(second.import_id)
    at.button(key="tilbake").click().run()
    at.button(key="tilbake_nei").click().run()  # «Avbryt»: nothing happens
    assert not any(f"Versjon nr. {second.import_id} er gjeldende" in s.value for s in at.success)
    at.button(key="tilbake").click().run()
    at.button(key="tilbake_ja").click().run()
    assert any(f"Versjon nr. {second.import_id} er gjeldende" in s.value for s in at.success)
    con = store.connect(db)
    assert list(
        store.query(con, "prognosis_lines", {"unit": "MH", "label": "prognose mai 2023"})[
            "prognosis"
        ]
    ) == [-5]
    events = con.execute("select action, import_id from import_events order by event_id").fetchall()
    assert ("angret", second.import_id) in events and (
        "tilbakestilt til denne versjonen",
        second.import_id,
    ) in events
    assert first.import_id < second.import_id
    con.close()


@pytest.mark.parametrize(
    "email, can_upload", [("les@ntnu.no", False), ("okonomi@ntnu.no", True), ("sjef@ntnu.no", True)]
)
def test_role_gating(monkeypatch, db, tmp_path, email, can_upload):
    roles = tmp_path / "roles.toml"
    roles.write_text(
        'default = "leser"\n[users]\n"okonomi@ntnu.no" = "økonomi"\n"sjef@ntnu.no" = "admin"\n'
        '[domains]\n"ntnu.no" = "leser"\n',
        encoding="utf-8",
    )
    monkeypatch.setenv("MALBILDE_ROLES", str(roles))
    secrets = AUTH_SECRETS
    at = upload_page(
        monkeypatch, db, user={"email": email, "is_logged_in": True}, secrets=secrets
    ).run()
    assert not at.exception
    assert (len(at.get("file_uploader")) == 1) is can_upload
    assert len([b for b in at.button if b.key == "angre"]) == 0  # nothing to undo in an empty db
    assert not any("Lokal modus" in m.value for m in at.markdown)


def test_signed_out_user_sees_only_sign_in(monkeypatch, db):
    secrets = AUTH_SECRETS
    at = upload_page(monkeypatch, db, user={"is_logged_in": False}, secrets=secrets).run()
    assert [b.label for b in at.button] == ["Logg inn"]
    assert len(at.get("file_uploader")) == 0


def test_local_mode_banner(monkeypatch, db):
    at = upload_page(monkeypatch, db).run()
    assert any("Lokal modus" in m.value and "127.0.0.1" in m.value for m in at.markdown)


@pytest.fixture
def network_address():
    from streamlit import config

    before = config.get_option("server.address")
    config.set_option("server.address", "0.0.0.0")
    yield
    config.set_option("server.address", before)


def test_local_mode_on_the_network_is_refused(monkeypatch, db, network_address):
    monkeypatch.delenv(auth.OPEN_NETWORK_ENV, raising=False)
    at = upload_page(monkeypatch, db).run()
    assert any("ingen innlogging er satt opp" in e.value for e in at.error)
    assert len(at.get("file_uploader")) == 0 and not at.button


def test_local_mode_on_the_network_with_the_loud_opt_in(monkeypatch, db, network_address):
    monkeypatch.setenv(auth.OPEN_NETWORK_ENV, "1")
    at = upload_page(monkeypatch, db).run()
    assert any("åpen for nettverket uten innlogging" in m.value for m in at.markdown)
    assert len(at.get("file_uploader")) == 1


def test_signed_in_app_may_serve_the_network(monkeypatch, db, tmp_path, network_address):
    roles = tmp_path / "roles.toml"
    roles.write_text('default = "leser"\n[users]\n"sjef@ntnu.no" = "admin"\n', encoding="utf-8")
    monkeypatch.setenv("MALBILDE_ROLES", str(roles))
    user = {"email": "sjef@ntnu.no", "is_logged_in": True}
    at = upload_page(monkeypatch, db, user=user, secrets=AUTH_SECRETS).run()
    assert not at.error and len(at.get("file_uploader")) == 1


def test_exposure_rules():
    assert auth.exposure("127.0.0.1", False) is None and auth.exposure("localhost", False) is None
    assert auth.exposure("::1", False) is None
    assert auth.exposure("0.0.0.0", False) == "refused" and auth.exposure(None, False) == "refused"
    assert auth.exposure("10.0.0.5", True) == "open"


def test_roles_file(tmp_path):
    roles = tmp_path / "roles.toml"
    roles.write_text(
        'default = "leser"\nrestricted = ["MH-ISB"]\n[users]\n"a@ntnu.no" = "admin"\n'
        '"l@ntnu.no" = [{role = "leder", unit = "MH-INB"}, {role = "økonomi", unit = "MH-ISB"}]\n'
        '[domains]\n"ie.ntnu.no" = "økonomi"\n[groups]\n"fak-mh" = {role = "leder", unit = "MH"}\n',
        encoding="utf-8",
    )
    config = auth.load_roles(roles)
    admin = config.user("A@ntnu.no", None)
    assert admin.can("admin", "MH-INB") and admin.listed
    assert config.user("b@ie.ntnu.no", None).can("økonomi", "MH")
    outsider = config.user("c@uio.no", None)
    assert not outsider.listed and outsider.can("leser", "MH") and not outsider.can("rapportør")
    leader = config.user("l@ntnu.no", None)
    assert leader.can("leder", "MH-INB") and leader.can("rapportør", "MH-INB")
    assert not leader.can("leder", "MH-IKOM") and not leader.can("leder", "MH")
    assert leader.can("økonomi", "MH-ISB") and not leader.can("økonomi", "MH-INB")
    assert leader.units_for("leder") == ["MH-INB", "MH-ISB"]
    assert config.user("x@uio.no", None, ["FAK-MH"]).can("leder", "MH-IKOM")
    assert config.may_read(leader, "MH-ISB") and not config.may_read(outsider, "MH-ISB")
    assert config.may_read(outsider, "MH-INB") and not config.may_read(None, "MH")
    with pytest.raises(auth.NotAllowed, match="leder.*MH-IKOM"):
        auth.require(leader, "leder", "MH-IKOM", "godkjenne svar for MH-IKOM")
    roles.write_text('[users]\n"a@ntnu.no" = "sjef"\n', encoding="utf-8")
    with pytest.raises(auth.RolesFileError, match="sjef"):
        auth.load_roles(roles)


@pytest.mark.parametrize("key", list(templates.available(2024)))
def test_template_round_trip(tmp_path, key):
    data = templates.build(key, 2024)
    wb = load_workbook(io.BytesIO(data))
    ws = wb.worksheets[0]
    assert wb.sheetnames[-1] == "Instruksjoner" and ws.freeze_panes is not None
    header_row = next(r for r in range(1, 10) if ws.cell(r, 1).value and ws.cell(r, 2).value)
    ws["A1"] = ws["A1"].value.replace("ENHET", "MH").replace("MÅNED", "oktober")
    if ws["A2"].value:
        ws["A2"] = ws["A2"].value.replace("ENHET", "(MH)")
    fill = {
        "status_scores": [
            ["Utdanning", "HP 3", "Tiltak A", 3, "i gang"],
            ["Forskning", 12, "Tiltak B", 0, None],
        ],
        "status_text": [
            [
                "Forskning",
                "Tiltak A",
                "01.01.2024",
                "31.12.2024",
                "Under arbeid: forsinket",
                None,
                "2025",
            ]
        ],
        "strategy_goals": [["Kjerne", "Forskning", "Mål 1"], ["Kjerne", "Forskning", "Mål 2"]],
        "allocations": [["MH-INB", 100], ["MH-ISB", "-"], ["Sum", 100]],
        "indicator_defs": [["Utdanning", "Kandidater", "antall", "vekst", 0.15, 2018, 2025]],
        "indicator_values": [["MH", "Kandidater", None, None, None, None, 100, 110, 120]],
        "ledger": [["MH-INB", 2024, 1, "Lønn", -100, -110]],
        "income_mix": [["ISB", 30, 12, 14, 41, 3], ["Sum", 45, 18, 9, 25, 3]],
        "fte": [["MH", "januar 2024", "Vitenskapelige", 600], ["MH", "februar 2024", None, 20]],
        "cost_measures": [["Avganger", "Under arbeid", 500, 1000, 0, 0, 0, 800]],
        "space": [["Sykehusbygg", None, 5400]],  # under the pre-filled levels (blank ones)
        "grants": [["Bilyd", 60000, 22000], ["Medikus", 15000, "Avslått"]],
        "phd_degrees": [["IKOM", 40], ["ISB", 27], ["Sum", 67]],
        "plan_evaluation": [
            ["Forskning", "Tiltak A", "god", "Berørt av korona; underfinansiert", None],
            ["Formidling", "Tiltak B", "ikke gjennomført", "Underfinansiert", "Kuttet"],
        ],
        "measure_register": [
            [
                "Forskning",
                3,
                "Tiltak A",
                "Kari",
                "MH-INB",
                1200,
                1.5,
                800,
                "01.01.2024",
                "31.12.2025",
                "høy",
                "Én person",
                "1",
            ],
            [
                "Formidling",
                None,
                "Tiltak B",
                None,
                None,
                None,
                None,
                None,
                None,
                None,
                None,
                None,
                None,
            ],
        ],
    }
    amounts = {
        "IB": (10, 10, 0),
        "Resultat": (-5, -8, 3),
        "Inntekt": (100, 97, 3),
        "Bevilgning": (100, 97, 3),
        "Kostnad": (-105, -105, 0),
        "Lønn": (-105, -105, 0),
        "UB": (5, 2, 3),
    }
    if key in ("budget_prognosis", "budget_multiyear"):
        for r in range(header_row + 1, ws.max_row + 1):
            line = ws.cell(r, 1).value
            if line in amounts:
                values = amounts[line] if key == "budget_prognosis" else (amounts[line][0],) * 6
                for c, v in enumerate(values, start=2):
                    ws.cell(r, c, v)
        if key == "budget_multiyear":  # a consistent plan: UB = IB + Resultat, IB = last year's UB
            for c in range(2, 8):
                ib = 10 if c <= 3 else ws.cell(header_row + 14, c - 1).value
                for line, value in (
                    ("IB", ib),
                    ("Resultat", -5),
                    ("Inntekt", 100),
                    ("Bevilgning", 100),
                    ("Kostnad", -105),
                    ("Lønn", -105),
                    ("UB", ib - 5),
                ):
                    ws.cell(header_row + 1 + list(templates.BUDGET_LINES).index(line), c, value)
    else:
        for row in fill[key]:
            ws.append(row)
    path = tmp_path / f"mh_{key}_2024.xlsx"
    wb.save(path)
    result = parse_file(
        path,
        Settings.from_env(tmp_path / "t.duckdb"),
        Overrides(year=2024) if key == "status_text" else None,
    )
    parsed = result.parsed
    assert parsed.unit == ("MH-INB" if key == "ledger" else "MH")
    assert not [w for w in parsed.warnings if "hoppet over" in w]
    if key == "status_scores":
        assert [s["score"] for s in parsed.tables["status_reports"]] == [3, 0]
        assert [m["goal_no"] for m in parsed.tables["measures"]] == [3, 12]
    elif key == "status_text":
        assert parsed.tables["status_reports"][0]["category"] == "Forsinket"
    elif key == "plan_evaluation":
        a, b = parsed.tables["evaluations"]
        assert (a["grade"], a["causes"], b["grade"]) == (
            "god",
            "Berørt av korona; Underfinansiert",
            "ikke gjennomført",
        )
    elif key == "measure_register":
        a, b = parsed.tables["measures"]
        assert (a["owner"], a["owning_unit"], a["need_knok"], a["granted_knok"], a["risk"]) == (
            "Kari",
            "MH-INB",
            1200,
            800,
            "høy",
        )
        assert (b["need_knok"], b["granted_knok"], b["owner"]) == (None, None, None)
        assert parsed.tables["plans"][0]["plan"] == "Tiltaksplan 2024"
    elif key == "budget_prognosis":
        figures = {
            (r["line"], r["kind"]): r["amount_knok"] for r in parsed.tables["budget_figures"]
        }
        assert figures[("Resultat", "deviation")] == 3 and parsed.label == "prognose oktober 2024"
        assert parsed.warnings == []
    elif key == "budget_multiyear":
        assert {r["year"] for r in parsed.tables["budget_figures"]} == {
            2024,
            2025,
            2026,
            2027,
            2028,
        }
        assert parsed.warnings == []
    elif key == "strategy_goals":
        assert len(parsed.tables["goals"]) == 2
    elif key == "allocations":
        assert [(r["unit"], r["amount_knok"]) for r in parsed.tables["allocations"]][:2] == [
            ("MH-INB", 100),
            ("MH-ISB", None),
        ]
    elif key == "indicator_defs":
        assert parsed.tables["indicator_defs"][0]["kind"] == "growth"
    elif key == "indicator_values":
        assert [(v["year"], v["value"]) for v in parsed.tables["indicator_values"]] == [
            (2022, 100),
            (2023, 110),
            (2024, 120),
        ]
    elif key == "ledger":
        assert parsed.arrow_tables["budget_figures"].num_rows == 2


def test_export_neutralises_formulas():
    import pandas as pd

    frame = pd.DataFrame(
        {
            "Tiltak": ['=HYPERLINK("http://x")', "+1", "-2", "@SUM(A1)", "\tx", "\rx", "vanlig"],
            "Beløp": [1252736, -45785, 1.5, 0, 1, 2, 3],
        }
    )
    wb = load_workbook(io.BytesIO(export.to_excel(frame, "=tittel", "Data: test")))
    ws = wb.active
    assert ws["A1"].value == "'=tittel"
    texts = [ws.cell(r, 1).value for r in range(4, 11)]
    assert (
        texts[:5] == ['\'=HYPERLINK("http://x")', "'+1", "'-2", "'@SUM(A1)", "'\tx"]
        and texts[6] == "vanlig"
    )
    assert texts[5].startswith("'")  # «\r» is stored as a line break, behind the apostrophe
    assert all(ws.cell(r, 1).data_type == "s" for r in range(4, 11))
    # a column with a fraction in it is written with one decimal throughout
    assert ws["B4"].value == 1252736 and ws["B4"].number_format == tables.KINDS["num"][1]
    assert ws["A2"].value == "Data: test"


def test_export_writes_numbers_as_numbers_in_their_kind():
    import pandas as pd

    frame = pd.DataFrame(
        {
            "Linje": ["Lønn", "Drift"],
            "Budsjett": [-45785, 1252736],
            "Endring": [1200, -300],
            "Andel": [0.125, None],
            "År": [2023, 2024],
        }
    )
    kinds = (("Endring", "signed"), ("Andel", "pct"))
    ws = load_workbook(io.BytesIO(export.to_excel(frame, "t", formats=kinds))).active
    assert [ws.cell(4, c).value for c in range(1, 6)] == ["Lønn", -45785, 1200, 0.125, 2023]
    assert ws["B4"].number_format == tables.KINDS["int"][1]
    assert ws["C4"].number_format == tables.KINDS["signed"][1]
    assert ws["D4"].number_format == tables.KINDS["pct"][1] and ws["D5"].value is None
    assert ws["E4"].number_format == "0"
    shown = tables.shown(frame, kinds)
    assert list(shown.iloc[0]) == [
        "Lønn",
        "\u221245\u00a0785",
        "+1\u00a0200",
        "12,5\u00a0%",
        "2023",
    ]
    assert shown.iloc[1]["Andel"] == ""  # empty, never «None» or «nan»


def test_concurrent_saves_both_land_in_order(tmp_path):
    settings = Settings.from_env(tmp_path / "c.duckdb")
    con = store.connect(settings.db_path)
    results = [
        parse_file(
            make_workbook(
                tmp_path / f"p{i}.xlsx",
                {"P": [[f"Prognose pr. {m} 2023 (MH)"], PROG, ["Resultat", -1, -i, 1]]},
            ),
            settings,
        )
        for i, m in enumerate(["mars", "april", "mai", "juni"], start=1)
    ]
    errors = []

    def save(result):
        try:
            store_result(con.cursor(), result, user="t")
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=save, args=(r,)) for r in results]
    stop = threading.Event()
    seen = []

    def read():
        cur = con.cursor()
        while not stop.is_set():
            n = cur.execute(
                "select count(*) from current_budget where kind = 'prognosis'"
            ).fetchone()[0]
            pending = cur.execute(
                "select count(*) from budget_figures b join imports i using (import_id) "
                "where i.outcome <> 'ok'"
            ).fetchone()[0]
            seen.append((n, pending))

    reader = threading.Thread(target=read)
    reader.start()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    stop.set()
    reader.join()
    assert not errors
    assert con.execute("select count(*) from imports where outcome = 'ok'").fetchone()[0] == 4
    assert sorted(i for (i,) in con.execute("select import_id from imports").fetchall()) == [
        1,
        2,
        3,
        4,
    ]
    assert all(pending == 0 for _, pending in seen), "a reader saw facts of an unfinished import"
    con.close()


def test_killed_during_save_leaves_old_data_and_marks_failed(tmp_path):
    db = tmp_path / "k.duckdb"
    settings = Settings.from_env(db)
    con = store.connect(db)
    import_file(
        con,
        make_workbook(
            tmp_path / "a.xlsx",
            {"P": [["Prognose pr. mai 2023 (MH)"], PROG, ["Resultat", -1, -2, 1]]},
        ),
        settings,
    )
    con.close()
    before = counts(db)
    new = make_workbook(
        tmp_path / "b.xlsx", {"P": [["Prognose pr. juni 2023 (MH)"], PROG, ["Resultat", -1, -3, 2]]}
    )
    mark = tmp_path / "lagrer.txt"
    proc = subprocess.Popen(
        [sys.executable, "-m", "dashboard", "import", str(new), "--db", str(db)],
        cwd=ROOT,
        env=dict(os.environ, MALBILDE_TEST_PAUSE_IN_SAVE="60", MALBILDE_TEST_PAUSE_MARK=str(mark)),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 120
    while not mark.exists():  # the save is under way (its pending row is committed)
        assert proc.poll() is None, proc.stderr.read().decode(errors="replace")
        assert time.monotonic() < deadline, "the import never reached its save"
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    con = store.connect(db)  # «restart»: recovery marks the interrupted import failed
    rows = con.execute("select file_name, outcome from imports order by import_id").fetchall()
    con.close()
    assert rows == [("a.xlsx", "ok"), ("b.xlsx", "failed")]
    after = counts(db)
    assert after["budget_figures"] == before["budget_figures"]


def test_backup_and_restore(tmp_path):
    if not EXAMPLES.exists():
        pytest.skip("shared/examples not found")
    db = tmp_path / "main.duckdb"
    settings = Settings.from_env(db)
    con = store.connect(db)
    import_file(con, EXAMPLES / "mh_prognose_2023_10.xlsx", settings)
    con.close()
    target = backup(db, tmp_path / "kopi" / "backup.duckdb")
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "dashboard",
            "backup",
            str(tmp_path / "kopi2.duckdb"),
            "--db",
            str(db),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0 and "Sikkerhetskopi" in proc.stdout
    db.unlink()
    target.rename(db)  # restore: copy the backup over the database file
    con = store.connect(db)
    lines = store.query(con, "prognosis_lines", {"unit": "MH", "label": "prognose oktober 2023"})
    assert lines[lines["line"] == "Resultat"]["deviation_printed"].iloc[0] == 6504
    con.close()


@pytest.mark.parametrize("email, sees_rules", [("okonomi@ntnu.no", False), ("sjef@ntnu.no", True)])
def test_only_admins_edit_the_status_rules(monkeypatch, db, tmp_path, email, sees_rules):
    roles = tmp_path / "roles.toml"
    roles.write_text(
        'default = "leser"\n[users]\n"okonomi@ntnu.no" = "økonomi"\n"sjef@ntnu.no" = "admin"\n',
        encoding="utf-8",
    )
    rules = tmp_path / "rules.toml"
    rules.write_text(
        (ROOT / "dashboard" / "rules" / "status_categories.toml").read_text(encoding="utf-8"),
        encoding="utf-8",
    )
    monkeypatch.setenv("MALBILDE_ROLES", str(roles))
    monkeypatch.setenv("MALBILDE_STATUS_RULES", str(rules))
    secrets = AUTH_SECRETS
    at = upload_page(
        monkeypatch, db, user={"email": email, "is_logged_in": True}, secrets=secrets
    ).run()
    assert not at.exception
    assert ("Regeltabell for tekststatus" in [h.value for h in at.header]) is sees_rules
    if sees_rules:
        at.button(key="lagre_regler").click().run()
        assert any("Regeltabellen er lagret" in s.value for s in at.success)
        from dashboard.ingest.layouts.status import raw_rules

        assert raw_rules(rules)[0] == ("ikke igangsatt", "Ikke igangsatt")


def test_backup_from_the_command_line_while_the_app_serves(tmp_path):
    """The app holds the database; `python -m dashboard backup` asks it for a consistent copy,
    which restores to the same figures."""
    from tests.browser import serve

    db = tmp_path / "i_bruk.duckdb"
    store_one_prognosis(db, tmp_path)
    before = counts(db)
    target = tmp_path / "kopier" / "kopi.duckdb"
    with serve(db) as url:
        import urllib.request

        urllib.request.urlopen(url + "/", timeout=30).read()  # a visit opens the connection
        busy = None
        for _ in range(100):  # the app opens the database on its first script run
            try:
                duckdb.connect(str(db), read_only=True).close()
            except duckdb.IOException:
                busy = True
                break
            _open_a_session(url)
        assert busy, "the app never opened its database"
        proc = run_backup(target, db)
        assert proc.returncode == 0, proc.stderr
        assert "Sikkerhetskopi skrevet til" in proc.stdout
        again = run_backup(target, db)  # never over an existing file
        assert again.returncode == 2 and "finnes allerede" in again.stderr
    restored = tmp_path / "gjenopprettet.duckdb"
    target.rename(restored)
    assert counts(restored) == before


def store_one_prognosis(db, tmp_path) -> None:
    con = store.connect(db)
    path = make_workbook(
        tmp_path / "okt.xlsx",
        {"P": [["Prognose pr. oktober 2023 (MH)"], PROG, ["Resultat", -100, -150, 50]]},
    )
    import_file(con, path, Settings.from_env(db))
    con.close()


def run_backup(target, db) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "dashboard", "backup", str(target), "--db", str(db)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=180,
    )


def _open_a_session(url: str) -> None:
    """Run the app's script once, as a browser visit does (the connection opens then)."""
    from playwright.sync_api import sync_playwright

    from tests.browser import launch, wait_for_app

    with sync_playwright() as p:
        browser = launch(p)
        page = browser.new_page()
        page.goto(url)
        wait_for_app(page)
        browser.close()


def test_admin_takes_a_backup_in_the_app(monkeypatch, db, tmp_path):
    store_one_prognosis(db, tmp_path)
    before = counts(db)
    at = upload_page(monkeypatch, db).run()  # local mode: all rights
    at.button(key="sikkerhetskopi").click().run()
    assert not at.exception
    assert any("Sikkerhetskopi lagret" in s.value for s in at.success)
    copies = list((db.parent / "backups").glob("malbilde-*.duckdb"))
    assert len(copies) == 1
    assert [b for b in at.get("download_button") if b.label == "Last ned sikkerhetskopien"]
    assert counts(copies[0]) == before


def test_undoing_an_earlier_round_says_the_pages_keep_their_figures(monkeypatch, tmp_path):
    """The demo's April prognosis is an earlier round: undoing it changes nothing the pages
    show, and the question and the answer say so."""
    from tests.helpers.demo import demo_copy

    db = demo_copy(tmp_path / "demo.duckdb")
    con = store.connect(db)
    april = con.execute(
        "select import_id from imports where label = 'prognose april 2023'"
    ).fetchone()[0]
    con.close()
    at = upload_page(monkeypatch, db).run()
    at.selectbox(key="angre_valg").set_value(april)
    at.button(key="angre").click().run()
    (asked,) = [w.value for w in at.warning if "Angre importen: nr." in w.value]
    assert "tidligere runde: sidene viser fortsatt den nyeste" in asked
    assert "blir gjeldende igjen" not in asked
    at.button(key="angre_ja").click().run()
    assert not at.exception
    assert any("tallene på sidene er de samme som før" in s.value for s in at.success)

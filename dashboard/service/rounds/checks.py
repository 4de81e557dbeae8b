"""Checking a returned workbook against what the round sent out, and the files of a batch against each other."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from dashboard import round_format
from dashboard.errors import UserError
from dashboard.ingest.layouts import round_return
from dashboard.service.rounds.codes import control_code, row_check, same_code
from dashboard.service.rounds.common import RENEW, given, short
from dashboard.service.rounds.preview import differs
from dashboard.service.rounds.returned import Returned
from dashboard.text import normalise


@dataclass
class Sent:
    """What the round sent out, as a returned file is checked against it."""

    round: pd.Series
    key: bytes  # the server's key of the control codes
    asked: dict[str, list[dict]]  # the measures asked, per unit
    ended: list[dict]  # the measures ended in the round

    def owner(self, row_key: str) -> str | None:
        """The unit a key belongs to in the round (asked or ended), if any."""
        for row in (*(x for rows in self.asked.values() for x in rows), *self.ended):
            if row["key"] == row_key:
                return row["unit"]
        return None


def check_own(result: Returned, content: round_return.ReturnContent, sent: Sent) -> None:
    """The file's own checks, before any check against the other files of the batch: the
    control code is the one of the unit it names, every key is one of that unit's, and every
    row carries its check value and the measure sent out with its key. An ended measure's row
    is passed over with a note. The first fault found is the file's error."""
    try:
        _check_code(content, sent)
        _check_keys(content, sent)
        _check_rows(content, sent)
    except UserError as exc:
        result.error = exc.render()
        return
    for row in sent.ended:
        if row["unit"] == content.unit and row["key"] in content.rows:
            del content.rows[row["key"]]
            reason = f" ({short(row['ended_reason'])})" if given(row["ended_reason"]) else ""
            result.warnings.append(
                f"Tiltak {row['key']} «{short(row['title'])}» er avsluttet i runden{reason}; "
                f"raden ({content.key_cells[row['key']]}) er hoppet over."
            )


def _check_code(content: round_return.ReturnContent, sent: Sent) -> None:
    r, cells = sent.round, content.about_cells
    where = cells.get("Kontrollkode", round_format.ABOUT_SHEET)
    if same_code(content.token, r["token"]):
        raise UserError(
            "Arbeidsboka ble sendt ut før hver enhet fikk sin egen kontrollkode, og kan ikke tas "
            f"imot. {RENEW}",
            file=f"{content.file}, {where}",
        )
    if not same_code(content.token, control_code(sent.key, r, content.unit)):
        raise UserError(
            f"Kontrollkoden «{short(content.token, 30)}» hører ikke til enheten "
            f"«{short(content.unit, 30)}» ({cells.get('Enhet', 'Enhet')}) i runden "
            f"«{r['label']}». «Enhet» og kontrollkoden må ikke endres; en enhet kan bare svare "
            f"i sin egen arbeidsbok. {RENEW}",
            file=f"{content.file}, {where}",
        )
    if content.unit not in sent.asked and not any(x["unit"] == content.unit for x in sent.ended):
        raise UserError(
            f"Arbeidsboka er for {content.unit}, som ikke er med i runden «{r['label']}».",
            file=content.file,
        )


def _check_keys(content: round_return.ReturnContent, sent: Sent) -> None:
    unit = content.unit
    keys = [row["key"] for row in sent.asked.get(unit, [])]
    for key in content.rows:
        owner = sent.owner(key)
        if owner == unit:
            continue
        why = (
            f"tilhører {owner}, ikke {unit}"
            if owner
            else f"finnes ikke i runden (nøklene for {unit} er {keys[0]} … {keys[-1]})"
            if keys
            else "finnes ikke i runden"
        )
        raise UserError(
            f"Nøkkelen «{short(key, 30)}» {why}. Nøkler må ikke endres.",
            file=f"{content.file}, {content.key_cells[key]}",
        )


def _check_rows(content: round_return.ReturnContent, sent: Sent) -> None:
    """Each row has the check value of its key and the measure sent out with that key."""
    if content.rows and not content.has_checks:
        raise UserError(
            f"Arket «{round_format.STATUS_SHEET}» mangler kolonnen "
            f"«{round_format.CHECK_HEADER}» (skjult, etter «Planlagt slutt»), som forteller "
            f"hvilket tiltak hver rad er. {RENEW}",
            file=content.file,
        )
    measures = {row["key"]: row for row in (*sent.asked.get(content.unit, []), *sent.ended)}
    for key, answer in content.rows.items():
        measure = measures[key]
        wanted = row_check(sent.key, sent.round, content.unit, key, measure["measure_key"])
        if not same_code(answer.check, wanted):
            raise UserError(
                f"Kontrollverdien på raden passer ikke til nøkkelen «{key}» "
                f"({content.key_cells[key]}): nøkler og kontrollverdier må ikke endres eller "
                f"flyttes mellom rader. {RENEW}",
                file=f"{content.file}, {answer.check_cell}",
            )
        if normalise(answer.title) != normalise(measure["title"]):
            raise UserError(
                f"Tiltaket på raden («{short(answer.title or '')}») er ikke det som ble sendt ut "
                f"med nøkkelen «{key}» («{short(measure['title'])}»). Nøkler og tiltakstekster "
                f"må ikke endres. {RENEW}",
                file=f"{content.file}, {answer.title_cell}",
            )


def check_round(round_id: int, _unit: str, _code: str, r: pd.Series, name: str) -> None:
    """The workbook is of this round, and the round is open (its unit's control code is
    checked with the file's other checks, `check_own`)."""
    if round_id != int(r["round_id"]):
        raise UserError(
            f"Arbeidsboka er for en annen rapporteringsrunde (runde-ID {round_id}), ikke "
            f"for «{r['plan']} · {r['label']}» (runde-ID {r['round_id']}).",
            file=name,
        )
    if r["closed"]:
        raise UserError(
            f"Runden «{r['label']}» er lukket; svar kan ikke tas imot lenger.", file=name
        )


def cross_check(
    read: list[tuple[Returned, round_return.ReturnContent | None]], asked: dict[str, list[dict]]
) -> None:
    """The same measure answered differently in two files of the batch: both are refused. A
    cell that still says what was sent out (the owner, the planned end, the stored answer) is
    no answer: two halves of one unit's measures in two files are both taken."""
    sent = {row["key"]: row for rows in asked.values() for row in rows}
    seen: dict[str, tuple[Returned, round_return.Answer]] = {}
    for result, content in read:
        if content is None:
            continue
        for key, answer in content.rows.items():
            if not (differs(answer, sent[key]) if key in sent else _has_answer(answer)):
                continue
            if key in seen:
                other, earlier = seen[key]
                if _content(earlier) != _content(answer) and other is not result:
                    message = (
                        f"Tiltak {key} er besvart både i {other.name} ({earlier.cell}) og i "
                        f"{result.name} ({answer.cell}), med ulike svar. Send én av filene."
                    )
                    for r in (other, result):
                        if r.error is None:
                            r.error = f"{r.name}: {message}"
            else:
                seen[key] = (result, answer)


def _has_answer(a: round_return.Answer) -> bool:
    return any(v is not None for v in (a.score, a.category, a.comment, a.owner, a.planned_end))


def _content(a: round_return.Answer) -> tuple:
    return (a.score, a.category, a.status_text, a.comment, a.owner, a.planned_end)

"""Reporting rounds, the write side, one module per step: `opening` (open a round, add or end
measures), `sending` (every unit's workbook), `taking` (take returned workbooks back: checked
by `checks`, unpacked by `unpack`, previewed by `preview`), `saving` (store them), `closing`
(close the round); `common` and `codes` are shared by them.

This package re-exports only the short list below, the calls the «Rapporteringsrunder» page
and the tests make; other code imports the submodule it needs."""

from dashboard.service.rounds.closing import close_round, unapproved
from dashboard.service.rounds.codes import control_code
from dashboard.service.rounds.common import RoundRefused, progress
from dashboard.service.rounds.opening import add_measure, end_measure, open_round
from dashboard.service.rounds.returned import Batch, Returned
from dashboard.service.rounds.saving import save
from dashboard.service.rounds.sending import unit_file_name, unit_workbook, workbooks, zip_workbooks
from dashboard.service.rounds.taking import take_back

__all__ = [
    "Batch",
    "Returned",
    "RoundRefused",
    "add_measure",
    "close_round",
    "control_code",
    "end_measure",
    "open_round",
    "progress",
    "save",
    "take_back",
    "unapproved",
    "unit_file_name",
    "unit_workbook",
    "workbooks",
    "zip_workbooks",
]

"""What taking back a batch of returned workbooks found: one `Returned` per file, in a `Batch`."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Returned:
    """One returned file: refused (`error`), or what it holds and what saving it would do."""

    name: str
    error: str | None = None
    unit: str | None = None
    sha256: str = ""
    answers: list[dict] | None = None  # the status rows to store (earlier answers kept)
    new: int = 0  # measures answered or changed in this file
    asked: int = 0
    answered: int = 0  # measures with a status after saving
    changed_status: int = 0  # of those, a status other than last round's
    warnings: list[str] = field(default_factory=list)
    replaces: int | None = None  # the unit's earlier return in this round
    changes: list[dict] = field(default_factory=list)  # what the file says new, per measure
    nothing_new: bool = False

    @property
    def ok(self) -> bool:
        """The file can be saved: no error and something new."""
        return self.error is None and not self.nothing_new

    @property
    def summary(self) -> str:
        """One Norwegian sentence on what saving this file would do, or why it is refused."""
        if self.error:
            return self.error
        if self.nothing_new:
            return "Ingen nye svar i fila: ingenting blir endret."
        text = (
            f"{self.unit}: {self.new} tiltak med nye svar; etter lagring har {self.answered} av "
            f"{self.asked} tiltak status, {self.changed_status} av dem en annen enn i forrige runde."
        )
        if self.replaces:
            text += f" Erstatter innlevering nr. {self.replaces} (svarene der beholdes der denne fila er tom)."
        return text


@dataclass
class Batch:
    """The returned workbooks taken back together for one round."""

    round_id: int
    label: str
    files: list[Returned]

    @property
    def ready(self) -> list[Returned]:
        """The files that can be saved."""
        return [f for f in self.files if f.ok]

    @property
    def refused(self) -> list[Returned]:
        """The files refused, each with its reason."""
        return [f for f in self.files if f.error]

"""An allocation of grants: applied, granted and refused against what the pool holds."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import pandas as pd

from dashboard.numbers import fmt_int, fmt_pct


@dataclass
class GrantFigures:
    """`rows`: economy_grants rows of one pool; `parts`: economy_pools rows of it."""

    unit: str
    pool: str
    rows: pd.DataFrame
    parts: pd.DataFrame

    @cached_property
    def applicants(self) -> int:
        """How many applied (one row per applicant)."""
        return len(self.rows)

    @cached_property
    def applied(self) -> float | None:
        """The amount applied for in all, kroner (None: no amount stated)."""
        total = self.rows["applied_kr"].sum(min_count=1)
        return None if pd.isna(total) else float(total)

    @cached_property
    def granted(self) -> float:
        """The amount granted in all, kroner."""
        return float(self.rows["granted_kr"].fillna(0).sum())

    @cached_property
    def refused(self) -> int:
        """How many applications were refused."""
        return int(self.rows["refused"].astype(bool).sum())

    @cached_property
    def total(self) -> float | None:
        """What the pool holds: its stated total, else the sum of its parts (kroner)."""
        stated = self.parts[self.parts["is_total"].astype(bool)]
        if not stated.empty:
            return float(stated["amount_kr"].iloc[0])
        parts = self.parts[~self.parts["is_total"].astype(bool)]
        return float(parts["amount_kr"].sum()) if not parts.empty else None

    @cached_property
    def gap(self) -> float | None:
        """Applied for − what the pool holds."""
        return None if self.applied is None or self.total is None else self.applied - self.total

    @cached_property
    def to_cut(self) -> float | None:
        """Granted − what the pool holds: what must still be cut (0 when within it)."""
        return None if self.total is None else max(self.granted - self.total, 0.0)

    @cached_property
    def table(self) -> pd.DataFrame:
        """Applicant, applied, granted, decision — and a «Sum» row."""
        r = self.rows
        decision = [
            "Avslått" if ref else ("Tildelt" if pd.notna(g) else "Ikke avgjort")
            for ref, g in zip(r["refused"].astype(bool), r["granted_kr"], strict=True)
        ]
        out = pd.DataFrame(
            {
                "applicant": r["applicant"].tolist(),
                "applied": r["applied_kr"].tolist(),
                "granted": [
                    None if ref else g for ref, g in zip(r["refused"], r["granted_kr"], strict=True)
                ],
                "decision": decision,
            }
        )
        total = pd.DataFrame(
            [
                {
                    "applicant": f"Sum ({self.applicants} søkere)",
                    "applied": self.applied,
                    "granted": self.granted,
                    "decision": f"{self.refused} avslått",
                }
            ]
        )
        return pd.concat([out, total], ignore_index=True)

    @cached_property
    def totals(self) -> pd.DataFrame:
        """The allocation's figures in one table: applied, the pool and its parts, the gap,
        granted and what must still be cut (kroner)."""
        rows = [("Søkt om", self.applied)]
        for part in self.parts[~self.parts["is_total"].astype(bool)].itertuples():
            rows.append((f"  {part.part}", part.amount_kr))
        rows += [
            ("Til fordeling", self.total),
            ("Differanse (søkt − til fordeling)", self.gap),
            ("Tildelt", self.granted),
            ("Må fortsatt kutte", self.to_cut),
        ]
        return pd.DataFrame(rows, columns=["figure", "amount"])

    @cached_property
    def granted_share(self) -> float | None:
        """The share of the amount applied for that was granted (None: nothing applied)."""
        return self.granted / self.applied if self.applied else None

    @cached_property
    def big_numbers(self) -> list[tuple[str, str]]:
        """The deck's big numbers of the allocation: (number, what it is)."""
        big = []
        if self.applied is not None:
            big.append((f"{fmt_int(self.applied)} kr", f"søkt om av {self.applicants} søkere"))
        if self.total is not None:
            big.append((f"{fmt_int(self.total)} kr", "til fordeling"))
        if self.gap is not None:
            big.append((f"{fmt_int(self.gap)} kr", "differanse"))
        if self.to_cut:
            big.append((f"{fmt_int(self.to_cut)} kr", "må fortsatt kuttes"))
        elif self.granted_share is not None:
            big.append((fmt_pct(self.granted_share, 0), "av det søkte er tildelt"))
        return big

    @cached_property
    def heading(self) -> str:
        """«Fordeling: …» over the allocation."""
        return f"Fordeling: {self.pool}"

    @cached_property
    def subtitle(self) -> str:
        """The line under the allocation's title on the slide."""
        return f"{self.pool} · {self.refused} søknader avslått"

    @cached_property
    def title(self) -> str:
        """«32 søkere ba om 1 283 147 kr; 334 292 kr er til fordeling – må fortsatt kutte
        44 555 kr» (the parts that are known)."""
        head = f"{self.applicants} søkere"
        if self.applied is not None:
            head += f" ba om {fmt_int(self.applied)} kr"
        if self.total is None:
            return head
        head += f"; {fmt_int(self.total)} kr er til fordeling"
        if self.to_cut:
            return f"{head} – må fortsatt kutte {fmt_int(self.to_cut)} kr"
        return head

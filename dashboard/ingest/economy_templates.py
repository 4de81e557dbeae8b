"""«Last ned mal» for the faculty's economy (issue 26): income by kind, årsverk, cost measures,
space and grant applications — each with the header the importer recognises and a short
instruction in Norwegian (templates.py builds the workbooks)."""

from __future__ import annotations

from dashboard.vocab import Layout

NOTE = "Enhet og år leses fra tittelen eller filnavnet, eller oppgis ved opplasting."


def economy_templates(year: int, template: type) -> list:
    """The six templates (`template`: templates.Template)."""
    return [
        template(
            str(Layout.INCOME_MIX),
            "Inntekter per type (andeler eller beløp per enhet)",
            "Inntekter",
            [f"Inntekter per type {year}, andel i % (ENHET)"],
            ["Enhet", "Basis", "Utdanning", "Forskning", "BOA", "Annet"],
            instructions=[
                "Én rad per enhet (institutt), og gjerne en rad «Sum» for hele enheten.",
                "Andeler i prosent (41 eller «41 %») som summerer til 100 per rad, eller beløp "
                "i 1000 kr (skriv «1000 kr» i tittelen): da regnes andelene ut.",
                "En rad som ikke summerer til 100 % gir en advarsel. Kolonnen «År» kan legges "
                "til for flere år i samme ark.",
                NOTE,
            ],
        ),
        template(
            str(Layout.PHD_DEGREES),
            "Avlagte doktorgrader per enhet",
            "Avlagte PhD",
            [f"Avlagte PhD {year} (ENHET)"],
            ["Institutt", "Avlagte PhD"],
            instructions=[
                "Én rad per institutt med antall avlagte doktorgrader (ph.d.) i året, og gjerne "
                "en rad «Sum» for hele enheten (den kontrolleres mot radene over).",
                "Kolonnen «År» kan legges til for flere år i samme ark. En eksport fra DBH "
                "(doktorgrader per institutt) tas også imot.",
                NOTE,
            ],
        ),
        template(
            str(Layout.FTE),
            "Årsverk per enhet og periode",
            "Årsverk",
            [f"Årsverk {year} (ENHET)"],
            ["Enhet", "Periode", "Kategori", "Årsverk"],
            lists={
                "Kategori": (
                    "Vitenskapelige",
                    "Teknisk-administrative",
                    "Stipendiater og postdoktorer",
                )
            },
            instructions=[
                "Én rad per enhet, periode og kategori. Periode er en måned («januar "
                f"{year}», «{year}-01») eller et år; «Budsjett {year}» gir årsverkene i "
                "budsjettet.",
                "Kategori kan stå tom.",
                NOTE,
            ],
        ),
        template(
            str(Layout.COST_MEASURES),
            "Kostnadstiltak (planlagt effekt per år, realisert effekt, status)",
            "Tiltak",
            [f"Kostnadsreduksjon og effekt av tiltak {year}–{year + 4}, ENHET (1000 kr)"],
            ["Tiltak", "Status", *[str(year + i) for i in range(5)], "Realisert effekt"],
            rows=[["Kostnad uten tiltak"], ["Mål"]],
            amount_columns=(*[str(year + i) for i in range(5)], "Realisert effekt"),
            instructions=[
                "Én rad per tiltak med planlagt innsparing per år (1000 kr) og realisert "
                "effekt hittil.",
                "Radene «Kostnad uten tiltak» og «Mål» gir kostnadsbanen tiltakene måles mot. "
                "En rad «Sum tiltak» eller «Sum tiltak (akk)» kontrolleres.",
                NOTE,
            ],
        ),
        template(
            str(Layout.SPACE),
            "Areal (nivå, bygningstype, kvm, kr per kvm)",
            "Areal",
            [f"Areal {year}, ENHET"],
            ["Nivå", "Bygningstype", "Kvm", "Kr per kvm", "Kvm per årsverk"],
            rows=[["Institutt"], ["Fakultet"], ["NTNU"]],
            instructions=[
                "Per nivå: kr per kvm og hvor mange kvm som må kuttes for å spare ett årsverk "
                "(eller «Kostnad per årsverk» i kr, så regnes det ut).",
                "Per bygningstype (Sykehusbygg, Andre bygg): antall kvm.",
                NOTE,
            ],
        ),
        template(
            str(Layout.GRANTS),
            "Søknader og tildelinger (søker, søkt, tildelt eller «Avslått»)",
            "Søknader",
            [f"Fordeling av midler {year} – ENHET", "Til fordeling: 0"],
            ["Søker", "Søkt om (kr)", "Tildelt (kr)"],
            instructions=[
                "Én rad per søker: søkt beløp og tildelt beløp i kroner, eller «Avslått».",
                "Over tabellen: hva som er til fordeling («Til fordeling: 334 292», eller "
                "«Grunnbeløp» og «Rest fra 2023» på hver sin linje).",
                NOTE,
            ],
        ),
    ]

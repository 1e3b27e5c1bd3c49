"""Realistic synthetic listings in the source format, for the benchmarks.

N items spread over the years, newest first, with titles and summaries built
from sentences of the kind the seed has: one to three paragraphs, the "read
more" trailers with their runs of dots, no-break spaces after dates and inside
sentences, stories about trafficking, smuggling, both or neither, and the
seed's anomalies at the seed's rate (of 30 items: two out of order, one
summary copied onto another story). Deterministic from a seed number.

Usage: python benchmarks/generate.py N [--seed S] [--start I] [--stop J] > listing.txt
(--start and --stop: only items I to J - 1 of the N, the newest being item 0.)
"""

from __future__ import annotations

import argparse
import random
import sys
from datetime import date, timedelta

NBSP = "\u00a0"
MONTHS = [
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
]  # fmt: skip
PLACES = [
    "Nigeria", "Brazil", "North Macedonia", "Kenya", "Uganda", "Afghanistan", "Jordan", "Lebanon", "Malawi",
    "Iraq", "Austria", "Canada", "South Eastern Europe", "West Africa", "the Sahel", "Central America",
]  # fmt: skip
TOPICS = {
    "trafficking": [
        "Human Trafficking", "Trafficking in Persons", "Labour Exploitation", "Forced Labour",
        "Victims of Trafficking",
    ],
    "smuggling": ["Migrant Smuggling", "Smuggling of Migrants", "Smuggled Migrants", "Migrant Smugglers"],
    "both": ["Human Trafficking and Migrant Smuggling", "Trafficking and Smuggling Networks"],
    "neither": ["Crime Prevention", "Criminal Justice Cooperation", "Border Management"],
}  # fmt: skip
TITLES = [
    "UNODC Supports {place} to Counter {topic}",
    "{place} Takes Steps Against {topic}",
    "New Report on {topic} in {place}",
    "Regional Meeting on {topic} Held in {place}",
    "{topic}: The Key to Convictions in {place}",
]
SENTENCES = [
    "Criminal networks in {place} continue to profit from {lower}, while prosecutions remain rare.",
    "The United Nations Office on Drugs and Crime (UNODC) brought together over {n} officials from "
    "{m} countries to discuss {lower}.",
    "A new publication analyses the impact of COVID-19 on {lower} in {place}.",
    "Authorities are now working closely with UNODC through the{nbsp} STARSOM{nbsp} project.",
    "Victims and survivors need protection, and those responsible must be brought to justice.",
    "The event focused on measures to prevent {lower} while protecting the rights of the people affected.",
    'Participants called for "better access to pathways for regular migration" & stronger cooperation.',
]
TRAILERS = ["...... read more", ".... read more", "... more", f"...{NBSP}more", f".{NBSP}more", f" ....{NBSP}more"]


FIRST = date(2022, 1, 20)
# About one story every three days, as on the page, but never before 1990 (a listing that old is a
# typo to the normalizer): large listings put several stories on one day.
SPAN_DAYS = (FIRST - date(1991, 1, 1)).days


def items(count: int, seed: int) -> list[tuple[date, str, list[str]]]:
    chance = random.Random(seed)
    span = min(3 * count, SPAN_DAYS)
    result = []
    for n in range(count):
        day = FIRST - timedelta(days=n * span // count)
        kind = chance.choices(list(TOPICS), weights=[5, 4, 2, 1])[0]
        topic = chance.choice(TOPICS[kind])
        place = chance.choice(PLACES)
        title = chance.choice(TITLES).format(place=place, topic=topic) + f" ({n})"  # unique titles
        paragraphs = [
            " ".join(
                chance.choice(SENTENCES).format(
                    place=place, lower=topic.lower(), n=chance.randint(20, 800), m=chance.randint(3, 100), nbsp=NBSP
                )
                for _ in range(chance.randint(1, 3))
            )
            for _ in range(chance.choice([1, 1, 2, 3]))
        ]
        # A dateline, as press releases start: without it, summaries drawn from the same few sentences
        # would repeat by chance, and read as copied summaries far above the seed's rate.
        dateline = f"{place.removeprefix('the ').upper()}, {day.day} {MONTHS[day.month - 1]} {day.year} \u2013 "
        paragraphs[0] = dateline + paragraphs[0]
        paragraphs[-1] = paragraphs[-1].rstrip(".") + chance.choice(TRAILERS)
        result.append((day, title, paragraphs))
    # The seed's anomalies, at its rate: per 30 items, one pair listed out of order
    # and one summary copied onto the next story.
    for start in range(0, count - 3, 30):
        block = chance.randrange(start, min(start + 27, count - 3))
        result[block], result[block + 1] = result[block + 1], result[block]
        day, title, _ = result[block + 2]
        result[block + 2] = (day, title, list(result[block + 1][2]))
    return result


def listing(count: int, seed: int = 2021, start: int = 0, stop: int | None = None) -> str:
    """The listing of `count` items, or of `items[start:stop]` of them (the newest is item 0)."""
    lines = []
    for day, title, paragraphs in items(count, seed)[start:stop]:
        nbsp = NBSP if day.day % 3 == 0 else ""
        lines += [f"{day.day:02d} {MONTHS[day.month - 1]} {day.year}{nbsp}", title, "", *paragraphs, ""]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("count", type=int)
    parser.add_argument("--seed", type=int, default=2021)
    parser.add_argument("--start", type=int, default=0)
    parser.add_argument("--stop", type=int, default=None)
    arguments = parser.parse_args()
    sys.stdout.write(listing(arguments.count, arguments.seed, arguments.start, arguments.stop))


if __name__ == "__main__":
    main()

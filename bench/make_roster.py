"""Write a synthetic roster CSV for timing ``flask roster import`` (docs/benchmarks.md).

Usage: python bench/make_roster.py ROWS FILE [DEPARTMENT_SLUG ...]
Names carry accents and apostrophes; job titles cover every job family.
"""

from __future__ import annotations

import csv
import random
import sys

FIRST = ["Zoë", "Seán", "Maria", "Kwame", "Nguyễn", "Aoife", "José", "Li", "Fatima", "Renée", "Sam", "Olu"]
LAST = ["O'Brien", "Okafor", "López", "Mensah", "D'Arcy", "Nakamura", "Müller", "Smith", "García", "Adébáyọ̀"]
TITLES = ["Registered Nurse", "Physician", "Patient Transport Aide", "Food Service Worker", "Security Officer",
          "Environmental Services Associate", "Respiratory Therapist", "Unit Coordinator", "Nurse Manager"]  # fmt: skip


def main() -> None:
    rows, path, *slugs = sys.argv[1:]
    slugs = slugs or ["hospital"]
    generator = random.Random(6)
    with open(path, "w", newline="", encoding="utf-8-sig") as file:
        writer = csv.writer(file, lineterminator="\r\n")
        writer.writerow(["employee_id", "name", "email", "job_title", "department", "role", "active"])
        for number in range(int(rows)):
            name = f"{generator.choice(FIRST)} {generator.choice(LAST)}"
            writer.writerow(
                [
                    f"E{number:07d}",
                    name,
                    f"person{number}@bench.example.org",
                    generator.choice(TITLES),
                    generator.choice(slugs),
                    "",
                    "",
                ]  # fmt: skip
            )


if __name__ == "__main__":
    main()

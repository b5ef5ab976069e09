"""RE2's memory budget: small for ordinary rules, larger where a big phrase list needs it."""

from __future__ import annotations

import random
import string

import re2

from newslint import document
from newslint.checks.phrase import PhraseCheck
from newslint.engine.programs import MAX_MEM


def _fits_ordinary_budget(pattern: str) -> bool:
    options = re2.Options()
    options.log_errors = False
    options.never_nl = True
    options.case_sensitive = False
    options.max_mem = MAX_MEM
    try:
        re2.compile(pattern, options)
    except re2.error:
        return False
    return True


def test_a_phrase_list_too_big_for_the_ordinary_budget_still_compiles_and_matches():
    rng = random.Random(7)
    words = ["".join(rng.choice(string.ascii_lowercase) for _ in range(rng.randint(3, 9))) for _ in range(20_000)]
    phrases = [" ".join(rng.sample(words, 6)) for _ in range(20_000)]
    check = PhraseCheck(
        {
            "phrases": phrases,
            "match": "line",
            "position": None,
            "max_length": None,
            "min_length": None,
            "ignore_case": True,
            "unless": None,
            "list_after": None,
        }
    )
    # The test means something only while the ordinary budget is too small for this list.
    assert not _fits_ordinary_budget(check.pattern), "raise the phrase count: 16 MB now takes it"
    doc = document.from_text(f"A story.\n{phrases[12_345].upper()}\nThe end.\n")
    assert [f.span.line for f in check.run(doc)] == [2]

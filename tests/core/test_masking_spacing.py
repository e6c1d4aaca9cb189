"""Known values are found in any spacing without a pattern compiled per record."""

from __future__ import annotations

import random
import re

from enforcement.core.masking import _Squashed, mask_text


def test_spaced_search_matches_what_a_spacing_pattern_would_find():
    rng = random.Random(20261201)
    for _ in range(5000):
        norm = "".join(rng.choice("田霞宏 　\t福苑7号楼") for _ in range(rng.randint(0, 30)))
        value = "".join(rng.choice("田霞宏福") for _ in range(rng.randint(1, 3)))
        pattern = re.compile(r"\s{0,3}".join(re.escape(c) for c in value))
        assert _Squashed(norm).spans(value) == [m.span() for m in pattern.finditer(norm)], (norm, value)


def test_a_name_and_an_address_written_with_spaces_are_masked():
    text = "证人田　霞称，当事人住宏福苑 7号楼 2单元。"
    masked = mask_text(text, names=["田霞"], addresses=["宏福苑7号楼2单元"])
    assert "霞" not in masked and "宏福苑" not in masked

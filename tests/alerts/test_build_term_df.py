from __future__ import annotations

import pytest

from streams.alerts import build_term_df
from streams.alerts.percolator import TermFrequencies


@pytest.mark.skipif(
    not build_term_df.DEFAULT_DATA.is_dir(), reason="../shared/data is not beside this checkout"
)
def test_shipped_word_table_is_what_the_script_builds_from_shared_data() -> None:
    df, n, total = build_term_df.count(build_term_df.snippets(build_term_df.DEFAULT_DATA))
    shipped = build_term_df.OUTPUT.read_text(encoding="utf-8")
    assert shipped == build_term_df.render(df, n, total), (
        "streams/alerts/data/term_df.tsv is stale: run `python -m streams.alerts.build_term_df`"
    )


def test_word_table_reads_its_counts_and_totals() -> None:
    table = TermFrequencies.read()
    assert table.snippets > 50_000 and table.words > table.snippets
    assert table.counts["the"] > table.counts["missile"] >= build_term_df.MIN_COUNT
    assert 0.0 < table.share("qzxwvk") < table.share("missile") < table.share("the") <= 1.0

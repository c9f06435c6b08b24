"""Label -> IPTC topic mappings in the forms a user may write them."""

from __future__ import annotations

from pathlib import Path

import pytest

from streams.classify import MappingError
from streams.classify.mapping import load_mapping, resolve_code
from streams.classify.training.sources import DEFAULT_HUFFPOST_MAPPING as DEFAULT_MAPPING


@pytest.mark.parametrize(
    "text", ["medtop:11000000", "11000000", "11", "politics", "Politics", " POLITICS "]
)
def test_a_topic_can_be_named_by_code_number_or_english_name(text: str) -> None:
    assert resolve_code(text) == "medtop:11000000"


@pytest.mark.parametrize("text", ["medtop:20000385", "18", "gossip", ""])
def test_anything_but_a_level_1_topic_is_refused(text: str) -> None:
    with pytest.raises(MappingError) as info:
        resolve_code(text)
    assert info.value.code == "W303"


def test_json_mapping_accepts_single_codes_and_lists(tmp_path: Path) -> None:
    path = tmp_path / "map.json"
    path.write_text('{"World": ["politics", "16"], "Sports": "medtop:15000000"}')
    assert load_mapping(path) == {
        "World": ("medtop:11000000", "medtop:16000000"),
        "Sports": ("medtop:15000000",),
    }


def test_toml_mapping_with_comments(tmp_path: Path) -> None:
    path = tmp_path / "map.toml"
    path.write_text(
        '# ours\n[categories]\n"Sci/Tech" = ["13"]  # science\n'
        '"Business" = "economy, business and finance"\n'
    )
    assert load_mapping(path) == {
        "Sci/Tech": ("medtop:13000000",),
        "Business": ("medtop:04000000",),
    }


@pytest.mark.parametrize("separator", [",", "\t", ":"])
def test_delimited_lines_with_header_and_comments(tmp_path: Path, separator: str) -> None:
    path = tmp_path / "map.csv"
    path.write_text(
        f"label{separator}topic\n# a comment\n1{separator}16{separator}11\n2{separator}sport\n"
    )
    assert load_mapping(path) == {
        "1": ("medtop:16000000", "medtop:11000000"),
        "2": ("medtop:15000000",),
    }


def test_an_empty_mapping_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "map.csv"
    path.write_text("# nothing\n")
    with pytest.raises(MappingError, match="maps no labels"):
        load_mapping(path)


def test_shipped_huffpost_mapping_is_valid_and_puts_single_topics_first() -> None:
    mapping = load_mapping(DEFAULT_MAPPING)
    assert mapping["POLITICS"] == ("medtop:11000000",)
    assert mapping["SPORTS"] == ("medtop:15000000",)
    assert mapping["WORLD NEWS"][0] == "medtop:11000000"
    assert "medtop:16000000" in mapping["WORLD NEWS"]
    assert len(mapping) >= 29

"""The committed lexicon: shape, size, attribution, and agreement with its build script."""

from __future__ import annotations

import json
import re
from importlib import resources
from pathlib import Path
from typing import Any

import pytest

from streams.classify import ClassifyError, build, iptc

DATA = resources.files("streams.classify").joinpath("data")
LEVEL_1 = {
    "medtop:01000000",
    "medtop:02000000",
    "medtop:03000000",
    "medtop:04000000",
    "medtop:05000000",
    "medtop:06000000",
    "medtop:07000000",
    "medtop:08000000",
    "medtop:09000000",
    "medtop:10000000",
    "medtop:11000000",
    "medtop:12000000",
    "medtop:13000000",
    "medtop:14000000",
    "medtop:15000000",
    "medtop:16000000",
    "medtop:17000000",
}
needs_source = pytest.mark.skipif(
    not build.DEFAULT_SOURCE.parent.is_dir(),
    reason=f"IPTC source folder {build.DEFAULT_SOURCE.parent} is absent",
)


def _committed_text(name: str) -> str:
    return DATA.joinpath(name).read_text(encoding="utf-8")


def _committed() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(_committed_text("iptc_level1.json"))
    return data


def test_data_file_has_the_17_level_1_topics_with_valid_qcodes() -> None:
    topics = _committed()["topics"]
    qcodes = [topic["qcode"] for topic in topics]
    assert all(re.fullmatch(r"medtop:\d{8}", qcode) for qcode in qcodes)
    assert set(qcodes) == LEVEL_1
    assert qcodes == sorted(qcodes)


def test_every_topic_has_name_definition_and_positive_weights() -> None:
    for topic in _committed()["topics"]:
        assert topic["name"] and topic["definition"]
        assert len(topic["terms"]) > 20
        assert all(weight > 0 for weight in topic["terms"].values())
        assert list(topic["terms"]) == sorted(topic["terms"])


def test_data_file_records_source_release_and_licence() -> None:
    data = _committed()
    assert data["format"] == 1
    assert data["source"]["release"] == "2023-10-24"
    assert data["source"]["license"] == "CC BY 4.0"
    assert data["version"].startswith("2023-10-24.")


def test_data_file_is_well_under_one_megabyte() -> None:
    assert len(_committed_text("iptc_level1.json").encode("utf-8")) < 500_000


def test_attribution_names_iptc_licence_and_release() -> None:
    text = _committed_text("ATTRIBUTION.md")
    for needle in (
        "IPTC Media Topics",
        "CC BY 4.0",
        "creativecommons.org/licenses/by/4.0",
        "2023-10-24",
    ):
        assert needle in text


@needs_source
def test_committed_data_file_equals_a_fresh_build_from_the_source() -> None:
    lexicon = build.build_lexicon(
        build.load_source(build.DEFAULT_SOURCE),
        release=build.release_from_name(build.DEFAULT_SOURCE),
        cues=build.load_cues(build.DEFAULT_CUES),
    )
    assert build.render(lexicon) == _committed_text("iptc_level1.json"), (
        "stale data file: run `wirestream build lexicon` and commit the result"
    )


@needs_source
def test_build_command_writes_data_and_attribution_like_the_committed_ones(tmp_path: Path) -> None:
    out = tmp_path / "data" / "iptc_level1.json"
    assert build.main(["--out", str(out)]) == 0
    assert out.read_text(encoding="utf-8") == _committed_text("iptc_level1.json")
    assert (out.parent / "ATTRIBUTION.md").read_text(encoding="utf-8") == _committed_text(
        "ATTRIBUTION.md"
    )


def test_retired_topics_and_their_descendants_are_left_out() -> None:
    nan = float("nan")

    def record(path: list[str], name: str, retired: object = nan) -> dict[str, object]:
        levels: dict[str, object] = {f"Level{n}/NewsCode": nan for n in range(1, 7)}
        levels.update({f"Level{n}/NewsCode": q for n, q in enumerate(path, start=1)})
        return {
            "Name (en-GB)": name,
            "Definition (en-GB)": f"About {name}",
            "RetiredDate": retired,
            **levels,
        }

    records = {
        "medtop:1": record(["medtop:1"], "weather"),
        "medtop:2": record(["medtop:1", "medtop:2"], "hailstorms", "2020-01-01T00:00:00+00:00"),
        "medtop:3": record(["medtop:1", "medtop:2", "medtop:3"], "graupel"),
        "medtop:4": record(["medtop:4"], "outdated", "2019-01-01T00:00:00+00:00"),
        "medtop:5": record(["medtop:5"], "sport"),
    }
    lexicon = build.build_lexicon(records, release="2000-01-01", cues={})
    assert [t["qcode"] for t in lexicon["topics"]] == ["medtop:1", "medtop:5"]
    weather_terms = lexicon["topics"][0]["terms"]
    assert "weather" in weather_terms
    assert not {"hailstorm", "graupel"} & set(weather_terms)


def test_cues_for_an_unknown_topic_are_rejected() -> None:
    with pytest.raises(ClassifyError, match="unknown level-1"):
        build.build_lexicon({}, release="2000-01-01", cues={"medtop:99000000": ["x"]})


def test_classifier_reads_the_format_the_builder_writes() -> None:
    assert iptc.FORMAT == build.FORMAT == _committed()["format"]

"""One mapping of Yonhap version tags, the same in every Yonhap layout."""

from __future__ import annotations

import pytest

from schemas.article import Article
from streams.parse.yonhap.base import yonhap_version
from tests.parse.text_formats.wires import parse_one


@pytest.mark.parametrize(
    ("tags", "version", "urgency", "signals", "genre"),
    [
        ([], 1, 5, [], None),
        (["URGENT"], 0, 1, [], None),
        (["LEAD"], 2, 5, ["update"], None),
        (["2nd LD"], 3, 5, ["update"], None),
        (["5th LD"], 6, 5, ["update"], None),
        (["URGENT", "LEAD"], 2, 1, ["update"], None),
        (["ROUNDUP"], 1, 5, [], None),
        (["3rd LD", "ROUNDUP"], 4, 5, ["update"], None),
        (["News Focus"], 1, 5, [], "analysis"),
        (["Yonhap Interview"], 1, 5, [], "interview"),
        (["Yonhap Feature"], 1, 5, [], "feature"),
        (["LEAD", "Yonhap Interview"], 2, 5, ["update"], "interview"),
        (["CORRECTION"], 1, 5, ["correction"], None),
        (["속보"], 0, 1, [], None),
        (["종합"], 2, 5, ["update"], None),
        (["종합2보"], 3, 5, ["update"], None),
        (["2보"], 2, 5, ["update"], None),
        (["인터뷰"], 1, 5, [], "interview"),
        (["고침"], 1, 5, ["correction"], None),
    ],
)
def test_tags_map_to_version_urgency_signals_and_genre(
    tags: list[str], version: int, urgency: int, signals: list[str], genre: str | None
) -> None:
    found = yonhap_version(tags)
    assert (found.version, found.urgency.value) == (version, urgency)
    assert (found.signals, found.genre) == (signals, genre)


def test_correction_naming_the_corrected_version_sorts_after_it() -> None:
    found = yonhap_version(["CORRECTION"], notes=["CORRECTS figure in 3rd para of (2nd LD)"])
    assert found.version == 4
    assert found.signals == ["correction"]


def test_correction_note_without_a_version_keeps_the_own_version() -> None:
    found = yonhap_version(["CORRECTION", "LEAD"], notes=["CORRECTS spelling of name in lead para"])
    assert found.version == 2  # "lead para" in lower case names no version


def _portal(tags: str) -> str:
    return (
        f"{tags} Port strike\n{tags} Dockworkers strike at Busan port\n"
        "BUSAN, Jan. 14 (Yonhap) -- Dockworkers went on strike.\n(END)\n"
    )


def _teletype(tags: str) -> str:
    return (
        f"{tags} Port strike\n{tags} Dockworkers strike at Busan port\n"
        "     BUSAN, Jan. 14 (Yonhap) -- Dockworkers went on\nstrike.\n(END)\n"
    )


def _crawl(tags: str) -> str:
    title = f"{tags} Dockworkers strike at Busan port"
    return (
        f'---\ntitle: "{title}"\npublisher: 연합뉴스\npublished_at: 2026-01-14 10:00\n---\n'
        f"# {title}\n---\n{tags} Port strike{title} BUSAN, Jan. 14 (Yonhap) -- "
        "Dockworkers went on strike.(END)\n---\n"
    )


@pytest.mark.parametrize("tags", ["", "(URGENT)", "(LEAD)", "(2nd LD) (ROUNDUP)", "(News Focus)"])
def test_every_layout_maps_the_same_tags_the_same_way(tags: str) -> None:
    articles: list[Article] = [parse_one(build(tags)) for build in (_portal, _teletype, _crawl)]
    assert [a.source_format for a in articles] == ["yonhap-text", "yonhap-teletype", "yonhap-crawl"]
    assert (
        len({(a.version, tuple(a.version_tags), a.genre, tuple(a.signals)) for a in articles}) == 1
    )
    assert len({a.headline for a in articles}) == 1
    assert all(a.body == ["Dockworkers went on strike."] for a in articles)

"""The external topic benchmark's labelling: outlet sections and the R8 reader."""

from __future__ import annotations

import importlib.util
import sys
import zipfile
from pathlib import Path
from types import ModuleType

import pytest

from streams.classify.mapping import load_mapping

BENCH = Path(__file__).resolve().parents[2] / "bench"


@pytest.fixture(scope="module")
def external() -> ModuleType:
    spec = importlib.util.spec_from_file_location("topic_external", BENCH / "topic_external.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["topic_external"] = module
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize(
    ("url", "section"),
    [
        ("http://abcnews.go.com/Health/flu-season/story?id=1", "health"),
        ("http://tass.com/economy/930000", "economy"),
        ("http://tass.com/defense/930001", "defence"),
        ("http://www.cnn.com/2017/02/07/politics/some-slug/index.html", "politics"),
        ("http://www.cnn.com/2017/03/01/football/some-slug/index.html", "sport"),
        ("https://www.rte.ie/news/courts/2017/0207/123-case/", "crime"),
        ("https://www.rte.ie/sport/soccer/2017/0207/123-match/", "sport"),
        ("http://www.bbc.co.uk/news/business-38890000", "business"),
        ("http://www.bbc.co.uk/news/uk-politics-38895007", "politics"),
    ],
)
def test_section_is_read_from_the_outlets_address(
    external: ModuleType, url: str, section: str
) -> None:
    assert external.section_of(url) == section


@pytest.mark.parametrize(
    "url",
    [
        "http://abcnews.go.com/International/story?id=1",
        "http://tass.com/world/930002",
        "https://www.rte.ie/news/ireland/2017/0207/123-story/",
        "http://www.aljazeera.com/news/2017/02/story.html",
        "http://www.cnn.com/2017/02/07/",
        "not a url",
    ],
)
def test_places_formats_and_unknown_outlets_give_no_label(external: ModuleType, url: str) -> None:
    assert external.section_of(url) is None


def test_every_section_the_reader_can_give_has_an_iptc_mapping(external: ModuleType) -> None:
    sections = {
        *external._ABC.values(),
        *external._TASS.values(),
        *external._RTE_NEWS.values(),
        *external._CNN.values(),
        *(section for _, section in external._BBC_NEWS_PREFIXES),
        "sport",
        "entertainment",
    }
    mapping = load_mapping(BENCH / "news_sections_iptc.toml")
    assert sections <= set(mapping)
    assert all(code.startswith("medtop:") for codes in mapping.values() for code in codes)


def test_r8_reader_skips_orange_header_rows_and_keeps_label_and_text(
    external: ModuleType, tmp_path: Path
) -> None:
    wheel = tmp_path / "fake.whl"
    with zipfile.ZipFile(wheel, "w") as z:
        z.writestr(
            external.R8_TEST,
            "Category\tText\nd\tstring\nclass\t\n"
            "earn\tacme corp st qtr shr cts vs cts\nacq\tbeta buys gamma\nship\t\n",
        )
    items = list(external.reuters_r8(wheel))
    assert [(i.label, i.body) for i in items] == [
        ("earn", "acme corp st qtr shr cts vs cts"),
        ("acq", "beta buys gamma"),
    ]
    assert set(load_mapping(BENCH / "reuters_r8_iptc.toml")) >= {"earn", "acq", "ship"}

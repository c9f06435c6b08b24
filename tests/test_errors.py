"""The error-code registry: every code names one thing."""

from __future__ import annotations

import importlib
import pkgutil
import re
from collections.abc import Iterator

import streams
from streams.errors import CODE_UNEXPECTED, SHARED_CODES, WirestreamError

CODE = re.compile(r"^W\d{3}$")


def _all_error_classes() -> list[type[WirestreamError]]:
    # Importing every module finds error classes wherever they are defined, not
    # only in the packages' errors modules (the eval commands keep theirs).
    for module in pkgutil.walk_packages(streams.__path__, "streams."):
        importlib.import_module(module.name)

    def walk(cls: type[WirestreamError]) -> Iterator[type[WirestreamError]]:
        for sub in cls.__subclasses__():
            yield sub
            yield from walk(sub)

    return [WirestreamError, *walk(WirestreamError)]


def test_every_error_class_defines_its_own_well_formed_code() -> None:
    classes = _all_error_classes()
    assert len(classes) > 30  # the walk reached the packages' errors modules
    for cls in classes:
        assert "code" in vars(cls), f"{cls.__module__}.{cls.__qualname__} inherits its code"
        assert CODE.match(vars(cls)["code"]), cls


def _duplicated(classes: list[type], shared: dict[str, str]) -> dict[str, list[str]]:
    owners: dict[str, list[str]] = {}
    for cls in classes:
        owners.setdefault(vars(cls)["code"], []).append(f"{cls.__module__}.{cls.__qualname__}")
    for code in shared:
        owners.setdefault(code, []).append(f"SHARED_CODES[{code!r}]")
    return {code: names for code, names in owners.items() if len(names) > 1}


def test_no_two_error_classes_or_shared_codes_share_a_code() -> None:
    assert _duplicated(list(_all_error_classes()), SHARED_CODES) == {}


def test_a_code_used_twice_is_reported_with_both_owners() -> None:
    first = type("First", (), {"code": "W100"})
    second = type("Second", (), {"code": "W999"})
    found = _duplicated([first, second], {"W999": "unexpected"})
    assert list(found) == ["W999"]
    assert found["W999"][0].endswith("Second") and found["W999"][1] == "SHARED_CODES['W999']"


def test_code_of_an_unexpected_exception_is_the_shared_constant() -> None:
    from streams import pool
    from streams.agents.deadletter import error_code

    assert error_code(KeyError("bug")) == CODE_UNEXPECTED == "W999"
    assert pool.CODE_UNEXPECTED is CODE_UNEXPECTED

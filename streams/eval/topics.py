"""Topic evaluation: labelled news in, top-1 accuracy, macro-F1 and a confusion table out.

Pure functions: the CLI (`wirestream eval topics`) reads the files and runs the
taggers; this module scores what they return.

Input records carry a text and a label. JSON lines and CSV/TSV (with a header)
are read; the text is the headline/title field plus the description/body/text
field(s), whichever the file has (:data:`HEADLINE_FIELDS`, :data:`BODY_FIELDS`),
and the label the first of :data:`LABEL_FIELDS`. A CSV without a header is
read as ``label, text...`` (the AG News layout). A mapping
(:mod:`streams.classify.mapping`) turns labels into one or more acceptable IPTC
level-1 topics.

Scoring: a story counts as correct when the tagger's top level-1 topic is one
of its label's topics (*lenient* when the label accepts several topics; the
*strict* figure scores only labels that map to one topic). For macro-F1 each
story's gold topic is the one the tagger chose when that was acceptable, else
the label's first topic; F1 is averaged over the gold topics that occur. A tagger
that returns its ranked topics is also scored on "label's topic among the first
two", and records naming an outlet (:data:`OUTLET_FIELDS`) are scored per outlet.
The classes an alert most depends on telling apart (:data:`ALERT_TOPICS`: politics,
conflict, crime, disaster) get a confusion table of their own.
"""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from streams.errors import WirestreamError
from streams.eval.scores import f1_from_counts

HEADLINE_FIELDS: tuple[str, ...] = ("headline", "title", "Title")
BODY_FIELDS: tuple[str, ...] = (
    "short_description",
    "description",
    "Description",
    "body",
    "text",
    "Text",
    "content",
    "article",
    "summary",
)
LABEL_FIELDS: tuple[str, ...] = (
    "label",
    "category",
    "Category",
    "Class Index",
    "class",
    "topic",
    "labels",
)
OUTLET_FIELDS: tuple[str, ...] = ("outlet", "source", "site", "agency")
#: politics; conflict, war and peace; crime, law and justice; disaster, accident ...
ALERT_TOPICS: tuple[str, ...] = (
    "medtop:11000000",
    "medtop:16000000",
    "medtop:02000000",
    "medtop:03000000",
)
#: Shown in place of a topic when the tagger returned none.
NO_TOPIC = "(none)"


class EvalInputError(WirestreamError):
    """A labelled file could not be read as text and label records."""

    code = "W304"


@dataclass(frozen=True)
class LabelledText:
    headline: str
    body: str
    label: str
    outlet: str = ""


@dataclass
class OutletScore:
    total: int = 0
    correct: int = 0
    first_two: int = 0


@dataclass
class TopicReport:
    """Scores of one tagger on one labelled set."""

    total: int = 0
    correct: int = 0
    #: dataset label -> predicted topic (qcode or NO_TOPIC) -> count
    confusion: dict[str, Counter[str]] = field(default_factory=dict)
    #: per gold topic: true positives, false positives, false negatives
    tp: Counter[str] = field(default_factory=Counter)
    fp: Counter[str] = field(default_factory=Counter)
    fn: Counter[str] = field(default_factory=Counter)
    #: correct / total of labels mapped to exactly one topic
    single_total: int = 0
    single_correct: int = 0
    #: the label's topic among the tagger's first two (only for taggers that rank)
    first_two: int = 0
    ranked: bool = False
    by_outlet: dict[str, OutletScore] = field(default_factory=dict)
    #: single-topic labels whose topic is one of ALERT_TOPICS: gold -> predicted -> count
    alert_confusion: dict[str, Counter[str]] = field(default_factory=dict)

    @property
    def accuracy(self) -> float:
        return self.correct / self.total if self.total else 0.0

    @property
    def first_two_share(self) -> float:
        return self.first_two / self.total if self.total else 0.0

    @property
    def single_accuracy(self) -> float:
        return self.single_correct / self.single_total if self.single_total else 0.0

    def f1(self, topic: str) -> float:
        return f1_from_counts(self.tp[topic], self.fp[topic], self.fn[topic])

    @property
    def gold_topics(self) -> list[str]:
        return sorted(t for t in set(self.tp) | set(self.fn) if self.tp[t] + self.fn[t] > 0)

    @property
    def macro_f1(self) -> float:
        topics = self.gold_topics
        return sum(self.f1(t) for t in topics) / len(topics) if topics else 0.0


def _first(record: Mapping[str, object], names: Sequence[str]) -> str | None:
    for name in names:
        value = record.get(name)
        if value is not None and str(value).strip():
            return str(value)
    return None


def _record(
    record: Mapping[str, object],
    *,
    text_fields: Sequence[str] | None,
    label_field: str | None,
    where: str,
) -> LabelledText:
    label = record.get(label_field) if label_field else _first(record, LABEL_FIELDS)
    if label is None or not str(label).strip():
        wanted = label_field or " / ".join(LABEL_FIELDS)
        raise EvalInputError(f"{where}: no label (looked for {wanted})")
    if isinstance(label, list):
        label = label[0] if label else ""
    if text_fields:
        parts = [str(record.get(f) or "") for f in text_fields]
        return LabelledText(parts[0], "\n\n".join(p for p in parts[1:] if p), str(label).strip())
    headline = _first(record, HEADLINE_FIELDS) or ""
    bodies = [str(record[f]) for f in BODY_FIELDS if record.get(f)]
    if not headline and not bodies:
        raise EvalInputError(
            f"{where}: no text (looked for {', '.join((*HEADLINE_FIELDS, *BODY_FIELDS))})"
        )
    outlet = _first(record, OUTLET_FIELDS) or ""
    return LabelledText(headline, "\n\n".join(bodies), str(label).strip(), outlet.strip())


def _unescape_ag(text: str) -> str:
    # AG News writes backslashes for line breaks and escapes some punctuation.
    return text.replace("\\\\", " ").replace('\\"', '"').replace("\\$", "$").replace("\\", " ")


def parse_labelled(
    text: str,
    *,
    name: str = "<input>",
    text_fields: Sequence[str] | None = None,
    label_field: str | None = None,
) -> list[LabelledText]:
    """Records of a JSON-lines or CSV/TSV text (chosen by its first character)."""
    stripped = text.lstrip("\ufeff \t\r\n")
    if not stripped:
        return []
    if stripped.startswith(("{", "[")):
        records: list[object] = []
        if stripped.startswith("["):
            data = json.loads(stripped)
            records = data if isinstance(data, list) else []
        else:
            for number, line in enumerate(stripped.splitlines(), start=1):
                if line.strip():
                    try:
                        records.append(json.loads(line))
                    except ValueError as exc:
                        raise EvalInputError(f"{name}:{number}: not JSON: {exc}") from exc
        out: list[LabelledText] = []
        for i, record in enumerate(records, start=1):
            if not isinstance(record, dict):
                raise EvalInputError(f"{name}: record {i} is not a JSON object")
            out.append(
                _record(
                    record, text_fields=text_fields, label_field=label_field, where=f"{name}:{i}"
                )
            )
        return out
    first_line = stripped.splitlines()[0]
    delimiter = "\t" if first_line.count("\t") > first_line.count(",") else ","
    rows = list(csv.reader(io.StringIO(stripped), delimiter=delimiter))
    header = [cell.strip() for cell in rows[0]]
    known = {*HEADLINE_FIELDS, *BODY_FIELDS, *LABEL_FIELDS, *(text_fields or ()), label_field}
    if any(cell in known for cell in header):
        return [
            _record(
                dict(zip(header, row, strict=False)),
                text_fields=text_fields,
                label_field=label_field,
                where=f"{name}:{i}",
            )
            for i, row in enumerate(rows[1:], start=2)
            if any(cell.strip() for cell in row)
        ]
    # No header: label first, then title and description (AG News).
    items: list[LabelledText] = []
    for i, row in enumerate(rows, start=1):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) < 2:
            raise EvalInputError(f"{name}:{i}: expected label,text... without a header")
        items.append(
            LabelledText(
                _unescape_ag(row[1]),
                "\n\n".join(_unescape_ag(c) for c in row[2:] if c.strip()),
                row[0].strip(),
            )
        )
    return items


def read_labelled(
    path: Path, *, text_fields: Sequence[str] | None = None, label_field: str | None = None
) -> list[LabelledText]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise EvalInputError(f"cannot read {path}: {exc}") from exc
    try:
        return parse_labelled(
            text, name=str(path), text_fields=text_fields, label_field=label_field
        )
    except (ValueError, csv.Error) as exc:
        raise EvalInputError(f"{path}: {exc}") from exc


Prediction = str | None | Sequence[str]


def evaluate(
    items: Iterable[LabelledText],
    mapping: Mapping[str, Sequence[str]],
    predict: Callable[[LabelledText], Prediction],
) -> tuple[TopicReport, Counter[str]]:
    """Score ``predict``; also returns the labels not in the mapping.

    ``predict`` gives an item's top qcode (or None), or its ranked qcodes (a list or
    tuple, maybe empty): then "among the first two" is scored as well.
    """
    report = TopicReport()
    unmapped: Counter[str] = Counter()
    for item in items:
        acceptable = mapping.get(item.label)
        if not acceptable:
            unmapped[item.label] += 1
            continue
        answer = predict(item)
        if isinstance(answer, list | tuple):
            report.ranked = True
            ranked = list(answer)
        else:
            ranked = [] if answer is None else [str(answer)]
        predicted = ranked[0] if ranked else None
        hit = predicted is not None and predicted in acceptable
        in_two = any(q in acceptable for q in ranked[:2])
        report.first_two += int(in_two)
        outlet = report.by_outlet.setdefault(item.outlet, OutletScore())
        outlet.total += 1
        outlet.correct += int(hit)
        outlet.first_two += int(in_two)
        if len(acceptable) == 1 and acceptable[0] in ALERT_TOPICS:
            row = report.alert_confusion.setdefault(acceptable[0], Counter())
            row[
                predicted if predicted in ALERT_TOPICS else (predicted and "other") or NO_TOPIC
            ] += 1
        gold = predicted if hit and predicted is not None else acceptable[0]
        report.total += 1
        report.correct += int(hit)
        if len(acceptable) == 1:
            report.single_total += 1
            report.single_correct += int(hit)
        report.confusion.setdefault(item.label, Counter())[predicted or NO_TOPIC] += 1
        if hit:
            report.tp[gold] += 1
        else:
            report.fn[gold] += 1
            if predicted is not None:
                report.fp[predicted] += 1
    return report, unmapped


def _short(qcode: str, names: Mapping[str, str]) -> str:
    if qcode == NO_TOPIC:
        return "none"
    name = names.get(qcode, qcode)
    return name.split(",")[0].split(" ")[0][:9]


def format_report(
    reports: Mapping[str, TopicReport],
    *,
    names: Mapping[str, str],
    mapping: Mapping[str, Sequence[str]],
) -> str:
    """Figures side by side, then each tagger's confusion table (rows: labels)."""
    taggers = list(reports)
    width = max(14, *(len(t) for t in taggers))
    lines = [f"{'':<42}" + "".join(f"{t:>{width + 2}}" for t in taggers)]
    first = next(iter(reports.values()))
    rows = [
        (f"top-1 accuracy (n={first.total})", [r.accuracy for r in reports.values()]),
        ("macro-F1", [r.macro_f1 for r in reports.values()]),
    ]
    if 0 < first.single_total < first.total:
        rows[0] = (f"top-1, lenient (n={first.total})", rows[0][1])
        rows.append(
            (
                f"top-1, strict: one-topic labels (n={first.single_total})",
                [r.single_accuracy for r in reports.values()],
            )
        )
    if any(r.ranked for r in reports.values()):
        rows.append(("label's topic in first two", [r.first_two_share for r in reports.values()]))
    for title, values in rows:
        lines.append(f"{title:<42}" + "".join(f"{v:>{width + 2}.3f}" for v in values))
    outlets = sorted(o for o in first.by_outlet if o)
    if outlets:
        lines.append("")
        lines.append("per outlet: top-1 / label's topic in first two")
        for outlet in outlets:
            outlet_cells: list[str] = []
            for report in reports.values():
                score = report.by_outlet.get(outlet, OutletScore())
                n = score.total or 1
                two = f"{score.first_two / n:.3f}" if report.ranked else "  -  "
                outlet_cells.append(f"{score.correct / n:.3f} / {two}")
            n_outlet = first.by_outlet[outlet].total
            lines.append(
                f"  {outlet[:30]:<31}n={n_outlet:<7}"
                + "".join(f"{c:>{width + 2}}" for c in outlet_cells)
            )
    alert = [q for q in ALERT_TOPICS if q in first.alert_confusion]
    if alert:
        columns = [*alert, "other", NO_TOPIC]
        for tagger, report in reports.items():
            lines.append("")
            lines.append(f"alert classes, {tagger}: rows = the label's one topic, columns = top-1")
            lines.append(
                f"{'':<12} {'n':>5} " + " ".join(f"{_short(q, names):>9}" for q in columns)
            )
            for gold in alert:
                row = report.alert_confusion.get(gold, Counter())
                cells = " ".join(f"{row[q] if row[q] else '.':>9}" for q in columns)
                lines.append(f"{_short(gold, names):<12} {sum(row.values()):>5} {cells}")
    for tagger, report in reports.items():
        predicted = sorted({q for row in report.confusion.values() for q in row})
        labels = sorted(report.confusion)
        label_width = min(24, max(5, *(len(label) for label in labels)))
        lines.append("")
        lines.append(
            f"confusion, {tagger}: rows = labels (topics counted correct), columns = top-1"
        )
        lines.append(
            f"{'label':<{label_width}} {'n':>5} {'acc':>5} "
            + " ".join(f"{_short(q, names):>9}" for q in predicted)
        )
        for label in labels:
            row = report.confusion[label]
            n = sum(row.values())
            ok = sum(row[q] for q in mapping.get(label, ()))
            acceptable = ",".join(_short(q, names) for q in mapping.get(label, ()))
            cells = " ".join(f"{row[q] if row[q] else '.':>9}" for q in predicted)
            lines.append(
                f"{label[:label_width]:<{label_width}} {n:>5} {ok / n if n else 0:>5.2f} {cells}"
                f"   [{acceptable}]"
            )
    return "\n".join(lines)

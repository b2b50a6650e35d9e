"""Reading an interview-guide file (YAML or CSV) into plain question records."""

import csv
import io
from pathlib import Path
from typing import Any

from qualcode.core.errors import QualcodeError
from qualcode.i18n import _
from qualcode.io.decode import decode_file
from qualcode.io.input_files import refuse_special_file
from qualcode.io.yaml_errors import describe_yaml_error

_FIELDS = ("key", "text_en", "text_zh", "order", "code_key")
_ALIASES = {
    "en": "text_en",
    "zh": "text_zh",
    "text": "text_en",
    "question": "text_en",
    "code": "code_key",
    "问题": "text_zh",
    "中文": "text_zh",
    "中文问题": "text_zh",
    "英文": "text_en",
    "英文问题": "text_en",
    "编号": "key",
    "题号": "key",
    "顺序": "order",
    "序号": "order",
    "代码": "code_key",
    "编码": "code_key",
}
# Columns a person keeps beside the questions; everything else unknown is refused, not dropped.
_NOTES = frozenset({"note", "notes", "comment", "comments", "备注", "说明"})


def read_guide_file(path: Path) -> list[dict[str, Any]]:
    """Records with key, text_en, text_zh, order, code_key (missing ones None)."""
    refuse_special_file(path)
    if not path.is_file():
        raise QualcodeError(_("{path}: guide file not found").format(path=path))
    text = decode_file(path).text
    suffix = path.suffix.lower()
    if suffix in (".yaml", ".yml"):
        records = _from_yaml(path.name, text)
    elif suffix == ".csv":
        records = list(csv.DictReader(io.StringIO(text)))
    else:
        raise QualcodeError(_("{name}: a guide must be .yaml, .yml or .csv").format(name=path.name))
    questions = []
    for index, record in enumerate(records, start=1):
        if not isinstance(record, dict):
            raise QualcodeError(
                _("{name}: entry {index} is not a mapping of key, text_en, text_zh").format(
                    name=path.name, index=index
                )
            )
        fields = {
            _ALIASES.get(str(k).strip().casefold(), str(k).strip().casefold()): v
            for k, v in record.items()
            if k is not None
        }
        unknown = [k for k in fields if k not in _FIELDS and k not in _NOTES]
        if unknown:
            raise QualcodeError(
                _(
                    "{name}: unknown column {unknown!r}; use {FIELDS} (or 编号, 中文, 英文, 顺序, 代码)"
                ).format(name=path.name, unknown=unknown[0], FIELDS=', '.join(_FIELDS))
            )
        key = str(fields.get("key") or "").strip()
        if not key:
            raise QualcodeError(_("{name}: entry {index} has no key").format(name=path.name, index=index))
        order = fields.get("order")
        try:
            order_value = int(order) if order not in (None, "") else index
        except (TypeError, ValueError) as exc:
            raise QualcodeError(
                _("{name}: entry {key!r} has order {order!r}, not a whole number").format(
                    name=path.name, key=key, order=order
                )
            ) from exc
        questions.append(
            {
                "key": key,
                "text_en": _text(fields.get("text_en")),
                "text_zh": _text(fields.get("text_zh")),
                "order": order_value,
                "code_key": _text(fields.get("code_key")),
            }
        )
    if not questions:
        raise QualcodeError(_("{name}: the guide has no questions").format(name=path.name))
    return questions


def _text(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def _from_yaml(label: str, text: str) -> list[Any]:
    import yaml

    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        line, column, explanation = describe_yaml_error(exc, text)
        raise QualcodeError(
            _("{label}:{line}:{column}: {explanation}").format(
                label=label, line=line, column=column, explanation=explanation
            )
        ) from exc
    if isinstance(data, dict):
        data = data.get("questions")
    if not isinstance(data, list):
        raise QualcodeError(
            _("{label}: expected a list of questions (or a `questions:` list)").format(label=label)
        )
    return data

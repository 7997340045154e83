"""JSON as typed readers expect it: whole numbers as integers, never NaN or Infinity."""

from __future__ import annotations

import json
import math
from typing import Any

_EXACT = 2**53  # beyond this a float no longer holds every whole number exactly


def plain(value: Any) -> Any:
    """`value` with every whole float as an int (4.0 -> 4) and every NaN or infinity as None."""
    if isinstance(value, float):
        if not math.isfinite(value):
            return None
        return int(value) if value.is_integer() and abs(value) < _EXACT else value
    if isinstance(value, dict):
        return {key: plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [plain(item) for item in value]
    return value


def dumps(value: Any) -> str:
    """Indented JSON text of `value` (UTF-8 characters kept), ending in a newline."""
    return json.dumps(plain(value), indent=2, ensure_ascii=False, allow_nan=False) + "\n"

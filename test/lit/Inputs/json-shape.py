"""Prints the shape of the JSON document on stdin, one "path: type" line per
value (object keys sorted, array elements as [N]), so lit tests can check a
report's keys and types with FileCheck. Exits 1 if stdin is not JSON."""
import json
import sys


def walk(path, value):
    kind = type(value).__name__
    if isinstance(value, dict):
        print(f"{path or '/'}: object")
        for key in sorted(value):
            walk(f"{path}/{key}", value[key])
    elif isinstance(value, list):
        print(f"{path}: array[{len(value)}]")
        for i, item in enumerate(value):
            walk(f"{path}[{i}]", item)
    else:
        print(f"{path}: {kind} = {json.dumps(value)}")


try:
    walk("", json.load(sys.stdin))
except json.JSONDecodeError as e:
    print(f"not JSON: {e}", file=sys.stderr)
    sys.exit(1)

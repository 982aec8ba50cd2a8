"""The reference for the diff benchmark: a plain recursive comparison of two configurations in Python.

It produces the same kind of path lists as the action's computeDiff (dotted keys, list items by their identity:
`flows.flow-000007.inboundCall.tasks[Main].actions[Transfer to sales].preTransferAudio.tts`) and a risk level
from them, the way someone would write it without tuning it either way: dicts key by key, lists of named items
item by item, anything else with `==`; the path of every visited value is built as the walk goes down.

    python3 bench/reference_diff.py CASE.json

CASE.json holds {"before": {...}, "after": {...}}. The script reads it once (not timed), prints `ready` and its
Python version, then
answers one line per command on stdin:
    time   runs the diff and impact once and prints its wall time in ms (perf_counter, the diff only)
    paths  prints the last result as JSON: {"added": [...], "removed": [...], "modified": [...], "risk": "..."}
"""

import json
import platform
import re
import sys
import time

# A key holding one of these characters (or empty) is written in brackets as a JSON string: `["80.20"]`.
SPECIAL_KEY = re.compile(r'[.\[\]"\\]')
# An item identity holding one of these (or empty) is written `[="..."]`.
SPECIAL_IDENTITY = re.compile(r'[\[\]"\\]')


def key_path(path, key):
    if key == '' or SPECIAL_KEY.search(key):
        return path + '[' + json.dumps(key, ensure_ascii=False) + ']'
    return key if path == '' else path + '.' + key


def item_path(path, identity):
    if identity == '' or SPECIAL_IDENTITY.search(identity):
        return path + '[=' + json.dumps(identity, ensure_ascii=False) + ']'
    return path + '[' + identity + ']'


def scalar_text(value):
    if isinstance(value, str):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return json.dumps(value)
    return None


def unwrap(item):
    """An Archy item `{transferToAcd: {...}}` is compared through its one key: (that key, its body)."""
    if len(item) == 1:
        key = next(iter(item))
        if isinstance(item[key], dict):
            return key, item[key]
    return None, item


def identify(items):
    """{identity: (wrapper key, body)} of a list of mappings, by name, else refId, else the wrapper key."""
    for kinds in (('name', 'refId', 'wrapper'), ('refId', 'wrapper')):
        found = {}
        for item in items:
            if not isinstance(item, dict):
                return None
            wrapper, body = unwrap(item)
            identity = None
            for kind in kinds:
                identity = wrapper if kind == 'wrapper' else scalar_text(body.get(kind))
                if identity is not None:
                    break
            if identity is None or identity in found:
                found = None
                break
            found[identity] = (wrapper, body, item)
        if found is not None:
            return found
    return None


def compare(before, after, path, out):
    if isinstance(before, dict) and isinstance(after, dict):
        for key, value in before.items():
            child = key_path(path, key)
            if key not in after:
                out['removed'].append(child)
            else:
                compare(value, after[key], child, out)
        for key in after:
            if key not in before:
                out['added'].append(key_path(path, key))
    elif isinstance(before, list) and isinstance(after, list):
        compare_lists(before, after, path, out)
    elif before != after:
        out['modified'].append(path)


def compare_lists(before, after, path, out):
    if before == after:
        return
    old = identify(before)
    new = identify(after) if old is not None else None
    if old is None or new is None:
        out['modified'].append(path)
        return
    for identity, (wrapper, body, _) in old.items():
        child = item_path(path, identity)
        if identity not in new:
            out['removed'].append(child)
        elif new[identity][0] != wrapper:
            out['modified'].append(child)
        else:
            compare(body, new[identity][1], child, out)
    for identity in new:
        if identity not in old:
            out['added'].append(item_path(path, identity))
    shared_before = [identity for identity in old if identity in new]
    shared_after = [identity for identity in new if identity in old]
    if shared_before != shared_after:
        out['modified'].append(path)


def diff(before, after):
    out = {'added': [], 'removed': [], 'modified': []}
    compare(before, after, '', out)
    for kind in out:
        out[kind].sort()
    return out


def resource_of(path):
    """`flows.flow-1` of `flows.flow-1.inboundCall.name`: the group and the resource name."""
    return '.'.join(re.split(r'[.\[]', path, maxsplit=2)[:2])


def impact(result):
    removed = [path for path in result['removed'] if resource_of(path) == path]
    modified = {resource_of(path) for kind in ('added', 'removed', 'modified') for path in result[kind]} - set(removed)
    if removed:
        return 'HIGH'
    return 'MEDIUM' if modified else 'LOW'


def main():
    with open(sys.argv[1], encoding='utf-8') as file:
        case = json.load(file)
    before, after = case['before'], case['after']
    result = None
    print('ready ' + platform.python_version(), flush=True)
    for line in sys.stdin:
        command = line.strip()
        if command == 'time':
            started = time.perf_counter()
            result = diff(before, after)
            result['risk'] = impact(result)
            print(f'{(time.perf_counter() - started) * 1000:.4f}', flush=True)
        elif command == 'paths':
            print(json.dumps(result), flush=True)
        else:
            print(f'error: unknown command {command!r}; send "time" or "paths"', flush=True)


if __name__ == '__main__':
    main()

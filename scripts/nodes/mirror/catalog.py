#!/usr/bin/env python3
"""Prints the catalog's downloads, one per line: component, version, id, path, pinned sha512 ('-' if none).

Usage: catalog.py COMPONENTS_DIR

The paths are exactly what the composer writes into DISCO_DL_<ID>_PATH (component.json "downloads").
"""
import json
import os
import sys


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: catalog.py COMPONENTS_DIR")
    root = sys.argv[1]
    if not os.path.isdir(root):
        sys.exit(f"catalog.py: {root} is not a directory of components")
    for name in sorted(os.listdir(root)):
        path = os.path.join(root, name, "component.json")
        if not os.path.isfile(path):
            continue
        with open(path) as f:
            manifest = json.load(f)
        for d in manifest.get("downloads", []):
            fields = [name, manifest["version"], d["id"], d["path"], d.get("sha512") or "-"]
            if any(not x or any(c in x for c in "\t\n ") for x in fields):
                sys.exit(f"catalog.py: {path}: download {d} has an empty field or whitespace")
            print("\t".join(fields))


if __name__ == "__main__":
    main()

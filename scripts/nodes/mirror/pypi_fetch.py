#!/usr/bin/env python3
"""Downloads one file of a PyPI release into a cache directory and prints its path.

Usage: pypi_fetch.py PROJECT VERSION sdist|wheel CACHE_DIR

Uses the index's JSON simple API (PEP 691) and checks the sha256 the index publishes.
A file already in the cache with the right hash is not downloaded again. For a wheel,
a pure-Python or manylinux x86_64 one is taken (the parts used here are platform-neutral).
"""
import hashlib
import json
import os
import re
import sys
import urllib.request

INDEX = os.environ.get("DISCO_MIRROR_PYPI_INDEX", "https://pypi.org/simple")


def sha256_of(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def pick(files, project, version, kind):
    norm = re.sub(r"[-_.]+", "_", project).lower()
    ours = []
    for f in files:
        name = f["filename"]
        low = name.lower().replace("-", "_")
        if kind == "sdist" and low in (f"{norm}_{version}.tar.gz", f"{norm}_{version}.zip"):
            ours.append((0, f))
        elif kind == "wheel" and low.startswith(f"{norm}_{version}_") and name.endswith(".whl"):
            if "none_any" in low:
                ours.append((0, f))
            elif "manylinux" in low and "x86_64" in low:
                ours.append((1, f))
    if not ours:
        sys.exit(f"pypi_fetch: no {kind} of {project} {version} on {INDEX} "
                 f"(files of that version: {[f['filename'] for f in files if version in f['filename']][:8]})")
    ours.sort(key=lambda t: (t[0], t[1]["filename"]))
    return ours[0][1]


def main():
    if len(sys.argv) != 5 or sys.argv[3] not in ("sdist", "wheel"):
        sys.exit("usage: pypi_fetch.py PROJECT VERSION sdist|wheel CACHE_DIR")
    project, version, kind, cache = sys.argv[1:]
    os.makedirs(cache, exist_ok=True)
    remembered = os.path.join(cache, f".{project}-{version}-{kind}.json")
    if os.path.exists(remembered):
        with open(remembered) as f:
            entry = json.load(f)
        path = os.path.join(cache, entry["filename"])
        if os.path.exists(path) and os.path.getsize(path) == entry["size"]:
            print(path)
            return
    req = urllib.request.Request(f"{INDEX}/{project}/", headers={"Accept": "application/vnd.pypi.simple.v1+json"})
    with urllib.request.urlopen(req, timeout=120) as r:
        files = json.load(r)["files"]
    entry = pick(files, project, version, kind)
    want = entry.get("hashes", {}).get("sha256")
    path = os.path.join(cache, entry["filename"])
    if not (os.path.exists(path) and want and sha256_of(path) == want):
        print(f"downloading {entry['filename']} from PyPI", file=sys.stderr)
        tmp = path + ".part"
        with urllib.request.urlopen(entry["url"], timeout=600) as r, open(tmp, "wb") as out:
            while block := r.read(1 << 20):
                out.write(block)
        got = sha256_of(tmp)
        if want and got != want:
            os.unlink(tmp)
            sys.exit(f"pypi_fetch: {entry['filename']}: sha256 {got} is not the index's {want}")
        os.replace(tmp, path)
    with open(remembered, "w") as f:
        json.dump({"filename": entry["filename"], "size": os.path.getsize(path), "sha256": want}, f)
    print(path)


if __name__ == "__main__":
    main()

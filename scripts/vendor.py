"""Fetch the front-end libraries the pages inline, at the versions kg/resources/static/vendor/vendor.json
pins, from the npm registry; check each tarball against its recorded integrity (npm's sha512) and
write the files it names with their licence. `make vendor` runs it; the files are committed, so a
page and the tests never reach the network (tests/test_vendor.py checks the files against the record).

    python scripts/vendor.py          # write the files again from the registry, checked
    python scripts/vendor.py --check  # fetch and compare with the committed files, write nothing
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import sys
import tarfile
import urllib.request
from pathlib import Path

VENDOR = Path(__file__).resolve().parent.parent / "kg" / "resources" / "static" / "vendor"


def fetch(package: dict) -> dict[str, bytes]:
    with urllib.request.urlopen(package["tarball"], timeout=60) as response:
        tarball = response.read()
    algorithm, digest = package["integrity"].split("-", 1)
    if base64.b64encode(hashlib.new(algorithm, tarball).digest()).decode("ascii") != digest:
        raise SystemExit(f"{package['tarball']}: the tarball does not match its recorded integrity")
    files = {}
    with tarfile.open(fileobj=io.BytesIO(tarball), mode="r:gz") as archive:
        for target, member in package["files"].items():
            extracted = archive.extractfile(f"package/{member['from']}")
            if extracted is None:
                raise SystemExit(f"{package['tarball']}: no file package/{member['from']}")
            files[target] = extracted.read()
    return files


def main(argv: list[str]) -> int:
    record = json.loads((VENDOR / "vendor.json").read_text(encoding="utf-8"))
    differs = []
    for package in record["packages"]:
        for target, data in fetch(package).items():
            if hashlib.sha256(data).hexdigest() != package["files"][target]["sha256"]:
                raise SystemExit(f"{target}: the registry's file does not match the recorded sha256")
            path = VENDOR / target
            if "--check" in argv:
                if not path.exists() or path.read_bytes() != data:
                    differs.append(target)
            else:
                path.write_bytes(data)
                print(f"wrote {path.relative_to(VENDOR.parent.parent.parent.parent)} ({len(data):,} bytes)")
    if differs:
        print("differ from the registry: " + ", ".join(differs))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

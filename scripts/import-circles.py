#!/usr/bin/env python3
"""Finds import circles between the Rust files of a crate's source tree.

Each file is a node; `use crate::a::b::…`, `crate::a::b::` paths and
`super::…` paths add an edge to the file they name (the deepest existing
module file, `a/b.rs` or `a/b/mod.rs`). A circle is a group of files that
reach each other (a strongly connected component of more than one file).
Prints every circle and exits 1 if there is one.

Usage: scripts/import-circles.py app/src server/src
"""

import re
import sys
from pathlib import Path

PATH = re.compile(r"\b(crate|super)((?:::[A-Za-z_][A-Za-z0-9_]*)+)")
USE = re.compile(r"\buse\s+((?:crate|super)(?:::[A-Za-z_][A-Za-z0-9_]*)*::\{[^;]*\})\s*;")


def expand(tree: str) -> list[str]:
    """`a::{b, c::{d, e}}` as its paths `a::b`, `a::c::d`, `a::c::e`."""
    tree = re.sub(r"\s+", "", re.sub(r"\s+as\s+[A-Za-z_][A-Za-z0-9_]*", "", tree))
    if "{" not in tree:
        return [tree]
    head, body = tree.split("{", 1)
    body = body[: body.rindex("}")]
    members, depth, start = [], 0, 0
    for i, c in enumerate(body + ","):
        if c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
        elif c == "," and depth == 0:
            members.append(body[start:i])
            start = i + 1
    out = []
    for member in filter(None, members):
        for path in expand(member):
            out.append(head.rstrip(":") if path == "self" else head + path)
    return out


def module_of(root: Path, file: Path) -> list[str]:
    parts = list(file.relative_to(root).with_suffix("").parts)
    if parts[-1] in ("mod", "lib", "main"):
        parts = parts[:-1]
    return parts


def file_of(root: Path, module: list[str]) -> Path | None:
    """The file of the longest prefix of `module` that exists."""
    for n in range(len(module), 0, -1):
        base = root.joinpath(*module[:n])
        for candidate in (base.with_suffix(".rs"), base / "mod.rs"):
            if candidate.is_file():
                return candidate
    return None


def edges(root: Path, file: Path) -> set[Path]:
    here = module_of(root, file)
    # `super` of a mod.rs is its folder's parent; of a.rs, a's folder.
    text = re.sub(r"//[^\n]*", "", file.read_text())
    # Only the code before the unit tests counts: tests may reach anywhere.
    text = text.split("#[cfg(test)]\nmod tests")[0]
    found = set()
    grouped = [p for tree in USE.findall(text) for p in expand(tree)]
    text = USE.sub("", text) + "\n" + "\n".join(grouped)
    for kind, rest in PATH.findall(text):
        names = rest.split("::")[1:]
        if kind == "crate":
            target = names
        else:
            parent = here[:-1]
            while names and names[0] == "super":
                parent, names = parent[:-1], names[1:]
            target = parent + names
        if not target:
            continue
        dest = file_of(root, target)
        if dest and dest != file:
            found.add(dest)
    return found


def circles(root: Path) -> list[list[Path]]:
    files = sorted(root.rglob("*.rs"))
    graph = {f: edges(root, f) for f in files}
    index, low, stack, on_stack, out = {}, {}, [], set(), []
    counter = [0]

    def visit(v):  # Tarjan's strongly connected components
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on_stack.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                out.append(sorted(component))

    sys.setrecursionlimit(10000)
    for f in files:
        if f not in index:
            visit(f)
    return out


def main() -> int:
    found = 0
    for arg in sys.argv[1:] or ["app/src", "server/src"]:
        for circle in circles(Path(arg)):
            found += 1
            print("import circle: " + " <-> ".join(str(f) for f in circle))
    if found:
        return 1
    print("no import circles")
    return 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Self-test of scripts/import-circles.py: circles through plain paths,
grouped `use` trees, `super` and renamed imports are found; a tree whose
imports point one way passes."""

import importlib.util
import tempfile
import unittest
from pathlib import Path

spec = importlib.util.spec_from_file_location("circles", Path(__file__).with_name("import-circles.py"))
circles = importlib.util.module_from_spec(spec)
spec.loader.exec_module(circles)


def tree(files: dict[str, str]) -> Path:
    root = Path(tempfile.mkdtemp())
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root


class Circles(unittest.TestCase):
    def found(self, files):
        root = tree(files)
        return [[str(f.relative_to(root)) for f in c] for c in circles.circles(root)]

    def test_one_way_passes(self):
        self.assertEqual(self.found({
            "lib.rs": "pub mod a; pub mod b;",
            "a.rs": "use crate::b::thing;",
            "b.rs": "pub fn thing() {}",
        }), [])

    def test_a_plain_path_circle(self):
        self.assertEqual(self.found({
            "lib.rs": "pub mod a; pub mod b;",
            "a.rs": "fn f() { crate::b::g() }",
            "b.rs": "fn g() { crate::a::f() }",
        }), [["a.rs", "b.rs"]])

    def test_a_circle_through_a_grouped_use_and_super(self):
        self.assertEqual(self.found({
            "lib.rs": "pub mod shop;",
            "shop/mod.rs": "pub mod pay; pub mod orders;",
            "shop/pay.rs": "use super::{orders::{self as o, lock}, x};",
            "shop/orders.rs": "use crate::shop::pay as payments;",
        }), [["shop/orders.rs", "shop/pay.rs"]])

    def test_unit_tests_and_comments_do_not_count(self):
        self.assertEqual(self.found({
            "lib.rs": "pub mod a; pub mod b;",
            "a.rs": "// crate::b::g\n#[cfg(test)]\nmod tests { use crate::b::g; }",
            "b.rs": "use crate::a::f;",
        }), [])

    def test_expand(self):
        self.assertEqual(circles.expand("crate::a::{b, c::{d, e as f}, self}"),
                         ["crate::a::b", "crate::a::c::d", "crate::a::c::e", "crate::a"])


if __name__ == "__main__":
    unittest.main()

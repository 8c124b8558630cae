"""The demo owns its data (issue 26): vinilogy/demo.py reads only vinilogy/demo_data, whose
SOURCES.md names every file there; no tests folder is read by the demo (tests may read demo_data)."""

import ast
from pathlib import Path

from vinilogy import demo

ROOT = Path(__file__).resolve().parents[2]
DEMO_DATA = ROOT / "vinilogy" / "demo_data"


def test_every_path_the_demo_loads_from_is_inside_demo_data():
    paths = [value for value in vars(demo).values() if isinstance(value, Path)]
    assert paths, "the demo names its data files as Path constants"
    for path in paths:
        assert path.resolve().is_relative_to(DEMO_DATA), path
    assert all(path.exists() for path in demo.dump_sample_paths())


def test_the_demo_source_names_no_tests_folder():
    source = (ROOT / "vinilogy" / "demo.py").read_text()
    strings = [
        node.value for node in ast.walk(ast.parse(source)) if isinstance(node, ast.Constant) and isinstance(node.value, str)
    ]
    assert not [text for text in strings if "tests" in Path(text).parts or text == "tests"]


def test_sources_md_names_every_data_file_of_the_demo():
    sources = (DEMO_DATA / "SOURCES.md").read_text()
    for path in DEMO_DATA.iterdir():
        if path.name in ("SOURCES.md", "__pycache__"):
            continue
        assert path.name in sources, f"{path.name} is not in vinilogy/demo_data/SOURCES.md"

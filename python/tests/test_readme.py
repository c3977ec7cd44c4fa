"""The README's Python examples are these tests' own code: the two pytest examples are
the files test_readme_aio.py and test_readme_boto3.py (run as part of this suite), and
the `Server` example runs here as written."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
README = HERE.parents[1] / "README.md"


def python_blocks() -> list[str]:
    return re.findall(r"```python\n(.*?)```", README.read_text(), flags=re.S)


@pytest.mark.parametrize("example", ["test_readme_aio.py", "test_readme_boto3.py"])
def test_the_pytest_examples_are_in_the_readme(example):
    assert (HERE / example).read_text() in python_blocks()


def test_the_server_example_runs():
    (block,) = [b for b in python_blocks() if "from amplifybackend import" in b]
    exec(compile(block, str(README), "exec"), {})

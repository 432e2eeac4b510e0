"""Every ```python block of README.md and the book (docs/book/src) runs, from the repository
root, without error."""

import pathlib
import re
import warnings

REPO = pathlib.Path(__file__).resolve().parents[2]


def test_every_python_block_in_the_readme_runs(capsys):
    files = [REPO / "README.md", *sorted((REPO / "docs" / "book" / "src").glob("*.md"))]
    blocks = [b for f in files for b in re.findall(r"^```python\n(.*?)^```$", f.read_text(), re.S | re.M)]
    assert len(blocks) >= 2, "README.md and the book show no Python"
    for block in blocks:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            exec(compile(block, "README.md", "exec"), {})
    assert "Scenario `base cap=60B` under `revised`, 2028:" in capsys.readouterr().out

"""Every ```python block of README.md runs (from the repository root) without error."""

import pathlib
import re
import warnings

REPO = pathlib.Path(__file__).resolve().parents[2]


def test_every_python_block_in_the_readme_runs(capsys):
    blocks = re.findall(r"^```python\n(.*?)^```$", (REPO / "README.md").read_text(), re.S | re.M)
    assert blocks, "README.md shows no Python"
    for block in blocks:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            exec(compile(block, "README.md", "exec"), {})
    assert "Scenario `base cap=60B` under `revised`, 2028:" in capsys.readouterr().out

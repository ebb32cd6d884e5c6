"""Run every example notebook with the venv's own kernel so that they cannot rot."""

import sys
from pathlib import Path

import pytest

NOTEBOOKS = sorted((Path(__file__).parents[1] / "notebooks").glob("*.ipynb"))


@pytest.fixture(scope="module")
def kernel_manager_class():
    # The "python3" kernel runs this interpreter (the venv's), whatever kernelspecs are installed.
    from jupyter_client.manager import KernelManager

    class ThisPython(KernelManager):
        def format_kernel_cmd(self, extra_arguments=None):
            return [sys.executable, "-m", "ipykernel_launcher", "-f", self.connection_file]

    return ThisPython


def test_notebooks_are_there():
    assert [p.name for p in NOTEBOOKS] == ["01-quickstart.ipynb", "02-checking-figures.ipynb",
                                           "03-perspectives-and-time.ipynb", "04-your-own-data.ipynb"]


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_runs(path, tmp_path, kernel_manager_class):
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    # Saved outputs show on the repository page: every code cell has some, none is an error.
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert all(c.get("outputs") for c in code), "run notebooks/make_notebooks.py to save the outputs"
    assert not [o for c in code for o in c["outputs"] if o.get("output_type") == "error"]
    # A question, the data's answer and what it cannot say.
    text = " ".join(c.source for c in nb.cells if c.cell_type == "markdown")
    assert "**Question.**" in text and "## The data's answer" in text and "## What the data cannot say" in text
    for cell in code:
        cell["outputs"] = []
    NotebookClient(nb, timeout=120, kernel_name="python3", kernel_manager_class=kernel_manager_class,
                   resources={"metadata": {"path": str(tmp_path)}}).execute()
    errors = [o for c in nb.cells for o in c.get("outputs", []) if o.get("output_type") == "error"]
    assert not errors
